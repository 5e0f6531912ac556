/**
 * Entry of one plugin process. It runs the in-process driver for a single library and serves the
 * parent's requests over the IPC channel (see `ipc-protocol.ts`). It exits when the parent says
 * `shutdown` or when the channel closes (the parent died), so a plugin process never outlives
 * its host.
 */
import { HostError, toHostError } from '../../errors.js';
import { PiStatus } from '../../generated/abi.js';
import { DeferredAnswer } from '../../host/services/deferred-answer.js';
import type { DriverHooks, DriverInstance, DriverLibrary, PluginDriver, RequestAnswer } from '../types.js';
import { EventOutbox } from './event-outbox.js';
import { createInnerDriver } from './inner-driver.js';
import {
  type ChildMessage,
  type ChildOptions,
  isRequestAnswer,
  type OpName,
  type Ops,
  type ParentMessage,
  PROTOCOL_VERSION,
} from './ipc-protocol.js';
import { beforePluginCode } from './launcher-hooks.js';
import { isParentMessageLazy } from './parent-message-check.js';
import { syncRequest } from './sync-channel.js';

function send(message: ChildMessage): void {
  if (process.connected) process.send?.(message);
}

let options: ChildOptions | null = null;
let driver: PluginDriver | null = null;
let library: DriverLibrary | null = null;
const instances = new Map<string, DriverInstance>();
const outbox = new EventOutbox((batches) => send({ t: 'events', batches }));
const pendingAnswers = new Map<number, (a: RequestAnswer) => void>();
let nextTicket = 1;

const hooks: DriverHooks = {
  onEvents: (instanceId, events) => outbox.push(instanceId, events),
  getAppConfig(instanceId, key) {
    outbox.flush();
    try {
      const answer = syncRequest({ instanceId, key });
      return isRequestAnswer(answer) ? answer : { status: PiStatus.INTERNAL, value: null };
    } catch {
      return { status: PiStatus.CLOSED, value: null };
    }
  },
  callOtherPlugin(instanceId, targetId, message) {
    outbox.flush();
    // The host checks the call first, synchronously over the request pipe: a refusal comes back
    // with its true reason on any thread, and nothing reaches the target. An allowed call is
    // delivered only when the caller waits for it: a plugin thread through the event loop, a
    // call on this JS thread inside an entry point by blocking on the request pipe (`tryNow`)
    // unless the target lives in this same process (it could never answer: refused, undelivered).
    let checked: unknown;
    try {
      checked = syncRequest({ call: true, instanceId, targetId, message });
    } catch {
      return { status: PiStatus.CLOSED, value: null };
    }
    if (!isRequestAnswer(checked)) return { status: PiStatus.INTERNAL, value: null };
    // "<id>" or "<id>/<target instance id>" (see the parent's prepareCall).
    const [id = '', target = null] =
      checked.status === PiStatus.PENDING ? splitOnce(checked.value ?? '') : [];
    const prepared = id === '' ? Number.NaN : Number(id);
    if (!Number.isSafeInteger(prepared)) return checked;
    return new DeferredAnswer(
      () =>
        new Promise<RequestAnswer>((resolve) => {
          const ticket = nextTicket++;
          pendingAnswers.set(ticket, resolve);
          send({ t: 'request', ticket, instanceId, targetId, message: '', prepared });
        }),
      () => {
        if (target !== null && instances.has(target)) return null;
        try {
          const answer = syncRequest({ call: true, wait: prepared });
          return isRequestAnswer(answer) ? answer : { status: PiStatus.INTERNAL, value: null };
        } catch {
          return { status: PiStatus.CLOSED, value: null };
        }
      },
      target,
    );
  },
};

/** `"a/b/c"` → `["a", "b/c"]`; no slash → `[s, null]`. */
function splitOnce(s: string): [string, string | null] {
  const at = s.indexOf('/');
  return at < 0 ? [s, null] : [s.slice(0, at), s.slice(at + 1)];
}

function instance(id: string): DriverInstance {
  const found = instances.get(id);
  if (!found)
    throw new HostError('PLUGIN_NOT_FOUND', `No instance ${id} in this plugin process.`, { instanceId: id });
  return found;
}

type Call = Extract<ParentMessage, { t: 'call' }>;

async function run<K extends OpName>(call: Call & { op: K }): Promise<Ops[K]['result']>;
async function run(call: Call): Promise<unknown> {
  const opts = call.timeoutMs === null ? {} : { timeoutMs: call.timeoutMs };
  switch (call.op) {
    case 'load': {
      if (!driver || !options) throw new HostError('INTERNAL', 'The plugin process got load before hello.');
      beforePluginCode();
      library = await driver.loadLibrary(call.args.path, hooks, { sha256: call.args.sha256 ?? undefined });
      const { info } = library;
      return { ...info, entries: [...info.entries] };
    }
    case 'create': {
      if (!library) throw new HostError('LIFECYCLE_ORDER', 'The plugin process got create before load.');
      const inst = await library.createInstance(call.args.meta, opts);
      instances.set(inst.instanceId, inst);
      return null;
    }
    case 'lifecycle':
      return instance(call.args.instanceId).lifecycle(call.args.entry, opts);
    case 'updateUi':
      return instance(call.args.instanceId).updateUi(call.args.events, opts);
    case 'handleMessage':
      return instance(call.args.instanceId).handleMessage(call.args.requestId, call.args.message, opts);
    case 'sendJson':
      return instance(call.args.instanceId).sendJson(call.args.entry, call.args.json, opts);
    case 'controlStream':
      return instance(call.args.instanceId).controlStream(call.args.streamId, call.args.control);
    case 'destroy': {
      const inst = instance(call.args.instanceId);
      instances.delete(call.args.instanceId);
      await inst.destroy(opts);
      return null;
    }
    case 'closeLibrary':
      await library?.close();
      library = null;
      return null;
    case 'ping':
      return null;
  }
}

async function serve(call: Call): Promise<void> {
  try {
    const value = await run(call);
    outbox.flush();
    send({ t: 'result', id: call.id, ok: true, value });
  } catch (e) {
    outbox.flush();
    const err = toHostError(e);
    send({
      t: 'result',
      id: call.id,
      ok: false,
      error: { code: err.code, message: err.message, retryable: err.retryable },
    });
  }
}

async function shutdown(): Promise<void> {
  outbox.flush();
  const hardStop = setTimeout(() => process.exit(0), 1500);
  hardStop.unref();
  try {
    for (const inst of instances.values()) await inst.destroy({ timeoutMs: 1000 }).catch(() => undefined);
    instances.clear();
    await library?.close().catch(() => undefined);
    await driver?.close();
  } finally {
    process.exit(0);
  }
}

async function onMessage(raw: unknown): Promise<void> {
  if (!isParentMessageLazy(raw)) {
    process.stderr.write(`plugin process ${process.pid}: dropped a malformed message from the host\n`);
    return;
  }
  switch (raw.t) {
    case 'hello':
      if (raw.protocol !== PROTOCOL_VERSION) process.exit(70);
      options = raw.options;
      outbox.maxBatchEvents = options.maxBatchEvents;
      try {
        driver = await createInnerDriver(options.driverModule, options.inner);
      } catch (e) {
        process.stderr.write(`plugin process ${process.pid}: cannot create its driver: ${String(e)}\n`);
        process.exit(71);
      }
      send({ t: 'ready', protocol: PROTOCOL_VERSION, pid: process.pid });
      return;
    case 'call':
      return serve(raw);
    case 'credit':
      instances.get(raw.instanceId)?.grantCredit(raw.streamId, raw.chunks);
      return;
    case 'answer':
      pendingAnswers.get(raw.ticket)?.(raw.answer);
      pendingAnswers.delete(raw.ticket);
      return;
    case 'shutdown':
      return shutdown();
  }
}

process.on('message', (m: unknown) => {
  onMessage(m).catch((e: unknown) => process.stderr.write(`plugin process ${process.pid}: ${String(e)}\n`));
});
process.on('disconnect', () => process.exit(0));
// A broken channel (a plugin closed fd 3) surfaces here: nobody is left to serve.
process.on('error', () => process.exit(0));
