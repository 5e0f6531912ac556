import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The part of esbuild's API used here (esbuild comes with tsx, present whenever sources run). */
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

/** Where bundles live: next to host-node's other build products, inside its node_modules (koffi resolves from there). */
const CACHE_DIR = fileURLToPath(
  new URL('../../../node_modules/.cache/plugin-interfaces/isolated-child/', import.meta.url),
);

function loadEsbuild(): Promise<EsbuildApi> {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const esbuild = createRequire(tsx).resolve('esbuild');
  return import(pathToFileURL(esbuild).href) as Promise<EsbuildApi>;
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

/**
 * Every module keeps the `import.meta.url` of its source file, so paths computed from it (the
 * native runtime's sources and build cache) are the same as when the sources run.
 */
const keepModuleUrls = {
  name: 'keep-import-meta-url',
  setup(build: EsbuildBuild) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
      if (args.path.includes(`${join('node_modules', '')}`)) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const url = JSON.stringify(pathToFileURL(args.path).href);
      return {
        contents: text.replaceAll('import.meta.url', url),
        loader: args.path.endsWith('ts') ? 'ts' : 'js',
      };
    });
  },
};

const building = new Map<string, Promise<string>>();

/**
 * Compile a TypeScript entry (the plugin process's `child-main.ts`, or a test's driver module)
 * with everything it imports into one JavaScript file, once, into host-node's cache folder. The
 * bundle is rebuilt only when one of its inputs changed (size or mtime); concurrent processes
 * each write a temporary file and rename it into place. Only `koffi` (a native addon) stays
 * external. Returns the bundle's path.
 */
export function bundleEntry(entry: string): Promise<string> {
  let p = building.get(entry);
  if (p === undefined) {
    p = build(entry);
    building.set(entry, p);
    p.catch(() => building.delete(entry));
  }
  return p;
}

async function build(entry: string): Promise<string> {
  const key = createHash('sha256').update(entry).digest('hex').slice(0, 16);
  const outfile = join(CACHE_DIR, `${key}.mjs`);
  const manifestPath = join(CACHE_DIR, `${key}.json`);
  if (await fresh(outfile, manifestPath)) return outfile;
  await mkdir(dirname(outfile), { recursive: true });
  const esbuild = await loadEsbuild();
  const tmp = `${outfile}.${process.pid}.${Date.now()}.tmp.mjs`;
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    outfile: tmp,
    write: true,
    metafile: true,
    conditions: ['@plugin-interfaces/source'],
    external: ['koffi'],
    logLevel: 'silent',
    // Bundled CommonJS dependencies call require(); give the ES module one.
    banner: {
      js: "import { createRequire as __piCreateRequire } from 'node:module'; const require = __piCreateRequire(import.meta.url);",
    },
    plugins: [keepModuleUrls],
  });
  const inputs: Manifest['inputs'] = {};
  for (const rel of Object.keys(result.metafile.inputs)) {
    const file = join(process.cwd(), rel);
    const s = await stat(file);
    inputs[file] = { size: s.size, mtimeMs: s.mtimeMs };
  }
  await rename(tmp, outfile);
  await writeFile(`${manifestPath}.${process.pid}.tmp`, JSON.stringify({ inputs } satisfies Manifest));
  await rename(`${manifestPath}.${process.pid}.tmp`, manifestPath);
  return outfile;
}
