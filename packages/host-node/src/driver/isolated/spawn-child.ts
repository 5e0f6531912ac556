import { type ChildProcess, fork } from 'node:child_process';

/**
 * Start one plugin process on plain Node from a JavaScript entry (see `child-entry.ts`: the
 * compiled `child-main.js`, or a bundle of `child-main.ts` when host-node runs from sources). The
 * child gets the IPC channel (fd 3) and the synchronous request pipe (fd 4); its stderr (fd 2) is
 * a pipe the connection forwards to the host's stderr.
 */
export interface SpawnOptions {
  /** The JavaScript file the child runs. */
  readonly entry: string;
  /** V8 heap cap of the child, MiB. */
  readonly maxHeapMb: number;
  /** Extra Node flags for the child (appended). */
  readonly execArgv?: readonly string[];
  /** Environment of the child (default: the parent's), as `childEnv` passes it on. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Flags in NODE_OPTIONS that load modules into a process before its entry (each takes a value). */
const LOADER_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/**
 * The parent's NODE_OPTIONS without its module loaders: a host started with, say,
 * `NODE_OPTIONS="--import tsx"` would otherwise load the TypeScript loader into every plugin
 * process (hundreds of milliseconds and tens of MiB each). Other options are kept.
 */
export function childNodeOptions(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const tokens = value.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
  const kept: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const flag = token.split('=', 1)[0] ?? '';
    if (!LOADER_FLAGS.has(flag)) kept.push(token);
    else if (!token.includes('=')) i++;
  }
  return kept.length > 0 ? kept.join(' ') : undefined;
}

/**
 * The environment of a plugin process: the parent's, with module loaders out of NODE_OPTIONS and
 * without NODE_EXTRA_CA_CERTS. Node reads and parses that certificate file at start-up (about
 * 90 ms per process for Debian's bundle on the 2-core test machine), and a plugin process never
 * opens a TLS connection from JavaScript (a plugin's own network code is native and does not read
 * this Node-only variable).
 */
export function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_OPTIONS, NODE_EXTRA_CA_CERTS: _certs, ...rest } = env;
  const options = childNodeOptions(NODE_OPTIONS);
  return options === undefined ? rest : { ...rest, NODE_OPTIONS: options };
}

export function spawnChild(options: SpawnOptions): ChildProcess {
  const execArgv = [`--max-old-space-size=${options.maxHeapMb}`, ...(options.execArgv ?? [])];
  const child = fork(options.entry, [], {
    execArgv,
    env: childEnv(options.env ?? process.env),
    // stderr is piped (and forwarded) so the parent can tell a V8 heap exhaustion from an abort().
    stdio: ['ignore', 'inherit', 'pipe', 'ipc', 'pipe'],
    serialization: 'json',
    // A process group of its own: the terminal's Ctrl-C (SIGINT to the foreground group) reaches
    // the host only, which then shuts every instance down in order. The child still ends with
    // its parent: it exits when the IPC channel closes, and on the parent's exit (below).
    detached: process.platform !== 'win32',
  });
  killOnParentExit(child);
  return child;
}

const liveChildren = new Set<ChildProcess>();

/** SIGKILL the children still running when this process exits (a detached child would linger). */
function killOnParentExit(child: ChildProcess): void {
  if (liveChildren.size === 0) process.on('exit', killLiveChildren);
  liveChildren.add(child);
  child.once('exit', () => {
    liveChildren.delete(child);
    if (liveChildren.size === 0) process.off('exit', killLiveChildren);
  });
}

function killLiveChildren(): void {
  for (const c of liveChildren) c.kill('SIGKILL');
}
