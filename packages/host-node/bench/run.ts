// Entry of `pnpm bench`: runs each benchmark script in its own process, with the workspace source
// condition so the TypeScript sources of @plugin-interfaces/* resolve without a build, and with
// `--expose-gc` so memory figures are read after a collection.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const scripts = ['./main.ts', './public-api.ts', './scale.ts', './storage.ts'];
let status = 0;
for (const script of scripts) {
  const file = fileURLToPath(new URL(script, import.meta.url));
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, '--conditions=@plugin-interfaces/source', '--expose-gc', file],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) status = r.status ?? 1;
}
process.exit(status);
