/**
 * What the launcher (`code-cache.ts`) lends the code of the plugin process bundle, under
 * well-known symbols on `globalThis`. Without a launcher (the unbundled `child-main.js`) both
 * fall back to doing it alone.
 */
const IMPORT = Symbol.for('plugin-interfaces.isolated-child.import');
const BEFORE_PLUGIN_CODE = Symbol.for('plugin-interfaces.isolated-child.before-plugin-code');

type Lent = { [IMPORT]?: (specifier: string) => Promise<unknown>; [BEFORE_PLUGIN_CODE]?: () => void };

/** The launcher's side: lend `import()` and the hook that runs before any plugin code. */
export function lendToBundle(
  importer: (specifier: string) => Promise<unknown>,
  beforePluginCode: () => void,
): void {
  (globalThis as Lent)[IMPORT] = importer;
  (globalThis as Lent)[BEFORE_PLUGIN_CODE] = beforePluginCode;
}

/**
 * `import()` for code inside the bundle. On Node 20, code compiled from a V8 code cache loses its
 * dynamic import callback (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so the launcher, compiled by
 * Node as usual, lends its own.
 */
export function importInChild(specifier: string): Promise<unknown> {
  const lent = (globalThis as Lent)[IMPORT];
  return lent ? lent(specifier) : import(specifier);
}

/**
 * Called once before the first plugin library is loaded: the launcher writes a missing code cache
 * now, from a process in which no plugin code has run yet (so a plugin that corrupts memory can
 * never leave a bad cache behind).
 */
export function beforePluginCode(): void {
  (globalThis as Lent)[BEFORE_PLUGIN_CODE]?.();
}
