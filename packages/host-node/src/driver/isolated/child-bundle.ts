import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The part of esbuild's API used here (esbuild comes with tsx, present wherever sources run). */
interface EsbuildApi {
  build(options: {
    entryPoints: string[];
    bundle: true;
    platform: 'node';
    format: 'esm';
    target: string;
    outfile: string;
    write: true;
    metafile: true;
    absWorkingDir: string;
    conditions: string[];
    external: string[];
    logLevel: 'silent';
    banner: { js: string };
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
function keepModuleUrls(outDir: string) {
  return {
    name: 'keep-import-meta-url',
    setup(build: EsbuildBuild) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
        if (args.path.split(sep).includes('node_modules')) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const rel = relative(outDir, args.path).split(sep).join('/');
        const url = `new URL(${JSON.stringify(rel)}, import.meta.url).href`;
        return {
          contents: text.replaceAll('import.meta.url', url),
          loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js',
        };
      });
    },
  };
}

/**
 * Bundle `entry` (TypeScript or JavaScript) with everything it imports into one ES module at
 * `outfile`; only `koffi`, a native addon, stays external. Workspace packages resolve to their
 * sources. The file is written under a temporary name and renamed into place, so concurrent
 * builders never expose a half-written bundle. Returns the absolute paths of the inputs.
 */
export async function bundleFile(entry: string, outfile: string, esbuild?: EsbuildApi): Promise<string[]> {
  const api = esbuild ?? (await loadEsbuild());
  await mkdir(dirname(outfile), { recursive: true });
  const tmp = `${outfile}.${process.pid}.${Date.now()}.tmp.mjs`;
  const cwd = process.cwd();
  const result = await api.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    outfile: tmp,
    write: true,
    metafile: true,
    absWorkingDir: cwd,
    conditions: ['@plugin-interfaces/source'],
    external: ['koffi'],
    logLevel: 'silent',
    // Bundled CommonJS dependencies call require(); give the ES module one.
    banner: {
      js: "import { createRequire as __piCreateRequire } from 'node:module'; const require = __piCreateRequire(import.meta.url);",
    },
    plugins: [keepModuleUrls(dirname(outfile))],
  });
  await rename(tmp, outfile);
  return Object.keys(result.metafile.inputs).map((rel) => resolve(cwd, rel));
}

async function fresh(outfile: string, manifestPath: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
    await stat(outfile);
    for (const [file, seen] of Object.entries(manifest.inputs)) {
      const now = await stat(file);
      if (now.size !== seen.size || now.mtimeMs !== seen.mtimeMs) return false;
    }
    return true;
  } catch {
    return false;
  }
}

const building = new Map<string, Promise<string>>();

/**
 * Bundle a TypeScript entry (the plugin process's `child-main.ts`, or a test's driver module)
 * once into host-node's cache folder (see {@link bundleFile}); it is rebuilt only when one of its
 * inputs changed (size or mtime, kept in a manifest next to it). Returns the bundle's path.
 */
export function bundleEntry(entry: string): Promise<string> {
  let p = building.get(entry);
  if (p === undefined) {
    p = cachedBundle(entry);
    building.set(entry, p);
    p.catch(() => building.delete(entry));
  }
  return p;
}

async function cachedBundle(entry: string): Promise<string> {
  const key = createHash('sha256').update(entry).digest('hex').slice(0, 16);
  const outfile = join(CACHE_DIR, `${key}.mjs`);
  const manifestPath = join(CACHE_DIR, `${key}.json`);
  if (await fresh(outfile, manifestPath)) return outfile;
  const inputs: Manifest['inputs'] = {};
  for (const file of await bundleFile(entry, outfile)) {
    const s = await stat(file);
    inputs[file] = { size: s.size, mtimeMs: s.mtimeMs };
  }
  const tmp = `${manifestPath}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ inputs } satisfies Manifest));
  await rename(tmp, manifestPath);
  return outfile;
}
