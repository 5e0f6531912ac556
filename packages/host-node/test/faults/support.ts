import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import type {
  DriverFault,
  DriverHooks,
  DriverInstance,
  DriverLibrary,
  InstanceMetadata,
  PluginDriver,
  PluginEvent,
  RequestAnswer,
} from '../../src/driver/types.js';
import { isHostError } from '../../src/errors.js';
import { PiStatus } from '../../src/pi-status.js';
import { compileFixture } from '../support/compile.js';

/** Paths of the compiled fault fixtures. */
export interface FaultPlugins {
  readonly dir: string;
  readonly fault: string;
  readonly healthy: string;
  readonly wrongAbi: string;
  readonly nullVtable: string;
  readonly noEntry: string;
  readonly nullEntry: string;
}

/** Compile every fault fixture into a fresh temp folder (call from beforeAll; remove with `rmFaultPlugins`). */
export function buildFaultPlugins(): FaultPlugins {
  const dir = mkdtempSync(join(tmpdir(), 'pi-faults-'));
  const p = (n: string) => join(dir, `${n}.so`);
  compileFixture(p('fault'), 'fault.c');
  compileFixture(p('healthy'), 'healthy.c');
  const variants = ['wrongAbi', 'nullVtable', 'noEntry', 'nullEntry'] as const;
  for (const [i, v] of variants.entries()) compileFixture(p(v), 'broken.c', [`-DVARIANT=${i + 1}`]);
  return {
    dir,
    fault: p('fault'),
    healthy: p('healthy'),
    wrongAbi: p('wrongAbi'),
    nullVtable: p('nullVtable'),
    noEntry: p('noEntry'),
    nullEntry: p('nullEntry'),
  };
}

export function rmFaultPlugins(p: FaultPlugins | undefined): void {
  if (p) rmSync(p.dir, { recursive: true, force: true });
}

let seq = 0;
/** Instance metadata; `settings` selects an entry-point fault in fault.c ({"at":…,"do":…}). */
export function metaFor(path: string, id: string, settings: Record<string, string> = {}): InstanceMetadata {
  seq++;
  return {
    id,
    name: id,
    description: 'fault suite',
    version: '1.0.0',
    author: null,
    pluginDir: dirname(path),
    libraryPath: path,
    configPath: join(dirname(path), 'config.toml'),
    instanceId: `${id}-${seq}`,
    settingsJson: JSON.stringify(settings),
    requireHistory: false,
  };
}

/** Hooks that record events and faults, with waiters. */
export function recorder(answers: Partial<Pick<DriverHooks, 'getAppConfig' | 'callOtherPlugin'>> = {}) {
  const events: { instanceId: string; event: PluginEvent }[] = [];
  const faults: DriverFault[] = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  const hooks: DriverHooks = {
    onEvents(instanceId, batch) {
      for (const event of batch) events.push({ instanceId, event });
      wake();
    },
    getAppConfig:
      answers.getAppConfig ??
      ((_i, key): RequestAnswer => ({ status: PiStatus.OK, value: `value-of-${key}` })),
    callOtherPlugin:
      answers.callOtherPlugin ??
      ((_i, target, msg): RequestAnswer => ({ status: PiStatus.OK, value: `${target} got ${msg}` })),
    onFault(fault) {
      faults.push(fault);
      wake();
    },
  };
  const until = (what: string, pred: () => boolean, ms = 8000): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; faults: ${faults.map((f) => f.kind).join(',')}`));
      }, ms);
      const check = () => {
        if (pred()) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        }
      };
      waiters.add(check);
      check();
    });
  const fault = async <K extends DriverFault['kind']>(
    kind: K,
    after = 0,
  ): Promise<Extract<DriverFault, { kind: K }>> => {
    await until(`a ${kind} fault`, () => faults.slice(after).some((f) => f.kind === kind));
    return faults.slice(after).find((f) => f.kind === kind) as Extract<DriverFault, { kind: K }>;
  };
  const messages = (instanceId: string) =>
    events
      .filter((e) => e.instanceId === instanceId && e.event.kind === 'message')
      .map((e) => (e.event as { content: string }).content);
  const violations = (instanceId: string) =>
    events
      .filter((e) => e.instanceId === instanceId && e.event.kind === 'violation')
      .map((e) => e.event as { code: string; message: string });
  return { hooks, events, faults, until, fault, messages, violations };
}

export type Recorder = ReturnType<typeof recorder>;

/** A healthy neighbour plugin and a check that it still answers. */
export async function healthyNeighbour(driver: PluginDriver, path: string, rec: Recorder) {
  const lib = await driver.loadLibrary(path, rec.hooks);
  const inst = await lib.createInstance(metaFor(path, 'healthy'));
  let n = 0;
  return {
    lib,
    inst,
    /** (a) the host keeps serving another plugin. */
    async stillServes(): Promise<void> {
      n++;
      const out = await inst.handleMessage(n, `ping ${n}`, { timeoutMs: 5000 });
      expect(out).toMatchObject({ ok: true, pending: false });
      expect(out.ok && !out.pending ? out.reply : '').toMatch(new RegExp(`^healthy \\d+: ping ${n}$`));
    },
  };
}

/** Create an instance of the fault plugin and have it send one message that must survive the fault. */
export async function faultyInstance(
  lib: DriverLibrary,
  path: string,
  rec: Recorder,
  settings: Record<string, string> = {},
): Promise<DriverInstance> {
  const inst = await lib.createInstance(metaFor(path, 'fault', settings));
  const out = await inst.handleMessage(1, 'send:accepted before the fault');
  expect(out).toEqual({ ok: true, pending: false, reply: 'sent' });
  await rec.until('the accepted message', () =>
    rec.messages(inst.instanceId).includes('accepted before the fault'),
  );
  return inst;
}

/** (b) the message accepted before the fault is still in the delivered events, exactly once. */
export function expectAcceptedKept(rec: Recorder, instanceId: string): void {
  expect(rec.messages(instanceId).filter((m) => m === 'accepted before the fault')).toHaveLength(1);
}

/** Await a promise that must reject with a HostError of `code`; returns the error. */
export async function rejectsWith(
  p: Promise<unknown>,
  code: string,
): Promise<Error & { code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (!isHostError(e)) throw e;
    expect(e.code).toBe(code);
    return e;
  }
  throw new Error(`expected a ${code} rejection, got a result`);
}
