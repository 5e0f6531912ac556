// The floor of the message figures: a plugin's own functions called straight through koffi, with
// no driver and no host in between (the native runtime only supplies the host API table).
import koffi from 'koffi';
import { loadNativeRuntime } from '../src/driver/in-process/index.js';
import { buildMetadata } from '../src/driver/in-process/metadata.js';
import type { InstanceMetadata } from '../src/driver/types.js';
import { abiTypes } from '../src/generated/abi.js';

/** One plugin instance created through raw koffi calls, and its entry points. */
export interface RawPlugin {
  readonly self: bigint;
  readonly handleMessage: (requestId: number, text: string) => number;
  /** update_ui over no-op widget callbacks (no recorder): what drawing a frame costs the plugin. */
  readonly updateUi: () => number;
  readonly fnAt: (field: string) => bigint;
  readonly out: BigUint64Array;
  readonly err: Uint8Array;
}

/** Open `libraryPath` with koffi, create one instance through its vtable and return its entry points. */
export function openRawPlugin(libraryPath: string, meta: InstanceMetadata): RawPlugin {
  const t = abiTypes();
  const rt = loadNativeRuntime();
  const raw = koffi.load(libraryPath);
  const entry = koffi.decode(
    (raw.func('pi_plugin_entry', 'void *', []) as () => bigint)(),
    t.PiPluginEntry,
  ) as { vtable: bigint };
  const fnAt = (field: string) =>
    koffi.decode(entry.vtable, koffi.offsetof(t.PiPluginVTable, field), 'void *') as bigint;
  const create = koffi.decode(fnAt('create'), t.PiPluginCreateFn) as (...a: unknown[]) => number;
  const handle = koffi.decode(fnAt('handle_message'), t.PiPluginHandleMessageFn) as (
    ...a: unknown[]
  ) => number;
  const host = rt.instanceNew(256, 1000);
  const selfBuf = new BigUint64Array(1);
  const err = new Uint8Array(koffi.sizeof(t.PiError));
  const m = buildMetadata(rt, meta);
  const status = create(host, m.buffer, selfBuf, err);
  if (status !== 0) throw new Error(`raw create of ${libraryPath} failed with status ${status}`);
  const self = selfBuf[0] ?? 0n;
  const out = new BigUint64Array(1);
  const update = koffi.decode(fnAt('update_ui'), t.PiPluginUpdateUiFn) as (...a: unknown[]) => number;
  // One no-op callback per PiUi entry, in the table's order (as bench/main.ts registers them).
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
  const ui = rt.uiNew(0n, new BigUint64Array(noop), noop.length);
  return {
    self,
    fnAt,
    out,
    err,
    handleMessage: (id, text) => handle(self, id, text, out, err),
    updateUi: () => update(self, ui, err),
  };
}
