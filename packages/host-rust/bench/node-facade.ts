// host-node's figures for the same calls host-rust-bench measures (PluginHost facade, echo
// handle_message round trip and streamer chunks/s, C and Rust examples, in-process and isolated),
// printed beside host-rust's (target/bench-host-rust.json, written by `cargo run --bin host-rust-bench`).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPluginHost, IsolatedDriver } from '../../host-node/src/index.js';

interface Row {
  host: string;
  mode: string;
  lang: string;
  roundTripUs: number;
  chunksPerSecond: number;
}

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'target');
const rustRows: Row[] = JSON.parse(readFileSync(join(target, 'bench-host-rust.json'), 'utf8'));
const MESSAGES = 5_000;
const CHUNKS = 100_000;

async function measure(lang: string, mode: 'in-process' | 'isolated'): Promise<Row> {
  const root = join(target, 'bench-plugins', lang);
  if (!existsSync(root)) throw new Error(`${root} is missing: run the host-rust bench first`);
  const prefix = lang === 'rust' ? 'rust-' : '';
  const driver = mode === 'isolated' ? new IsolatedDriver({ warmSpare: false }) : undefined;
  const host = await createPluginHost({
    pluginDirs: [root],
    ...(driver ? { driver } : {}),
    logger: { log: () => {} },
  });
  try {
    const echo = await host.load(`${prefix}echo`);
    await host.connect(echo.instance_id);
    for (let i = 0; i < 200; i++) await host.handleMessage(echo.instance_id, 'hi');
    let t0 = performance.now();
    for (let i = 0; i < MESSAGES; i++) await host.handleMessage(echo.instance_id, 'hi');
    const roundTripUs = ((performance.now() - t0) * 1000) / MESSAGES;
    const s = await host.load(`${prefix}streamer`);
    await host.connect(s.instance_id);
    let chunks = 0;
    const ended = new Promise<void>((resolve) =>
      host.on('plugin-stream', (e) => {
        if (e.payload.type === 'stream_data') chunks++;
        if (e.payload.type === 'stream_end') resolve();
      }),
    );
    t0 = performance.now();
    await host.handleMessage(s.instance_id, `stream ${CHUNKS}`);
    await ended;
    const chunksPerSecond = chunks / ((performance.now() - t0) / 1000);
    return { host: 'host-node', mode, lang, roundTripUs, chunksPerSecond };
  } finally {
    await host.close();
    await driver?.close();
  }
}

const rows: Row[] = [...rustRows];
for (const lang of ['c', 'rust'])
  for (const mode of ['in-process', 'isolated'] as const) rows.push(await measure(lang, mode));
console.log('\nPluginHost facade: echo handle_message round trip, streamer chunks/s (one listener)');
console.log('host       mode        lang  round trip     stream');
for (const r of rows)
  console.log(
    `${r.host.padEnd(10)} ${r.mode.padEnd(11)} ${r.lang.padEnd(5)} ${r.roundTripUs.toFixed(1).padStart(7)} µs  ${Math.round(r.chunksPerSecond).toLocaleString('en').padStart(9)} /s`,
  );
