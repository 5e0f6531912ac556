import koffi, { type LibraryHandle } from 'koffi';
import { HostError, isHostError } from '../errors.js';
import {
  bindRuntime,
  RequestKind,
  RT_VERSION,
  type RuntimeFunctions,
  runtimeCallbackTypes,
  runtimeVersionOf,
  Sentinel,
} from '../generated/runtime.js';
import { buildNativeRuntime, type NativeBuildOptions } from './build.js';
import { locateNativeRuntime, prebuiltRuntime } from './locate.js';
import { startWake, type WakeMode } from './wake.js';

/** What the runtime tells one shim instance's owner. */
export interface RuntimeClient {
  /** Records may be waiting (a plugin thread appended some). */
  wake(): void;
  /** A blocking request made on the event-loop thread; answer with `answer` before returning. */
  request(kind: number, a: string, b: string | null, ticket: bigint): void;
}

/**
 * The native runtime shim (`native/pi_host_rt.c`): every exported function, bound through the
 * declarations generated from the spec's runtime ABI, plus the event-loop plumbing.
 */
export interface NativeRuntime extends RuntimeFunctions {
  readonly path: string;
  /** How plugin threads wake the event loop on this platform. */
  readonly wakeMode: WakeMode;
  /**
   * Route wake-ups and synchronous requests of `inst` to `client`. An attached instance keeps the
   * event loop alive (one hold) until `detach`: a plugin thread may start a stream or send events
   * at any time after an entry call returned, and the process must not exit before they arrive.
   */
  attach(inst: bigint, client: RuntimeClient): void;
  detach(inst: bigint): void;
  /** Keep the event loop alive while at least one holder exists (counted). */
  hold(): void;
  release_hold(): void;
}

let runtime: NativeRuntime | undefined;

function open(path: string): LibraryHandle {
  try {
    return koffi.load(path);
  } catch (e) {
    throw new HostError(
      'NATIVE_RUNTIME_MISMATCH',
      `Loading host-node's native runtime ${path} failed: ${(e as Error).message}`,
      { cause: e, location: { file: path } },
    );
  }
}

/**
 * Bind a loaded runtime library after checking it speaks this build's runtime ABI version: the
 * version is read first, so a runtime of another version is named as such even when its exports
 * differ.
 */
export function bindCheckedRuntime(lib: LibraryHandle, path: string): RuntimeFunctions {
  const refuse = (why: string, detail?: unknown, cause?: unknown): never => {
    throw new HostError(
      'NATIVE_RUNTIME_MISMATCH',
      `${path} ${why}; this host-node needs runtime ABI ${RT_VERSION}. Reinstall @plugin-interfaces/host-node (or run its build:prebuilds) so the library matches.`,
      { location: { file: path }, detail, cause },
    );
  };
  let found = -1;
  try {
    found = runtimeVersionOf(lib);
  } catch (e) {
    refuse('does not export pi_rt_version', undefined, e);
  }
  if (found !== RT_VERSION) refuse(`speaks runtime ABI ${found}`, { expected: RT_VERSION, found });
  try {
    return bindRuntime(lib);
  } catch (e) {
    return refuse(`lacks an export of runtime ABI ${RT_VERSION} (${(e as Error).message})`, undefined, e);
  }
}

/**
 * Open the prebuilt runtime; when this system cannot load it (another libc, say), build one with
 * the local compiler instead, naming both problems if that fails too.
 */
function openRuntime(options: NativeBuildOptions): { path: string; fns: RuntimeFunctions } {
  const path = locateNativeRuntime(options);
  try {
    return { path, fns: bindCheckedRuntime(open(path), path) };
  } catch (e) {
    if (path !== prebuiltRuntime()) throw e;
    let built: string;
    try {
      built = buildNativeRuntime(options);
    } catch (b) {
      throw new HostError(
        isHostError(b) ? b.code : 'NATIVE_RUNTIME_MISMATCH',
        `${(e as Error).message} Building one instead failed: ${(b as Error).message}`,
        { cause: b },
      );
    }
    return { path: built, fns: bindCheckedRuntime(open(built), built) };
  }
}

/**
 * Load the native runtime shim (a prebuilt binary for this platform, else a cached build) once per
 * process, check its runtime ABI version, and start its wake-up channel. The channel keeps the
 * event loop alive while any instance is attached or something else holds it, and not otherwise.
 */
export function loadNativeRuntime(options: NativeBuildOptions = {}): NativeRuntime {
  if (runtime) return runtime;
  const { path, fns } = openRuntime(options);
  const clients = new Map<bigint, RuntimeClient>();
  const requestCb = koffi.register(
    (inst: bigint, kind: number, a: string, b: string | null, ticket: number | bigint): number => {
      try {
        clients.get(inst)?.request(kind, a, b, BigInt(ticket));
      } catch (e) {
        process.emitWarning(`plugin request failed: ${(e as Error).message}`, 'HostWarning');
      }
      return 0;
    },
    runtimeCallbackTypes().PiRtRequestCb,
  );
  const fd = fns.init(requestCb);
  if (fd === Sentinel.INIT_FAILED)
    throw new HostError('INTERNAL', 'The native runtime could not open its wake-up channel.');
  const channel = startWake(fns, fd, () => {
    for (const c of [...clients.values()]) {
      try {
        c.wake();
      } catch (e) {
        process.emitWarning(`plugin event delivery failed: ${(e as Error).message}`, 'HostWarning');
      }
    }
  });
  // A wake-up that arrives after the last instance went away must not reach JavaScript while Node
  // tears the environment down (koffi would throw into a dead environment: a napi_throw FATAL).
  process.once('exit', () => channel.close());
  let holds = 0;
  const hold = () => {
    if (holds++ === 0) channel.ref();
  };
  const release = () => {
    if (holds > 0 && --holds === 0) channel.unref();
  };
  runtime = {
    ...fns,
    path,
    wakeMode: channel.mode,
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

/** The RequestKind of a request callback or record, as the driver names it. */
export function requestKindName(kind: number): 'app_config' | 'call_plugin' {
  return kind === RequestKind.APP_CONFIG ? 'app_config' : 'call_plugin';
}
