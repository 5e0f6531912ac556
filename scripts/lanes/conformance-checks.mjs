// The lane checks: runs inside a fresh project where the packed tarballs are installed, on the
// platform's own Node (natively, under wine, or under qemu), through host-node's public API only.
//   node conformance-checks.mjs <pluginDir> <resultFile> [modes=in-process,isolated] [checks=all]
// Writes one line per check ("ok <mode> <check>" / "FAIL <mode> <check>: why") and a last line
// {"passed":N,"failed":M} to <resultFile> (Windows Node under wine cannot write to a pipe).
import { appendFileSync, writeFileSync } from 'node:fs';
import { createPluginHost, MemoryAppConfig } from '@plugin-interfaces/host-node';

const [pluginDir, resultFile, modesArg = 'in-process,isolated', checksArg = 'all'] = process.argv.slice(2);
if (!pluginDir || !resultFile)
  throw new Error('usage: conformance-checks.mjs <pluginDir> <resultFile> [modes] [checks]');
const STEP_MS = Number(process.env.PI_LANE_STEP_MS ?? 60_000);
writeFileSync(resultFile, '');
const out = (line) => appendFileSync(resultFile, `${line}\n`);

function within(ms, what, promise) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]);
}

function expectEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Stream events of one instance, collected until stream_end or stream_cancel. */
function streamOf(host, instanceId) {
  const events = [];
  let done;
  const ended = new Promise((resolve) => {
    done = resolve;
  });
  host.on('plugin-stream', (e) => {
    if (e.payload.instance_id !== instanceId) return;
    events.push(e.payload);
    if (e.payload.type === 'stream_end' || e.payload.type === 'stream_cancel') done(events);
  });
  return ended;
}

const CHECKS = {
  async discovery(host) {
    const ready = host
      .plugins()
      .filter((p) => p.status === 'ready')
      .map((p) => p.id)
      .sort();
    for (const id of ['echo', 'streamer', 'ui-demo'])
      if (!ready.includes(id))
        throw new Error(
          `${id} is not ready: ${JSON.stringify(host.plugins().find((p) => p.id === id) ?? null)}`,
        );
  },
  async echo(host) {
    const { instance_id } = await host.load('echo');
    await host.connect(instance_id);
    const { reply } = await host.handleMessage(instance_id, 'hi');
    expectEqual(reply, 'Echo: hi', 'echo reply');
    await host.unload(instance_id);
  },
  async 'ui-demo'(host) {
    const { instance_id } = await host.load('ui-demo');
    const labels = () => JSON.stringify(host.instance(instance_id).tree ?? null);
    if (!labels().includes('Count: 0'))
      throw new Error(`first frame has no "Count: 0": ${labels().slice(0, 200)}`);
    await host.dispatchUiEvent(instance_id, { widget_id: 'increment', kind: 'click' });
    if (!labels().includes('Count: 1'))
      throw new Error(`after a click the frame has no "Count: 1": ${labels().slice(0, 200)}`);
    await host.unload(instance_id);
  },
  async streamer(host) {
    const { instance_id } = await host.load('streamer');
    await host.connect(instance_id);
    const ended = streamOf(host, instance_id);
    const { reply } = await host.handleMessage(instance_id, 'stream 20');
    expectEqual(reply, 'streaming 20 chunks', 'streamer reply');
    const events = await ended;
    const data = events.filter((e) => e.type === 'stream_data');
    expectEqual(
      data.map((e) => e.data.seq),
      [...Array(20).keys()],
      'chunk sequence',
    );
    expectEqual(events.at(-1).type === 'stream_end' && events.at(-1).data.success, true, 'stream end');
    await host.unload(instance_id);
  },
  async 'config-caller'(host) {
    const echo = await host.load('echo'); // the target of call_other_plugin
    await host.connect(echo.instance_id);
    const { instance_id } = await host.load('config-caller');
    await host.connect(instance_id);
    const config = await host.handleMessage(instance_id, 'config theme');
    if (!String(config.reply).includes('dark'))
      throw new Error(`config theme answered ${JSON.stringify(config.reply)}`);
    const call = await host.handleMessage(instance_id, 'call echo hi');
    expectEqual(call.reply, 'echo said: Echo: hi', 'call_other_plugin from a plugin thread');
    await host.unload(instance_id);
    await host.unload(echo.instance_id);
  },
};

const modes = modesArg.split(',');
const names = checksArg === 'all' ? Object.keys(CHECKS) : checksArg.split(',');
let passed = 0;
let failed = 0;
for (const mode of modes) {
  let host;
  try {
    host = await within(
      STEP_MS,
      'createPluginHost',
      createPluginHost({
        pluginDirs: [pluginDir],
        isolation: mode,
        isolatedDriver: { startTimeoutMs: Number(process.env.PI_LANE_START_MS ?? 10_000) },
        appConfig: new MemoryAppConfig({ theme: 'dark' }),
      }),
    );
  } catch (e) {
    for (const name of names) {
      out(`FAIL ${mode} ${name}: host did not start: ${e?.message ?? e}`);
      failed++;
    }
    continue;
  }
  for (const name of names) {
    try {
      await within(STEP_MS, name, CHECKS[name](host));
      out(`ok ${mode} ${name}`);
      passed++;
    } catch (e) {
      out(`FAIL ${mode} ${name}: ${String(e?.message ?? e).replace(/\s+/g, ' ')}`);
      failed++;
    }
  }
  await within(STEP_MS, 'close', host.close()).catch((e) => {
    out(`FAIL ${mode} close: ${e?.message ?? e}`);
    failed++;
  });
}
out(JSON.stringify({ passed, failed }));
process.exitCode = failed === 0 ? 0 : 1;
