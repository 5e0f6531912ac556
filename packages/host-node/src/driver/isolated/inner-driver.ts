import { HostError } from '../../errors.js';
import { InProcessDriver } from '../in-process/index.js';
import type { PluginDriver } from '../types.js';
import type { InnerDriverOptions } from './ipc-protocol.js';
import { importInChild } from './launcher-hooks.js';

function isDriver(v: unknown): v is PluginDriver {
  return (
    typeof v === 'object' &&
    v !== null &&
    'loadLibrary' in v &&
    typeof v.loadLibrary === 'function' &&
    'close' in v &&
    typeof v.close === 'function'
  );
}

/**
 * Create the driver that runs plugins inside the child: the in-process driver, linked into the
 * child's entry (so a bundled child carries it), unless the parent names another module (tests
 * run the child with a scripted driver): that module's `createDriver()`, or its `InProcessDriver`.
 */
export async function createInnerDriver(
  moduleUrl: string | null,
  options: InnerDriverOptions,
): Promise<PluginDriver> {
  if (moduleUrl === null) return new InProcessDriver(options);
  const mod: unknown = await importInChild(moduleUrl);
  if (typeof mod === 'object' && mod !== null) {
    if ('createDriver' in mod && typeof mod.createDriver === 'function') {
      const d: unknown = await (mod.createDriver as (o: InnerDriverOptions) => unknown)(options);
      if (isDriver(d)) return d;
    } else if ('InProcessDriver' in mod && typeof mod.InProcessDriver === 'function') {
      const d: unknown = new (mod.InProcessDriver as new (o: InnerDriverOptions) => unknown)(options);
      if (isDriver(d)) return d;
    }
  }
  throw new HostError(
    'INTERNAL',
    `The module ${moduleUrl} exports neither createDriver() nor InProcessDriver.`,
  );
}
