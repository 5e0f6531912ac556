import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The part of esbuild's API used here (esbuild comes with tsx, present wherever sources run). */
interface EsbuildApi {
  build(options: {
    entryPoints: string[];
    bundle: true;
    platform: 'node';
    format: 'esm' | 'cjs';
    target: string;
    outfile: string;
    write: true;
    metafile: true;
    absWorkingDir: string;
    conditions: string[];
    external: string[];
    logLevel: 'silent';
    banner?: { js: string };
    define?: Record<string, string>;
    plugins: { name: string; setup(build: EsbuildBuild): void }[];
  }): Promise<{ metafile: { inputs: Record<string, unknown> } }>;
}
interface EsbuildBuild {
  onLoad(
    options: { filter: RegExp },
    callback: (args: { path: string }) => Promise<{ contents: string; loader: 'ts' | 'js' } | undefined>,
  ): void;
}

/** What a cached bundle was built from: each input file with its size and modification time. */
interface Manifest {
  readonly inputs: Record<string, { size: number; mtimeMs: number }>;
}

/** Where bundles of the sources live: inside host-node's node_modules, so koffi resolves from there. */
const CACHE_DIR = fileURLToPath(
  new URL('../../../node_modules/.cache/plugin-interfaces/isolated-child/', import.meta.url),
);

/** esbuild, found through tsx (a dependency of every setup that runs the TypeScript sources). */
export async function loadEsbuild(): Promise<EsbuildApi> {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const esbuild = createRequire(tsx).resolve('esbuild');
  return (await import(pathToFileURL(esbuild).href)) as EsbuildApi;
}

/**
 * Each module keeps its own `import.meta.url`, as a URL relative to the bundle, so paths computed
 * from it (the native runtime's sources, prebuilt binaries and build cache) are the ones the module
 * would compute on its own, wherever the package is installed.
 */
function keepModuleUrls(outDir: string, bundleUrl: string) {
  return {
    name: 'keep-import-meta-url',
    setup(build: EsbuildBuild) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
        if (args.path.split(sep).includes('node_modules')) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const rel = relative(outDir, args.path).split(sep).join('/');
        const url = `new URL(${JSON.stringify(rel)}, ${bundleUrl}).href`;
        return {
          contents: text.replaceAll('import.meta.url', url),
          loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js',
        };
      });
    },
  };
}

/** How a bundle is loaded: `import()` (an ES module) or as a plugin process's CommonJS main. */
export type BundleFormat = 'esm' | 'cjs';

/** Bundled CommonJS dependencies call require(); an ES module bundle gets one. */
const ESM_BANNER =
  "import { createRequire as __piCreateRequire } from 'node:module'; const require = __piCreateRequire(import.meta.url);";
/** The URL the modules of a CommonJS bundle resolve their `import.meta.url` against. */
const CJS_BANNER = "'use strict'; const __piBundleUrl = require('node:url').pathToFileURL(__filename).href;";

/**
 * Bundle `entry` (TypeScript or JavaScript) with everything it imports into one file at
 * `outfile` (an ES module, or CommonJS); only `koffi`, a native addon, stays external. Workspace
 * packages resolve to their sources. The file is written under a temporary name and renamed into
 * place, so concurrent builders never expose a half-written bundle. Returns the absolute paths of
 * the inputs.
 */
export async function bundleFile(
  entry: string,
  outfile: string,
  esbuild?: EsbuildApi,
  format: BundleFormat = 'esm',
  define?: Record<string, string>,
): Promise<string[]> {
  const api = esbuild ?? (await loadEsbuild());
  await mkdir(dirname(outfile), { recursive: true });
  const tmp = `${outfile}.${process.pid}.${Date.now()}.tmp${extname(outfile)}`;
  const cwd = process.cwd();
  const result = await api.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format,
    target: `node${process.versions.node.split('.')[0]}`,
    outfile: tmp,
    write: true,
    metafile: true,
    absWorkingDir: cwd,
    conditions: ['@plugin-interfaces/source'],
    external: ['koffi'],
    logLevel: 'silent',
    banner: { js: format === 'esm' ? ESM_BANNER : CJS_BANNER },
    ...(define ? { define } : {}),
    plugins: [keepModuleUrls(dirname(outfile), format === 'esm' ? 'import.meta.url' : '__piBundleUrl')],
  });
  await rename(tmp, outfile);
  return Object.keys(result.metafile.inputs).map((rel) => resolve(cwd, rel));
}

/** The launcher's source beside this module (`.ts` from sources, `.js` in `dist`). */
const LAUNCHER = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './child-launch.ts' : './child-launch.js', import.meta.url),
);

/**
 * Bundle a plugin process entry into `<dir>/<name>.cjs` and write its launcher,
 * `<dir>/<name>.launch.cjs`, which runs the bundle from a V8 code cache (`code-cache.ts`) keyed by
 * the bundle's SHA-256. Plugin processes run the launcher. Returns its path and every input file.
 */
export async function bundleChild(
  entry: string,
  dir: string,
  name: string,
  esbuild?: EsbuildApi,
): Promise<{ launcher: string; inputs: string[] }> {
  const api = esbuild ?? (await loadEsbuild());
  const bundle = join(dir, `${name}.cjs`);
  const launcher = join(dir, `${name}.launch.cjs`);
  const inputs = await bundleFile(entry, bundle, api, 'cjs');
  const sha256 = createHash('sha256')
    .update(await readFile(bundle))
    .digest('hex');
  const define = {
    __PI_CHILD_BUNDLE__: JSON.stringify(`${name}.cjs`),
    __PI_CHILD_BUNDLE_SHA256__: JSON.stringify(sha256),
  };
  const launcherInputs = await bundleFile(LAUNCHER, launcher, api, 'cjs', define);
  return { launcher, inputs: [...new Set([...inputs, ...launcherInputs])] };
}

async function fresh(outfile: string, manifestPath: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
    await stat(outfile);
    const checks = Object.entries(manifest.inputs).map(async ([file, seen]) => {
      const now = await stat(file);
      return now.size === seen.size && now.mtimeMs === seen.mtimeMs;
    });
    return (await Promise.all(checks)).every(Boolean);
  } catch {
    return false;
  }
}

const building = new Map<string, Promise<string>>();

function once(key: string, make: () => Promise<string>): Promise<string> {
  let p = building.get(key);
  if (p === undefined) {
    p = make();
    building.set(key, p);
    p.catch(() => building.delete(key));
  }
  return p;
}

/**
 * Bundle a TypeScript module (a test's driver module) once into host-node's cache folder as an ES
 * module (see {@link bundleFile}); it is rebuilt only when one of its inputs changed (size or
 * mtime, kept in a manifest next to it). Returns the bundle's path.
 */
export function bundleEntry(entry: string): Promise<string> {
  return once(`esm:${entry}`, () =>
    cached(entry, 'mjs', async (outfile) => ({ path: outfile, inputs: await bundleFile(entry, outfile) })),
  );
}

/**
 * Bundle a plugin process entry (`child-main.ts`) once into host-node's cache folder with its
 * launcher (see {@link bundleChild}), rebuilt only when an input changed. Returns the launcher.
 */
export function childBundle(entry: string): Promise<string> {
  return once(`child:${entry}`, () =>
    cached(entry, 'launch.cjs', async (_outfile, key) => {
      const { launcher, inputs } = await bundleChild(entry, CACHE_DIR, key);
      return { path: launcher, inputs };
    }),
  );
}

async function cached(
  entry: string,
  ext: string,
  build: (outfile: string, key: string) => Promise<{ path: string; inputs: string[] }>,
): Promise<string> {
  const key = createHash('sha256').update(entry).digest('hex').slice(0, 16);
  const outfile = join(CACHE_DIR, `${key}.${ext}`);
  const manifestPath = join(CACHE_DIR, `${key}.${ext}.json`);
  if (await fresh(outfile, manifestPath)) return outfile;
  const built = await build(outfile, key);
  const inputs: Manifest['inputs'] = {};
  for (const file of built.inputs) {
    const s = await stat(file);
    inputs[file] = { size: s.size, mtimeMs: s.mtimeMs };
  }
  const tmp = `${manifestPath}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ inputs } satisfies Manifest));
  await rename(tmp, manifestPath);
  return built.path;
}
