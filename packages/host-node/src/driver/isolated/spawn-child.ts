import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Start one plugin process. From sources (vitest, tsx) `child-main.ts` runs through tsx's loader
 * with the workspace's source condition; from `dist` the compiled `child-main.js` runs on plain
 * Node. The child gets the IPC channel (fd 3) and the synchronous request pipe (fd 4).
 */
export interface SpawnOptions {
  /** V8 heap cap of the child, MiB. */
  readonly maxHeapMb: number;
  /** Extra Node flags for the child (appended). */
  readonly execArgv?: readonly string[];
  /** Environment of the child (default: the parent's). */
  readonly env?: NodeJS.ProcessEnv;
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');

function sourceLoaderArgs(): string[] {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--import', tsx, '--conditions=@plugin-interfaces/source'];
}

/** Path of the child entry next to this file (`.ts` from sources, `.js` from dist). */
export function childEntryPath(): string {
  return fileURLToPath(new URL(FROM_SOURCE ? './child-main.ts' : './child-main.js', import.meta.url));
}

export function spawnChild(options: SpawnOptions): ChildProcess {
  const execArgv = [
    ...(FROM_SOURCE ? sourceLoaderArgs() : []),
    `--max-old-space-size=${options.maxHeapMb}`,
    ...(options.execArgv ?? []),
  ];
  return fork(childEntryPath(), [], {
    execArgv,
    env: options.env ?? process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc', 'pipe'],
    serialization: 'json',
  });
}
