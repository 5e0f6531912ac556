/**
 * Build step (`pnpm build`, after tsc): bundle the compiled `child-main.js` next to this file into
 * `child-main.bundle.mjs`, the file plugin processes run from `dist` (one module instead of about
 * a hundred: faster to start, about 15 MiB less resident memory, unused code left out). Without
 * esbuild the step is skipped with a note and children run `child-main.js`.
 */
import { fileURLToPath } from 'node:url';
import { bundleFile, loadEsbuild } from './child-bundle.js';

const entry = fileURLToPath(new URL('./child-main.js', import.meta.url));
const outfile = fileURLToPath(new URL('./child-main.bundle.mjs', import.meta.url));

const esbuild = await loadEsbuild().catch(() => null);
if (esbuild === null) {
  process.stdout.write('host-node: esbuild not found; plugin processes will run child-main.js unbundled.\n');
} else {
  await bundleFile(entry, outfile, esbuild);
  process.stdout.write(`host-node: plugin process bundle written to ${outfile}\n`);
}
