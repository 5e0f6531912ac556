import koffi, { type LibraryHandle } from 'koffi';
import { HostError } from '../errors.js';
import { buildNativeRuntime, type NativeBuildOptions } from './build.js';

/** What the runtime tells one shim instance's owner. */
export interface RuntimeClient {
  /** Records may be waiting (a plugin thread appended some). */
  wake(): void;
  /** A blocking request made on the event-loop thread; answer with `answer` before returning. */
  request(kind: number, a: string, b: string | null, ticket: bigint): void;
}

/** Typed bindings of the native runtime shim (`native/pi_host_rt.c`). Pointers are bigints. */
export interface NativeRuntime {
  readonly path: string;
  instanceNew(window: number, requestTimeoutMs: number): bigint;
  callState(inst: bigint): bigint;
  error(inst: bigint): bigint;
  inflight(inst: bigint): number;
  drain(
    inst: bigint,
    hdr: Uint8Array,
    maxRecords: number,
    str: Uint8Array,
    strCap: number,
    strLen: Uint32Array,
  ): number;
  nextRecordBytes(inst: bigint): number;
  grantCredit(inst: bigint, stream: bigint, chunks: number): void;
  controlStream(inst: bigint, stream: bigint, control: number, by: number): number;
  answer(inst: bigint, ticket: bigint, status: number, value: string | null): number;
  close(inst: bigint): void;
  release(inst: bigint): void;
  vtableEntries(vt: bigint): number;
  create(inst: bigint, vt: bigint, meta: Uint8Array): number;
  lifecycle(inst: bigint, which: number): number;
  updateUi(inst: bigint, ui: bigint): number;
  handleMessage(inst: bigint, requestId: number | bigint, message: string): string | null;
  jsonIn(inst: bigint, which: number, json: string | null): number;
  streamControlCall(inst: bigint, stream: bigint, control: number): number;
  getMetadata(inst: bigint): string | null;
  destroy(inst: bigint): void;
  uiNew(frame: bigint, fns: BigUint64Array, count: number): bigint;
  strdup(s: string): bigint;
  free(p: bigint): void;
  /**
   * Route wake-ups and synchronous requests of `inst` to `client`. An attached instance keeps the
   * event loop alive (one hold) until `detach`: a plugin thread may start a stream or send events
   * at any time after an entry call returned, and the process must not exit before the wake-up
   * pipe delivers them. With no instance attached the poll handle is unref'd again.
   */
  attach(inst: bigint, client: RuntimeClient): void;
  detach(inst: bigint): void;
  /** Keep the event loop alive while at least one holder exists (counted). */
  hold(): void;
  release_hold(): void;
}

type Fn = (...args: unknown[]) => unknown;

let runtime: NativeRuntime | undefined;

/**
 * Build (once, cached on disk) and load the native runtime shim, and start watching its wake-up
 * pipe on the event loop. One runtime per process; the poll handle is ref'd while any instance is
 * attached (alive and not destroyed) or something else holds it, unref'd otherwise.
 */
export function loadNativeRuntime(options: NativeBuildOptions = {}): NativeRuntime {
  if (runtime) return runtime;
  const path = buildNativeRuntime(options);
  let lib: LibraryHandle;
  try {
    lib = koffi.load(path);
  } catch (e) {
    throw new HostError('INTERNAL', `Loading the native runtime ${path} failed: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const f = (name: string, ret: string, args: string[]): Fn => lib.func(name, ret, args) as Fn;
  const P = 'void *';
  const clients = new Map<bigint, RuntimeClient>();
  const requestProto = koffi.proto('PiRtRequestCb', 'int32_t', [
    P,
    'int32_t',
    'const char *',
    'const char *',
    'uint64_t',
  ]);
  const requestCb = koffi.register(
    (inst: bigint, kind: number, a: string, b: string | null, ticket: number | bigint): number => {
      clients.get(inst)?.request(kind, a, b, BigInt(ticket));
      return 0;
    },
    koffi.pointer(requestProto),
  );
  const init = f('pi_rt_init', 'int32_t', [P]);
  const ack = f('pi_rt_notify_ack', 'void', []);
  const fd = init(requestCb) as number;
  if (fd < 0) throw new HostError('INTERNAL', 'The native runtime could not open its wake-up pipe.');
  const poller = koffi.node.poll(fd, { readable: true }, () => {
    ack();
    for (const c of [...clients.values()]) {
      try {
        c.wake();
      } catch (e) {
        process.emitWarning(`plugin event delivery failed: ${(e as Error).message}`, 'HostWarning');
      }
    }
  });
  poller.unref();
  let holds = 0;
  const hold = () => {
    if (holds++ === 0) poller.ref();
  };
  const release = () => {
    if (holds > 0 && --holds === 0) poller.unref();
  };

  const bound = {
    instanceNew: f('pi_rt_instance_new', P, ['uint32_t', 'uint32_t']),
    callState: f('pi_rt_call_state', P, [P]),
    error: f('pi_rt_error', P, [P]),
    inflight: f('pi_rt_inflight', 'int32_t', [P]),
    drain: f('pi_rt_drain', 'uint32_t', [P, P, 'uint32_t', P, 'uint32_t', P]),
    nextRecordBytes: f('pi_rt_next_record_bytes', 'uint32_t', [P]),
    grantCredit: f('pi_rt_grant_credit', 'void', [P, 'uint64_t', 'uint32_t']),
    controlStream: f('pi_rt_control_stream', 'int32_t', [P, 'uint64_t', 'int32_t', 'int32_t']),
    answer: f('pi_rt_answer', 'int32_t', [P, 'uint64_t', 'int32_t', 'const char *']),
    close: f('pi_rt_close', 'void', [P]),
    release: f('pi_rt_release', 'void', [P]),
    vtableEntries: f('pi_rt_vtable_entries', 'int32_t', [P]),
    create: f('pi_rt_create', 'int32_t', [P, P, P]),
    lifecycle: f('pi_rt_lifecycle', 'int32_t', [P, 'int32_t']),
    updateUi: f('pi_rt_update_ui', 'int32_t', [P, P]),
    handleMessage: f('pi_rt_handle_message', 'const char *', [P, 'uint64_t', 'const char *']),
    jsonIn: f('pi_rt_json_in', 'int32_t', [P, 'int32_t', 'const char *']),
    streamControlCall: f('pi_rt_stream_control_call', 'int32_t', [P, 'uint64_t', 'int32_t']),
    getMetadata: f('pi_rt_get_metadata', 'const char *', [P]),
    destroy: f('pi_rt_destroy', 'void', [P]),
    uiNew: f('pi_rt_ui_new', P, ['uint64_t', P, 'uint32_t']),
    strdup: f('pi_rt_strdup', P, ['const char *']),
    free: f('pi_rt_free', 'void', [P]),
  };
  runtime = {
    ...(bound as unknown as Omit<NativeRuntime, 'path' | 'attach' | 'detach' | 'hold' | 'release_hold'>),
    path,
    attach: (inst, client) => {
      if (!clients.has(inst)) hold();
      clients.set(inst, client);
    },
    detach: (inst) => {
      if (clients.delete(inst)) release();
    },
    hold,
    release_hold: release,
  };
  return runtime;
}
