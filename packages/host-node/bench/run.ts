// Entry of `pnpm bench`: re-runs the benchmark with the workspace source condition so the
// TypeScript sources of @plugin-interfaces/* resolve without a build.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const r = spawnSync(
  process.execPath,
  [...process.execArgv, '--conditions=@plugin-interfaces/source', '--expose-gc', main],
  {
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
