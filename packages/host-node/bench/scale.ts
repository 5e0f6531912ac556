// Scale benchmark (`pnpm bench`): how the cost of one unit (an instance, a plugin, an isolated start, a
// stream chunk) changes as the count grows. Every figure goes through the public API integrators call
// (`createPluginHost`, `host.load`, `host.handleMessage`, `host.on`); the ratio of the largest count's
// per-unit cost to the count of 10 is the number to watch (target ≤ 1.5: no cliff).
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildExamples } from '@plugin-interfaces/sdk-c/build-examples';
import { createPluginHost, type HostLogger, type PluginHost, type PluginHostOptions } from '../src/index.js';

type Row = { readonly name: string; readonly value: string; readonly target: string; readonly met: boolean };
const rows: Row[] = [];
function report(name: string, value: string, target: string, met: boolean): void {
  rows.push({ name, value, target, met });
  console.log(`${met ? 'MET    ' : 'NOT MET'}  ${name.padEnd(60)} ${value.padEnd(40)} target ${target}`);
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
function hostBytes(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.rss + m.external;
}
const MB = 1024 * 1024;
const ms = (t0: number) => performance.now() - t0;

// `scale.ts history` (or instances, plugins, isolated) runs only those parts.
const parts = process.argv.slice(2);
const want = (part: string) => parts.length === 0 || parts.includes(part);

const root = await mkdtemp(join(tmpdir(), 'pi-scale-'));
const built = join(root, 'built');
await buildExamples({ outDir: built, examples: ['echo', 'ui-demo', 'streamer'] });

/** `count` copies of a built example, each with its own plugin id, in a fresh plugin root. */
async function copies(example: string, count: number): Promise<{ dir: string; ids: string[] }> {
  const dir = await mkdtemp(join(root, `${example}-${count}-`));
  const config = await readFile(join(built, example, 'config.toml'), 'utf8');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${example}-${String(i).padStart(4, '0')}`;
    await cp(join(built, example), join(dir, id), { recursive: true });
    await writeFile(join(dir, id, 'config.toml'), config.replace(/^id = ".*"$/m, `id = "${id}"`));
    ids.push(id);
  }
  return { dir, ids };
}

const quiet: HostLogger = { log: () => undefined };
async function host(dirs: string[], extra: Partial<PluginHostOptions> = {}): Promise<PluginHost> {
  return createPluginHost({ pluginDirs: dirs, logger: quiet, ...extra });
}

/** Print per-unit costs by N and the cliff ratio (largest N against N = 10). */
function cliff(what: string, unit: string, perUnit: Map<number, number>, fmt: (v: number) => string): void {
  const ns = [...perUnit.keys()];
  const largest = Math.max(...ns);
  const base = perUnit.get(10) ?? perUnit.get(ns[0]!)!;
  const ratio = perUnit.get(largest)! / base;
  const series = ns.map((n) => `N=${n}: ${fmt(perUnit.get(n)!)}`).join(', ');
  console.log(`  ${what} per ${unit}: ${series}`);
  report(`${what}: per-${unit} cost at N=${largest} / N=10`, `${ratio.toFixed(2)}×`, '≤ 1.5×', ratio <= 1.5);
}

// 1. In-process instances of one plugin: load time and host memory per instance, message latency.
if (want('instances')) {
  console.log('\nin-process instances (ui-demo, public API):');
  const h = await host([built]);
  const loadPer = new Map<number, number>();
  const msgPer = new Map<number, number>();
  let loaded: string[] = [];
  const before = hostBytes();
  let memPer = 0;
  for (const n of [1, 10, 100, 1000]) {
    const t0 = performance.now();
    const fresh: string[] = [];
    for (let i = loaded.length; i < n; i++) fresh.push((await h.load('ui-demo')).instance_id);
    loadPer.set(n, ms(t0) / Math.max(1, fresh.length));
    loaded = [...loaded, ...fresh];
    memPer = (hostBytes() - before) / n;
    const echo = (await h.load('echo')).instance_id;
    await h.connect(echo);
    const rounds = 2000;
    const t1 = performance.now();
    for (let i = 0; i < rounds; i++) await h.handleMessage(echo, 'ping');
    msgPer.set(n, (ms(t1) * 1000) / rounds);
    await h.unload(echo);
  }
  cliff('load', 'instance', loadPer, (v) => `${v.toFixed(3)} ms`);
  cliff('echo round trip beside N instances', 'message', msgPer, (v) => `${v.toFixed(1)} µs`);
  report(
    'host memory per idle instance at N=1000 (RSS + external)',
    `${(memPer / 1024).toFixed(0)} KiB`,
    '< 200 KiB',
    memPer < 200 * 1024,
  );
  await h.close();
}

// 2. Plugins: discovery (scan) and first load per plugin.
if (want('plugins')) {
  console.log('\nplugins (echo copies, public API):');
  const scanPer = new Map<number, number>();
  const loadPer = new Map<number, number>();
  for (const n of [1, 10, 100, 300]) {
    const { dir, ids } = await copies('echo', n);
    const t0 = performance.now();
    const h = await host([dir]);
    scanPer.set(n, ms(t0) / n);
    const t1 = performance.now();
    for (const id of ids) await h.load(id);
    loadPer.set(n, ms(t1) / n);
    await h.close();
  }
  cliff('discovery', 'plugin', scanPer, (v) => `${v.toFixed(2)} ms`);
  cliff('first load', 'plugin', loadPer, (v) => `${v.toFixed(2)} ms`);
}

// 3. Isolated plugins started concurrently (one child process per plugin).
if (want('isolated')) {
  console.log('\nisolated plugins started at once (echo copies, public API):');
  const startPer = new Map<number, number>();
  for (const n of [1, 10, 50]) {
    const { dir, ids } = await copies('echo', n);
    const h = await host([dir], { isolation: 'isolated' });
    const t0 = performance.now();
    const results = await Promise.allSettled(ids.map((id) => h.load(id)));
    const wall = ms(t0);
    const failed = results.filter((r) => r.status === 'rejected');
    startPer.set(n, wall / n);
    report(
      `isolated: ${n} concurrent loads all succeed`,
      `${n - failed.length}/${n} in ${wall.toFixed(0)} ms`,
      `${n}/${n}`,
      failed.length === 0,
    );
    if (failed.length > 0)
      console.log(`  first failure: ${String((failed[0] as PromiseRejectedResult).reason)}`);
    await h.close();
  }
  cliff('isolated start', 'plugin', startPer, (v) => `${v.toFixed(0)} ms`);
}

// 4. Stream chunks/s seen by a host listener, by history length.
if (want('history')) {
  const CHUNKS = 200_000;
  console.log(
    `\nstream chunks/s by history length (streamer, ${CHUNKS.toLocaleString('en')} chunks, host.on, median of 5):`,
  );
  const rates = new Map<number, number>();
  // The first pass (an empty history, not recorded) warms the JIT up, so the empty-history
  // figure is not the slowest for the wrong reason.
  for (const [pass, entries] of [-1, 0, 20_000, 100_000].entries()) {
    const warmup = pass === 0;
    const h = await host([built], {
      // Room for the pre-filled history (the history and per-plugin budgets above their defaults).
      limits: {
        maxHistoryEntries: Math.max(0, entries) + 1000,
        maxHistoryBytes: 1024 * MB,
        maxPluginBytes: 2048 * MB,
      },
    });
    const { instance_id } = await h.load('streamer');
    await h.connect(instance_id);
    // Each "stream 1" exchange adds the user message, the reply and the stream to the history.
    // Sent in concurrent batches so the frames that follow them coalesce.
    const kept = () => {
      const page = h.history(instance_id, { limit: 1 });
      return page.messages.length + page.more;
    };
    // Every pre-fill stream ends before the measured one starts, so the listener below sees only it.
    let sent = 0;
    let ends = 0;
    let settled: () => void = () => undefined;
    const offPrefill = h.on('plugin-stream', (e) => {
      if (e.payload.type === 'stream_end' || e.payload.type === 'stream_cancel') ends++;
      if (ends === sent) settled();
    });
    while (kept() < entries) {
      sent += 500;
      await Promise.all(Array.from({ length: 500 }, () => h.handleMessage(instance_id, 'stream 1')));
    }
    if (ends < sent)
      await new Promise<void>((r) => {
        settled = r;
      });
    offPrefill();
    // One measured stream: chunks/s seen by a host.on listener, from the call to its stream_end.
    const measure = async (): Promise<number> => {
      let seen = 0;
      let done: () => void = () => undefined;
      const ended = new Promise<void>((r) => {
        done = r;
      });
      let streamId: string | null = null;
      const off = h.on('plugin-stream', (e) => {
        const p = e.payload;
        if (p.instance_id !== instance_id) return;
        if (p.type === 'stream_start' && streamId === null) streamId = p.data.stream_id;
        if (p.data.stream_id !== streamId) return;
        if (p.type === 'stream_data') seen++;
        else if (p.type === 'stream_end') done();
      });
      const t0 = performance.now();
      await h.handleMessage(instance_id, `stream ${CHUNKS}`);
      await ended;
      off();
      return seen / (ms(t0) / 1000);
    };
    // The median of five streams: one stream's rate swings with GC and the other core's load.
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push(await measure());
    runs.sort((a, b) => a - b);
    const rate = runs[2]!;
    if (!warmup) rates.set(entries, rate);
    console.log(
      `  ${warmup ? 'warm-up, ' : ''}history ${kept()} entries: ${Math.round(rate)} chunks/s (median of ${runs.map(Math.round).join(', ')})`,
    );
    await h.close();
  }
  const empty = rates.get(0)!;
  for (const [entries, rate] of rates)
    if (entries > 0)
      report(
        `chunks/s at ${entries.toLocaleString('en')} history entries vs empty history`,
        `${((rate / empty) * 100).toFixed(0)}% (${Math.round(rate)}/s vs ${Math.round(empty)}/s)`,
        '≥ 80%',
        rate >= 0.8 * empty,
      );
}

await rm(root, { recursive: true, force: true });
const missed = rows.filter((r) => !r.met);
console.log(`\nscale: ${rows.length - missed.length} of ${rows.length} targets met`);
