import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { reporters, sourceConditions } from '../../vitest.shared.js';

/** Unit tests (src, server) and the real-browser test (e2e), in one run. */
export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'server/**/*.test.ts', 'e2e/**/*.test.ts'],
    pool: 'forks',
    // The e2e files each start a server (which may rebuild the page into dist/) and a browser:
    // one file at a time keeps them from racing and from starving each other on 2 cores.
    fileParallelism: false,
    // Screenshots attached to the report are copied here (ignored by git, like test-results/).
    attachmentsDir: 'test-results/attachments',
    testTimeout: 60_000,
    hookTimeout: 240_000,
    reporters: reporters(dirname(fileURLToPath(import.meta.url))),
  },
});
