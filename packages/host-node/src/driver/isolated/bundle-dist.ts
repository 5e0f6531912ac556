/**
 * Build step (`pnpm build`, after tsc): bundle the compiled `child-main.js` next to this file into
 * `child-main.cjs` with its launcher `child-main.launch.cjs`, which plugin processes run from
 * `dist` (one CommonJS module compiled from a V8 code cache instead of about a hundred ES modules:
 * faster to start, about 15 MiB less resident memory, unused code left out). Without esbuild the
 * step is skipped with a note and children run `child-main.js`.
 */
import { fileURLToPath } from 'node:url';
import { bundleChild, loadEsbuild } from './child-bundle.js';

const entry = fileURLToPath(new URL('./child-main.js', import.meta.url));
const dir = fileURLToPath(new URL('.', import.meta.url));

const esbuild = await loadEsbuild().catch(() => null);
if (esbuild === null) {
  process.stdout.write('host-node: esbuild not found; plugin processes will run child-main.js unbundled.\n');
} else {
  const { launcher } = await bundleChild(entry, dir, 'child-main', esbuild);
  process.stdout.write(`host-node: plugin process bundle written; children run ${launcher}\n`);
}
