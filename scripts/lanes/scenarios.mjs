// Bundle scenario-lane.ts (with host-node's scenario runner) into one module for a lane's
// consumer project. host-node and spec stay imports of the installed packages: the scenarios
// exercise the packed tarballs, not the workspace sources.
import { cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ROOT } from './lib.mjs';

async function esbuild() {
  const require = createRequire(join(ROOT, 'package.json'));
  const tsx = require.resolve('tsx');
  return import(pathToFileURL(createRequire(tsx).resolve('esbuild')).href);
}

/** The installed package a workspace import stands for (host-node's sources → the package). */
const toPackage = {
  name: 'installed-packages',
  setup(build) {
    build.onResolve({ filter: /^@plugin-interfaces\// }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: /\/src\/(host\/)?index\.js$/ }, (args) =>
      args.importer.includes(`${join('packages', 'host-node', 'test')}`)
        ? { path: '@plugin-interfaces/host-node', external: true }
        : undefined,
    );
  },
};

/** Write `<dir>/scenarios.mjs` and copy the scenario files to `<dir>/scenarios/`. */
export async function prepareScenarios(dir) {
  const { build } = await esbuild();
  await build({
    entryPoints: [fileURLToPath(new URL('./scenario-lane.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: join(dir, 'scenarios.mjs'),
    plugins: [toPackage],
    logLevel: 'silent',
  });
  cpSync(join(ROOT, 'packages', 'spec', 'conformance'), join(dir, 'scenarios'), {
    recursive: true,
    filter: (src) => !src.includes(`${join('conformance', 'results')}`),
  });
}
