/** Vitest settings every package shares. */
import { join } from 'node:path';

/** Resolve workspace packages to their TypeScript sources. */
export const sourceConditions = ['@plugin-interfaces/source'];

/**
 * Reporters: the default one, plus a JSON report in `<package>/.test-results/` when the root test
 * command asks for it (`PI_TEST_REPORT=1`), so it can print one total for the whole repository.
 */
export function reporters(
  packageDir: string,
  name = 'vitest',
): Array<string | [string, { outputFile: string }]> {
  if (!process.env.PI_TEST_REPORT) return ['default'];
  return ['default', ['json', { outputFile: join(packageDir, '.test-results', `${name}.json`) }]];
}
