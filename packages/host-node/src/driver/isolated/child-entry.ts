import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HostError } from '../../errors.js';
import { bundleEntry, childBundle } from './child-bundle.js';

/** What a plugin process runs: its entry file, and the URL of the driver module it is told to import. */
export interface ChildEntry {
  /** A JavaScript file: the launcher of the bundle of `child-main` (or `child-main.js` in a `dist` built without esbuild). */
  readonly path: string;
  /** The driver module as the child can import it (a `.ts` module is bundled too), or null. */
  readonly driverModule: string | null;
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** In `dist`: the bundle's launcher `pnpm build` writes (see `bundle-dist.ts`), else the compiled `child-main.js`. */
function distEntry(): string {
  const launcher = fileURLToPath(new URL('./child-main.launch.cjs', import.meta.url));
  return existsSync(launcher) ? launcher : fileURLToPath(new URL('./child-main.js', import.meta.url));
}

function isTypeScript(moduleUrl: string): boolean {
  return /\.[cm]?ts$/.test(moduleUrl);
}

function toPath(moduleUrl: string): string {
  return moduleUrl.startsWith('file:') ? fileURLToPath(moduleUrl) : moduleUrl;
}

/**
 * Plugin processes always run built JavaScript on plain Node, never the TypeScript loader (which
 * costs about 400 ms and 40 MB per child). From `dist` the bundle the build wrote runs (or the
 * compiled `child-main.js` when there is none); from sources (vitest, tsx, the playground in development) `child-main.ts` is bundled once into
 * host-node's cache folder and rebuilt only when a source changed. A test's TypeScript driver
 * module is bundled the same way.
 */
export async function resolveChildEntry(driverModule: string | null): Promise<ChildEntry> {
  try {
    return await resolve(driverModule);
  } catch (e) {
    throw new HostError(
      'INTERNAL',
      `The plugin process entry could not be built from host-node's sources: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
}

async function resolve(driverModule: string | null): Promise<ChildEntry> {
  const module =
    driverModule !== null && FROM_SOURCE && isTypeScript(driverModule)
      ? pathToFileURL(await bundleEntry(toPath(driverModule))).href
      : driverModule;
  const path = FROM_SOURCE
    ? await childBundle(fileURLToPath(new URL('./child-main.ts', import.meta.url)))
    : distEntry();
  return { path, driverModule: module };
}
