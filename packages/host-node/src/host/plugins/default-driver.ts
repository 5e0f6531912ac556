import type { PluginDriver } from '../../driver/types.js';
import { HostError } from '../../errors.js';

/**
 * The default driver: the in-process koffi driver, with automatic credit off because the host
 * grants stream credit itself once consumers took the chunks. Imported lazily so a host that
 * brings its own driver (or runs isolated) never loads koffi in this process.
 */
export async function createDefaultDriver(): Promise<PluginDriver> {
  try {
    const { InProcessDriver } = await import('../../driver/in-process/index.js');
    return new InProcessDriver({ autoCredit: false });
  } catch (e) {
    throw new HostError(
      'UNSUPPORTED',
      `The in-process driver could not be loaded (${String(e)}); pass options.driver or options.driverFor.`,
      { cause: e },
    );
  }
}
