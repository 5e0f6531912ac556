import { HostError } from '../../errors.js';
import type { PluginDriver } from '../types.js';
import type { InnerDriverOptions } from './ipc-protocol.js';

/** Where the child finds the in-process driver when the parent names no other module. */
export const DEFAULT_DRIVER_MODULE = new URL('../in-process/index.js', import.meta.url).href;

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
 * Create the driver that runs plugins inside the child: the module's `createDriver()` when it
 * has one, otherwise `new InProcessDriver(options)`. The module is imported by URL so tests can run the
 * child with a scripted driver.
 */
export async function createInnerDriver(
  moduleUrl: string | null,
  options: InnerDriverOptions,
): Promise<PluginDriver> {
  const url = moduleUrl ?? DEFAULT_DRIVER_MODULE;
  const mod: unknown = await import(url);
  if (typeof mod === 'object' && mod !== null) {
    if ('createDriver' in mod && typeof mod.createDriver === 'function') {
      const d: unknown = await (mod.createDriver as (o: InnerDriverOptions) => unknown)(options);
      if (isDriver(d)) return d;
    } else if ('InProcessDriver' in mod && typeof mod.InProcessDriver === 'function') {
      const d: unknown = new (mod.InProcessDriver as new (o: InnerDriverOptions) => unknown)(options);
      if (isDriver(d)) return d;
    }
  }
  throw new HostError('INTERNAL', `The module ${url} exports neither createDriver() nor InProcessDriver.`);
}
