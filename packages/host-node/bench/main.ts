// host-node in-process driver benchmarks: every figure is measured in this run next to its floor, at
// the driver layer (`InProcessDriver` and its `DriverHooks`, no PluginHost). The public API is measured
// by public-api.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import koffi from 'koffi';
import { InProcessDriver, loadNativeRuntime } from '../src/driver/in-process/index.js';
import { buildMetadata } from '../src/driver/in-process/metadata.js';
import type { DriverHooks, InstanceMetadata } from '../src/driver/types.js';
import { abiTypes } from '../src/generated/abi.js';
import { compileFixture, SDK_INCLUDE } from './compile.js';
import { runIsolatedBench } from './isolated.js';

const dir = mkdtempSync(join(tmpdir(), 'pi-bench-'));
const include = SDK_INCLUDE;
const cc = (name: string) => compileFixture(dir, name);
const good = cc('good');
const floorLib = cc('tsfn_floor');

const rows: string[] = [];
function report(name: string, value: string, target: string, met: boolean): void {
  rows.push(`${met ? 'MET    ' : 'NOT MET'}  ${name.padEnd(58)} ${value.padEnd(34)} target ${target}`);
  console.log(rows[rows.length - 1]);
}
const nowNs = () => process.hrtime.bigint();
const perCall = (t0: bigint, n: number) => Number(nowNs() - t0) / n;

let chunks = 0;
let streamDone: (() => void) | null = null;
const hooks: DriverHooks = {
  onEvents: (_i, events) => {
    for (const e of events) {
      if (e.kind === 'stream_data') chunks++;
      else if (e.kind === 'stream_end') streamDone?.();
    }
  },
  getAppConfig: () => ({ status: 0, value: 'x' }),
  callOtherPlugin: () => ({ status: 0, value: 'x' }),
};
const meta: InstanceMetadata = {
  id: 'bench',
  name: 'Bench',
  description: '',
  version: '1',
  author: null,
  pluginDir: dir,
  libraryPath: good,
  configPath: join(dir, 'config.toml'),
  instanceId: 'bench-1',
  settingsJson: '{}',
  requireHistory: false,
};

const driver = new InProcessDriver({ creditWindow: 4096 });
const lib = await driver.loadLibrary(good, hooks);
const inst = await lib.createInstance(meta);
const rt = loadNativeRuntime();

// Raw floor: the same plugin's functions called straight through koffi.
const t = abiTypes();
const raw = koffi.load(good);
const entry = koffi.decode(
  (raw.func('pi_plugin_entry', 'void *', []) as () => bigint)(),
  t.PiPluginEntry,
) as { vtable: bigint };
const vt = entry.vtable;
const fnAt = (field: string) => koffi.decode(vt, koffi.offsetof(t.PiPluginVTable, field), 'void *') as bigint;
const rawCreate = koffi.decode(fnAt('create'), t.PiPluginCreateFn) as (...a: unknown[]) => number;
const rawHandle = koffi.decode(fnAt('handle_message'), t.PiPluginHandleMessageFn) as (
  ...a: unknown[]
) => number;
const rawUpdate = koffi.decode(fnAt('update_ui'), t.PiPluginUpdateUiFn) as (...a: unknown[]) => number;
const host = rt.instanceNew(256, 1000);
const selfBuf = new BigUint64Array(1);
const errBuf = new Uint8Array(koffi.sizeof(t.PiError));
const m = buildMetadata(rt, meta);
rawCreate(host, m.buffer, selfBuf, errBuf);
const self = selfBuf[0]!;
const outBuf = new BigUint64Array(1);

// 1. handle_message round trip, 1 KiB message that the plugin accepts without a reply.
const msg = `x${'m'.repeat(1023)}`;
const N1 = 200_000;
for (let i = 0; i < 10_000; i++) rawHandle(self, i, msg, outBuf, errBuf);
let t0 = nowNs();
for (let i = 0; i < N1; i++) rawHandle(self, i, msg, outBuf, errBuf);
const rawMsg = perCall(t0, N1);
for (let i = 0; i < 10_000; i++) await inst.handleMessage(i, msg);
t0 = nowNs();
for (let i = 0; i < N1; i++) await inst.handleMessage(i, msg);
const drvMsg = perCall(t0, N1);
report(
  'driver: handle_message 1 KiB round trip vs raw koffi call',
  `${drvMsg.toFixed(0)} ns vs ${rawMsg.toFixed(0)} ns = ${(drvMsg / rawMsg).toFixed(2)}x`,
  '<= 3x',
  drvMsg / rawMsg <= 3,
);

// 1b. The same calls from a plain C program that dlopens the plugin: the native floor.
const cFloorBin = join(dir, 'c_floor');
const cBuild = spawnSync('cc', [
  '-std=c11',
  '-O2',
  '-I',
  include,
  '-o',
  cFloorBin,
  fileURLToPath(new URL('./c_floor.c', import.meta.url)),
  '-ldl',
]);
if (cBuild.status !== 0) throw new Error(`cc c_floor: ${cBuild.stderr}`);
const cRun = spawnSync(cFloorBin, [good, String(N1 * 5)], { encoding: 'utf8' });
const cMsg = Number(cRun.stdout.trim());
if (cRun.status !== 0 || !Number.isFinite(cMsg))
  throw new Error(`c_floor failed (${cRun.status}): ${cRun.stderr}`);
report(
  '  ratio to a plain C dlopen caller',
  `${drvMsg.toFixed(0)} ns vs ${cMsg.toFixed(0)} ns = ${(drvMsg / cMsg).toFixed(2)}x`,
  'informational',
  true,
);

// 2. One update_ui frame of 100 buttons vs the same update_ui over 100 no-op koffi callbacks.
await inst.handleMessage(0, 'ui:bench');
const noop = [
  koffi.register(() => undefined, koffi.pointer(t.PiUiTextFn)),
  koffi.register(() => undefined, koffi.pointer(t.PiUiTextFn)),
  koffi.register(() => undefined, koffi.pointer(t.PiUiVoidFn)),
  koffi.register(() => 0, koffi.pointer(t.PiUiButtonFn)),
  koffi.register(() => 0, koffi.pointer(t.PiUiTextEditFn)),
  koffi.register(() => 0, koffi.pointer(t.PiUiComboBoxFn)),
  koffi.register(() => 0, koffi.pointer(t.PiUiToggleFn)),
  koffi.register(() => undefined, koffi.pointer(t.PiUiVoidFn)),
  koffi.register(() => undefined, koffi.pointer(t.PiUiVoidFn)),
  koffi.register(() => undefined, koffi.pointer(t.PiUiVoidFn)),
  koffi.register(() => undefined, koffi.pointer(t.PiUiPushIdFn)),
  koffi.register(() => undefined, koffi.pointer(t.PiUiVoidFn)),
];
const rawUi = rt.uiNew(0n, new BigUint64Array(noop), 12);
(koffi.decode(fnAt('handle_message'), t.PiPluginHandleMessageFn) as (...a: unknown[]) => number)(
  self,
  0,
  'ui:bench',
  outBuf,
  errBuf,
);
const N2 = 20_000;
for (let i = 0; i < 2000; i++) rawUpdate(self, rawUi, errBuf);
t0 = nowNs();
for (let i = 0; i < N2; i++) rawUpdate(self, rawUi, errBuf);
const rawFrame = perCall(t0, N2);
for (let i = 0; i < 2000; i++) await inst.updateUi([]);
t0 = nowNs();
for (let i = 0; i < N2; i++) await inst.updateUi([]);
const drvFrame = perCall(t0, N2);
report(
  'driver: update_ui frame, 100 widgets recorded vs 100 raw callbacks',
  `${(drvFrame / 1000).toFixed(1)} us vs ${(rawFrame / 1000).toFixed(1)} us = ${(drvFrame / rawFrame).toFixed(2)}x`,
  '<= 2x',
  drvFrame / rawFrame <= 2,
);

// 3. Stream chunks/s from a plugin thread to the driver hook vs a bare koffi thread-safe callback loop.
const N3 = 500_000;
chunks = 0;
// The stream starts on a plugin thread after the entry call returned; no timer is needed to keep
// the loop alive until its first record arrives: the driver holds it while the instance lives.
const done = new Promise<void>((r) => {
  streamDone = r;
});
t0 = nowNs();
await inst.handleMessage(0, `stream:${N3}`);
await done;
const streamRate = N3 / (Number(nowNs() - t0) / 1e9);
await inst.handleMessage(0, 'join');
const floor = koffi.load(floorLib);
const start = floor.func('void floor_start(void *, int32_t)') as (cb: bigint, n: number) => void;
const N4 = 100_000;
let got = 0;
let floorDone: () => void = () => undefined;
const floorFinished = new Promise<void>((r) => {
  floorDone = r;
});
const cb = koffi.register(
  () => {
    if (++got === N4) floorDone();
  },
  koffi.pointer(koffi.proto('void floor_cb(int32_t)')),
);
const keepAlive = setInterval(() => undefined, 1000);
t0 = nowNs();
start(cb, N4);
await floorFinished;
clearInterval(keepAlive);
const floorRate = N4 / (Number(nowNs() - t0) / 1e9);
report(
  'driver: stream chunks/s, plugin thread -> DriverHooks.onEvents',
  `${Math.round(streamRate).toLocaleString('en')} /s (${chunks} chunks)`,
  '>= 100,000/s',
  streamRate >= 100_000,
);
report(
  '  ratio to bare koffi thread-safe callback loop',
  `${(streamRate / floorRate).toFixed(1)}x (floor ${Math.round(floorRate).toLocaleString('en')} /s)`,
  'informational',
  true,
);

// 4. RSS growth over 1,000,000 handle_message calls and 100,000 frames.
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const rss0 = process.memoryUsage().rss;
for (let i = 0; i < 1_000_000; i++) await inst.handleMessage(i, 'echo:hello');
await inst.handleMessage(0, 'ui:normal');
for (let i = 0; i < 100_000; i++)
  await inst.updateUi([{ widget_id: 'text_edit:Your name', kind: 'text', value: `n${i % 10}` }]);
gc?.();
const growth = (process.memoryUsage().rss - rss0) / 2 ** 20;
report(
  'driver: RSS growth, 1M handle_message + 100k frames',
  `${growth.toFixed(1)} MB`,
  '< 10 MB',
  growth < 10,
);

await inst.destroy();
await lib.close();
await driver.close();

// 5. The isolated driver (one child process per library), counted in the same summary.
console.log('\nisolated driver:');
await runIsolatedBench((row) => report(row.name, row.value, row.target, row.met));
console.log(`\n${rows.filter((r) => r.startsWith('MET')).length}/${rows.length} figures met their targets`);
