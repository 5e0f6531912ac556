import { beforeAll, type TestContext } from 'vitest';
import { type BuiltRoot, buildPlugins } from './build-plugins.js';
import type { MatrixCase } from './matrix.js';

/**
 * Build the examples `ids` of the case's language once for a describe block. `root(ctx)` returns
 * the plugin root, or skips the test with the reason (e.g. cargo missing).
 */
export function usePlugins(
  c: MatrixCase,
  ids: readonly string[],
): { root(ctx: TestContext): string; id(name: string): string } {
  let built: BuiltRoot | undefined;
  beforeAll(async () => {
    built = await buildPlugins(c, ids);
    if (built.skip !== null) console.warn(`[conformance ${c.name}] ${built.skip}`);
  }, 600_000);
  return {
    root(ctx) {
      if (built === undefined) throw new Error('plugins were not built');
      if (built.root === null) return ctx.skip(built.skip);
      return built.root;
    },
    id: (name) => `${c.prefix}${name}`,
  };
}
