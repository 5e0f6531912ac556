/**
 * `import()` for code inside the plugin process bundle. On Node 20, code compiled from a V8 code
 * cache loses its dynamic import callback (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so the
 * launcher (`code-cache.ts`), compiled by Node as usual, lends its own `import()` under this key.
 * Without a launcher (unbundled `child-main.js`) the module's own `import()` is used.
 */
export const CHILD_IMPORT = Symbol.for('plugin-interfaces.isolated-child.import');

type Importer = (specifier: string) => Promise<unknown>;

export function importInChild(specifier: string): Promise<unknown> {
  const lent = (globalThis as { [CHILD_IMPORT]?: Importer })[CHILD_IMPORT];
  return lent ? lent(specifier) : import(specifier);
}
