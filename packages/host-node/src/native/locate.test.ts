import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RT_VERSION } from '../generated/runtime.js';
import { userCacheDir } from './build.js';
import { prebuiltRuntime } from './locate.js';
import { hostTarget, prebuildsDir } from './targets.js';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const child = fileURLToPath(new URL('./test-load-child.ts', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'pi-locate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const target = hostTarget();
/** `--import <tsx loader>` for child processes that run TypeScript. */
const tsxImport = [
  '--import',
  join(dirname(fileURLToPath(import.meta.resolve('tsx'))), '..', 'dist', 'loader.mjs'),
];

type Outcome = { path: string; version: number; wakeMode: string } | { code: string; message: string };

/** Load the runtime in a child whose PATH holds only node (no C compiler anywhere). */
function loadInChild(env: Record<string, string>): Outcome {
  const cache = mkdtempSync(join(scratch, 'cache-'));
  const r = spawnSync(process.execPath, [...tsxImport, '--conditions=@plugin-interfaces/source', child], {
    cwd: packageDir,
    encoding: 'utf8',
    env: {
      PATH: dirname(process.execPath),
      HOME: scratch,
      PI_HOST_NATIVE_CACHE: cache,
      CC: 'no-such-cc',
      ...env,
    },
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) throw new Error(`child failed: ${r.stderr}`);
  return JSON.parse(line) as Outcome;
}

describe.skipIf(!target)('the prebuilt native runtime', () => {
  beforeAll(() => {
    // The prebuild is made from the current sources (a no-op when it is up to date).
    const r = spawnSync(
      process.execPath,
      [
        ...tsxImport,
        '--conditions=@plugin-interfaces/source',
        join(packageDir, 'scripts', 'build-prebuilds.ts'),
        '--host',
      ],
      { cwd: packageDir, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`build-prebuilds --host failed: ${r.stderr}`);
  }, 60_000);

  it('exists for this platform and matches the shipped sources (built by build:prebuilds before the tests)', () => {
    expect(prebuiltRuntime()).toBe(join(prebuildsDir, target!.id, target!.file));
  });

  it('loads with no C compiler on the PATH and compiles nothing', () => {
    const out = loadInChild({});
    expect(out).toEqual({
      path: join(prebuildsDir, target!.id, target!.file),
      version: RT_VERSION,
      wakeMode: 'poll',
    });
  });
});

describe('the compile-at-first-use fallback', () => {
  it('builds into the per-user cache folder, never inside node_modules', () => {
    const out = loadInChild({
      PI_HOST_NATIVE_BUILD: '1',
      CC: process.env.CC ?? 'cc',
      PATH: process.env.PATH ?? '',
    });
    expect('path' in out && out.path.includes(`${sep}node_modules${sep}`)).toBe(false);
    expect('path' in out && dirname(out.path).startsWith(scratch)).toBe(true);
    expect('version' in out && out.version).toBe(RT_VERSION);
  });

  it('fails with NATIVE_TOOLCHAIN_MISSING naming what to install when no prebuild fits and no compiler exists', () => {
    const out = loadInChild({ PI_HOST_NATIVE_BUILD: '1' });
    expect('code' in out && out.code).toBe('NATIVE_TOOLCHAIN_MISSING');
    expect('message' in out && out.message).toMatch(/Install a C compiler \(.*gcc.*\)/);
  });

  it('defaults to the per-user cache of the platform', () => {
    const saved = process.env.PI_HOST_NATIVE_CACHE;
    delete process.env.PI_HOST_NATIVE_CACHE;
    try {
      expect(userCacheDir()).toMatch(/plugin-interfaces$/);
      expect(userCacheDir().split(sep)).not.toContain('node_modules');
    } finally {
      if (saved !== undefined) process.env.PI_HOST_NATIVE_CACHE = saved;
    }
  });

  it('leaves the cache folder empty when the prebuilt runtime was used', () => {
    const cache = mkdtempSync(join(scratch, 'untouched-'));
    loadInChild({ PI_HOST_NATIVE_CACHE: cache });
    expect(readdirSync(cache)).toEqual([]);
  });
});
