// Host storage benchmark (`pnpm bench`, issue 10): host memory while an isolated streamer plugin
// streams STREAMS × CHUNKS chunks through the bridge to a connected WebSocket client, and the
// largest snapshot frame a client gets (the hello and a `snapshot` request) afterwards. Layer
// measured: the whole host process (PluginHost + isolated driver parent + bridge server), RSS
// after a forced GC; the plugin's own child process is not counted (it has its own memory cap).
// BENCH_STREAM_CHUNKS scales the run down on slow machines; the scale is printed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildExamples } from '@plugin-interfaces/sdk-c/build-examples';
import { BRIDGE_MAX_FRAME } from '@plugin-interfaces/spec';
import { WebSocket } from 'ws';
import { createBridgeServer } from '../src/bridge/index.js';
import { createPluginHost } from '../src/index.js';

const STREAMS = 4;
const CHUNKS = Number(process.env.BENCH_STREAM_CHUNKS ?? 1_000_000);
const MB = 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
function rss(): number {
  gc();
  gc();
  return process.memoryUsage().rss;
}
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

function row(name: string, value: string, target: string, met: boolean): boolean {
  console.log(`${met ? 'MET    ' : 'NOT MET'}  ${name.padEnd(62)} ${value.padEnd(34)} target ${target}`);
  return met;
}

/** A bridge client that keeps no frames: it counts them, remembers the largest, and waits for markers. */
class CountingClient {
  readonly ws: WebSocket;
  frames = 0;
  largest = 0;
  #waiters: { test: (text: string) => boolean; resolve: (text: string) => void }[] = [];
  #nextId = 1;

  constructor(url: string) {
    this.ws = new WebSocket(url, { maxPayload: 2 * BRIDGE_MAX_FRAME });
    this.ws.on('message', (data: Buffer) => {
      this.frames++;
      if (data.length > this.largest) this.largest = data.length;
      if (this.#waiters.length === 0) return;
      const text = data.toString('utf8');
      for (const w of [...this.#waiters])
        if (w.test(text)) {
          this.#waiters.splice(this.#waiters.indexOf(w), 1);
          w.resolve(text);
        }
    });
  }

  until(test: (text: string) => boolean): Promise<string> {
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }

  /** Send a request and resolve with its result frame (text). */
  async request(frame: Record<string, unknown>): Promise<string> {
    const id = this.#nextId++;
    const result = this.until((t) => t.startsWith('{"type":"result"') && t.includes(`"id":${id},`));
    this.ws.send(JSON.stringify({ id, ...frame }));
    return result;
  }
}

const root = await mkdtemp(join(tmpdir(), 'pi-storage-'));
const built = join(root, 'built');
await buildExamples({ outDir: built, examples: ['streamer'] });
const host = await createPluginHost({
  pluginDirs: [built],
  isolation: 'isolated',
  logger: { log: () => undefined },
});
const bridge = await createBridgeServer({ host });
const url = `${bridge.url}?token=${bridge.token}`;

const client = new CountingClient(url);
await client.until((t) => t.startsWith('{"type":"hello"'));
const loaded = JSON.parse(await client.request({ op: 'load', plugin_id: 'streamer' })) as {
  value: { instance_id: string };
};
const instance_id = loaded.value.instance_id;
await client.request({ op: 'connect', instance_id });

/** Run one stream of `n` chunks and resolve when the client saw its stream_end. */
async function stream(n: number): Promise<void> {
  const ended = client.until((t) => t.includes('"type":"stream_end"'));
  await client.request({ op: 'send_message', instance_id, message: `stream ${n}` });
  await ended;
}

console.log(
  `\nhost storage: isolated streamer, ${STREAMS} × ${CHUNKS.toLocaleString('en-US')} chunks through the bridge to one client` +
    (CHUNKS === 1_000_000 ? '' : ` (scaled down from 4 × 1,000,000 by BENCH_STREAM_CHUNKS)`),
);
await stream(1_000); // warm-up: the child process, the code paths, the first buffers
const base = rss();
let peak = base;
const baseUsage = process.memoryUsage();
const peaks = {
  heapTotal: baseUsage.heapTotal,
  external: baseUsage.external,
  arrayBuffers: baseUsage.arrayBuffers,
};
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peak = Math.max(peak, m.rss);
  peaks.heapTotal = Math.max(peaks.heapTotal, m.heapTotal);
  peaks.external = Math.max(peaks.external, m.external);
  peaks.arrayBuffers = Math.max(peaks.arrayBuffers, m.arrayBuffers);
}, 100);
// What the host retains while streaming: a forced GC every 2 s, then the RSS.
let retained = base;
const collector = setInterval(() => {
  retained = Math.max(retained, rss());
}, 2000);
const t0 = performance.now();
for (let i = 1; i <= STREAMS; i++) {
  const s0 = performance.now();
  await stream(CHUNKS);
  const seconds = (performance.now() - s0) / 1000;
  console.log(
    `  stream ${i}: ${(CHUNKS / seconds).toFixed(0)} chunks/s, host RSS ${mb(rss())} (start ${mb(base)})`,
  );
}
clearInterval(sampler);
clearInterval(collector);
const total = (performance.now() - t0) / 1000;
const after = rss();
peak = Math.max(peak, after);
console.log(
  `  peak growth by kind: V8 heap ${mb(peaks.heapTotal - baseUsage.heapTotal)}, external ${mb(peaks.external - baseUsage.external)} (array buffers ${mb(peaks.arrayBuffers - baseUsage.arrayBuffers)})`,
);
console.log(
  `  ${client.frames.toLocaleString('en-US')} frames in ${total.toFixed(1)} s; largest frame ${client.largest} bytes`,
);

// The snapshot a client gets now: as a result of `snapshot`, and as a new client's hello.
const snapshotFrame = await client.request({ op: 'snapshot' });
const second = new CountingClient(url);
const hello = await second.until((t) => t.startsWith('{"type":"hello"'));
const largestSnapshot = Math.max(Buffer.byteLength(snapshotFrame), Buffer.byteLength(hello));

let met = true;
met =
  row(
    'host RSS growth after 4 streams (GC, vs after warm-up)',
    mb(after - base),
    '< 64 MB',
    after - base < 64 * MB,
  ) && met;
met =
  row(
    'host RSS growth while streaming (after a GC, every 2 s)',
    mb(retained - base),
    '< 64 MB',
    retained - base < 64 * MB,
  ) && met;
met =
  row(
    'host RSS peak growth while streaming (no GC, every 100 ms)',
    mb(peak - base),
    '< 64 MB',
    peak - base < 64 * MB,
  ) && met;
met =
  row(
    'largest snapshot frame (snapshot result, hello)',
    `${largestSnapshot} bytes`,
    `≤ ${BRIDGE_MAX_FRAME} (frame cap)`,
    largestSnapshot <= BRIDGE_MAX_FRAME,
  ) && met;
met =
  row(
    'largest frame of any kind',
    `${client.largest} bytes`,
    `≤ ${BRIDGE_MAX_FRAME}`,
    client.largest <= BRIDGE_MAX_FRAME,
  ) && met;

second.ws.close();
client.ws.close();
await bridge.close();
await host.close();
await rm(root, { recursive: true, force: true });
console.log(`\nhost storage: ${met ? 'all targets met' : 'some targets NOT met'}`);
