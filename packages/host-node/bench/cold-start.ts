// Cold start of an isolated plugin: a new plugin process (no warm spare) from `host.load` to a
// mounted instance. The total goes through the public API (`createPluginHost` with isolation
// 'isolated', `host.load`); the split (spawn → child ready → library loaded → instance mounted)
// and the idle RSS of one child are taken one layer down, on the driver's own process connection.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildExamples } from '@plugin-interfaces/sdk-c/build-examples';
import { LIMITS } from '@plugin-interfaces/spec';
import { ChildConnection, type SpawnConfig } from '../src/driver/isolated/connection.js';
import { ISOLATION_LIMITS } from '../src/driver/isolated/limits.js';
import { createPluginHost } from '../src/index.js';
import type { BenchRow } from './isolated.js';

const RUNS = 5;
const TARGET_MS = 200;
const TARGET_RSS_MB = 64;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** `count` copies of the echo example, each with its own plugin id (a library = a process). */
async function echoCopies(root: string, count: number): Promise<string[]> {
  const built = join(root, 'built');
  await buildExamples({ outDir: built, examples: ['echo'] });
  const config = await readFile(join(built, 'echo', 'config.toml'), 'utf8');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `echo-${i}`;
    await cp(join(built, 'echo'), join(root, 'plugins', id), { recursive: true });
    await writeFile(join(root, 'plugins', id, 'config.toml'), config.replace(/^id = ".*"$/m, `id = "${id}"`));
    ids.push(id);
  }
  return ids;
}

/** Resident memory of a process in bytes (Linux), or null. */
function rssOf(pid: number | undefined): number | null {
  const status = `/proc/${pid}/status`;
  if (pid === undefined || !existsSync(status)) return null;
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(status, 'utf8'))?.[1];
  return kb === undefined ? null : Number(kb) * 1024;
}

/** One cold start on the connection: ms to ready, to loaded, to mounted; idle RSS. */
async function split(
  library: string,
  n: number,
): Promise<{ ms: [number, number, number]; rss: number | null }> {
  const config: SpawnConfig = {
    limits: ISOLATION_LIMITS,
    driverModule: null,
    inner: { autoCredit: false, creditWindow: 256, requestTimeoutMs: 30_000, destroyGraceMs: 2000 },
    startTimeoutMs: LIMITS.childStartTimeoutMs,
  };
  const t0 = performance.now();
  const conn = await ChildConnection.start(config);
  const ready = performance.now() - t0;
  await conn.call('load', { path: library, sha256: null }, 10_000, 'load');
  const loaded = performance.now() - t0;
  const instanceId = `split-${n}`;
  const dir = dirname(library);
  await conn.call(
    'create',
    {
      meta: {
        id: 'echo-split',
        name: 'echo',
        description: '',
        version: '1.0.0',
        author: null,
        pluginDir: dir,
        libraryPath: library,
        configPath: join(dir, 'config.toml'),
        instanceId,
        settingsJson: '{}',
        requireHistory: false,
      },
    },
    5000,
    'create',
  );
  await conn.call('lifecycle', { instanceId, entry: 'on_mount' }, 5000, 'on_mount');
  const mounted = performance.now() - t0;
  // Idle: the answer to a ping comes after everything the start left queued.
  await conn.call('ping', {}, 5000, 'ping');
  const rss = rssOf(conn.pid);
  await conn.shutdown();
  return { ms: [ready, loaded - ready, mounted - loaded], rss };
}

/** Cold start figures (medians of {@link RUNS}); each row is passed to `report` as measured. */
export async function runColdStartBench(report: (row: BenchRow) => void): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'pi-bench-cold-'));
  try {
    const ids = await echoCopies(root, RUNS + 1);
    const pluginDir = join(root, 'plugins');
    const host = await createPluginHost({
      pluginDirs: [pluginDir],
      logger: { log: () => undefined },
      isolation: 'isolated',
      isolatedDriver: { warmSpare: false },
    });
    // The host's first isolated load also imports the driver and checks the child bundle: once
    // per host process, reported apart.
    let t = performance.now();
    await host.load(ids[0] ?? '');
    const first = performance.now() - t;
    const loads: number[] = [];
    for (const id of ids.slice(1)) {
      t = performance.now();
      await host.load(id);
      loads.push(performance.now() - t);
    }
    await host.close();
    const total = median(loads);
    const library = join(
      pluginDir,
      ids[0] ?? '',
      readdirSync(join(pluginDir, ids[0] ?? '')).find((f) => /\.(so|dylib|dll)$/.test(f)) ?? '',
    );
    const splits: Array<Awaited<ReturnType<typeof split>>> = [];
    for (let i = 0; i < RUNS; i++) splits.push(await split(library, i));
    const [ready, load, mount] = [0, 1, 2].map((k) => median(splits.map((s) => s.ms[k] ?? Number.NaN)));
    const rss = median(splits.flatMap((s) => (s.rss === null ? [] : [s.rss])));
    const f = (v: number | undefined) => `${(v ?? Number.NaN).toFixed(0)} ms`;
    report({
      name: 'isolated cold start split (spawn→ready / load / mount)',
      value: `${f(ready)} / ${f(load)} / ${f(mount)}`,
      target: 'reported',
      met: true,
    });
    report({
      name: 'isolated cold start: host.load, no warm spare, p50',
      value: `${f(total)} (min ${f(Math.min(...loads))}, host's first ${f(first)})`,
      target: `≤ ${TARGET_MS} ms`,
      met: total <= TARGET_MS,
    });
    report({
      name: 'idle plugin process RSS (echo mounted), p50',
      value: Number.isNaN(rss) ? 'not measured here (no /proc)' : `${(rss / 1e6).toFixed(1)} MB`,
      target: `≤ ${TARGET_RSS_MB} MB`,
      met: Number.isNaN(rss) || rss <= TARGET_RSS_MB * 1e6,
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runColdStartBench((r) =>
    console.log(
      `${r.met ? 'MET    ' : 'NOT MET'}  ${r.name.padEnd(56)} ${r.value.padEnd(40)} target ${r.target}`,
    ),
  );
}
