import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { reporters, sourceConditions } from '../../vitest.shared.js';

/** The real-browser test: the playground page rendering a host-rust host through the bridge. */
export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
  test: {
    include: ['e2e/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 300_000,
    reporters: reporters(dirname(fileURLToPath(import.meta.url))),
  },
});
