import { IsolatedDriver } from '../../src/driver/isolated/index.js';
import type { PluginDriver } from '../../src/driver/types.js';

/** One plugin language of the conformance matrix: plugin ids are `<prefix><example>`. */
export interface LanguageCase {
  readonly lang: 'c' | 'rust';
  readonly prefix: string;
}

/**
 * One way of running plugins. `make` returns the driver for the host (undefined = the host's
 * default, the in-process driver); the harness closes it with the host.
 */
export interface DriverCase {
  readonly mode: 'in-process' | 'isolated';
  readonly make: () => PluginDriver | undefined;
}

export const LANGUAGES: readonly LanguageCase[] = [
  { lang: 'c', prefix: '' },
  { lang: 'rust', prefix: 'rust-' },
];

export const DRIVERS: readonly DriverCase[] = [
  { mode: 'in-process', make: () => undefined },
  // No warm spare: these tests never crash a plugin, and a spare per test doubles the processes.
  { mode: 'isolated', make: () => new IsolatedDriver({ warmSpare: false }) },
];

/** Every (language, driver) pair, with a readable name for describe.each. */
export const MATRIX = LANGUAGES.flatMap((language) =>
  DRIVERS.map((driver) => ({ ...language, ...driver, name: `${language.lang} / ${driver.mode}` })),
);
export type MatrixCase = (typeof MATRIX)[number];
