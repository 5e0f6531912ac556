import type { RtFnDef } from './model.js';

const inst = { name: 'inst', type: 'instance' } as const;

/** Callback types the runtime calls into the host. */
export const runtimeCallbacks: readonly RtFnDef[] = [
  {
    name: 'PiRtRequestCb',
    doc: 'A blocking request made on the host thread; the host answers with pi_rt_answer before returning 0.',
    returns: 'i32',
    params: [
      inst,
      { name: 'kind', type: 'i32' },
      { name: 'a', type: 'cstr' },
      { name: 'b', type: 'cstr' },
      { name: 'ticket', type: 'u64' },
    ],
  },
];

/** Every function the runtime library exports, in the order of the source file. */
export const runtimeFunctions: readonly RtFnDef[] = [
  {
    name: 'pi_rt_version',
    doc: 'The runtime ABI version the library was built with.',
    returns: 'i32',
    params: [],
  },
  {
    name: 'pi_rt_init',
    doc: 'Register the request callback and open the wake-up channel (once). Returns the fd to poll, INIT_NO_FD or INIT_FAILED.',
    returns: 'i32',
    params: [{ name: 'request_cb', type: 'request-cb' }],
  },
  {
    name: 'pi_rt_notify_ack',
    doc: 'Empty the wake-up channel and re-arm notifications; the host drains afterwards.',
    returns: 'void',
    params: [],
  },
  {
    name: 'pi_rt_wait_wake',
    doc: 'Block (on a host worker thread) until a wake-up is pending, timeout_ms passes (0: no limit) or pi_rt_wake_cancel is called. Returns WAKE_PENDING or WAKE_TIMEOUT; the host then acknowledges with pi_rt_notify_ack.',
    returns: 'i32',
    params: [{ name: 'timeout_ms', type: 'u32' }],
  },
  {
    name: 'pi_rt_wake_cancel',
    doc: 'Make a pending pi_rt_wait_wake return now.',
    returns: 'void',
    params: [],
  },
  {
    name: 'pi_rt_instance_new',
    doc: 'A new runtime instance (its PiHostApi is what the plugin holds); NULL when out of memory.',
    returns: 'instance',
    params: [
      { name: 'window', type: 'u32' },
      { name: 'request_timeout_ms', type: 'u32' },
    ],
  },
  { name: 'pi_rt_call_state', doc: "The instance's PiRtCallState.", returns: 'ptr', params: [inst] },
  {
    name: 'pi_rt_error',
    doc: "The instance's PiError of the last trampoline call.",
    returns: 'ptr',
    params: [inst],
  },
  {
    name: 'pi_rt_inflight',
    doc: 'Host calls currently running on plugin threads.',
    returns: 'i32',
    params: [inst],
  },
  {
    name: 'pi_rt_drain',
    doc: 'Move up to max_records records: headers into hdr, strings into str (at most str_cap bytes); *str_len = bytes written. Returns the count.',
    returns: 'u32',
    params: [
      inst,
      { name: 'hdr', type: 'bytes' },
      { name: 'max_records', type: 'u32' },
      { name: 'str', type: 'bytes' },
      { name: 'str_cap', type: 'u32' },
      { name: 'str_len', type: 'u32s' },
    ],
  },
  {
    name: 'pi_rt_next_record_bytes',
    doc: 'String bytes of the next queued record (to grow the host buffer), 0 if none.',
    returns: 'u32',
    params: [inst],
  },
  {
    name: 'pi_rt_grant_credit',
    doc: 'Give a stream `chunks` more credit (capped at its window).',
    returns: 'void',
    params: [inst, { name: 'stream', type: 'u64' }, { name: 'chunks', type: 'u32' }],
  },
  {
    name: 'pi_rt_control_stream',
    doc: 'Pause, resume or cancel a stream from the host side (ControlBy `by`); queues the matching record.',
    returns: 'i32',
    params: [
      inst,
      { name: 'stream', type: 'u64' },
      { name: 'control', type: 'i32' },
      { name: 'by', type: 'i32' },
    ],
  },
  {
    name: 'pi_rt_answer',
    doc: 'Answer request ticket `ticket` (value copied). Returns 0, or -1 when nobody waits.',
    returns: 'i32',
    params: [
      inst,
      { name: 'ticket', type: 'u64' },
      { name: 'status', type: 'i32' },
      { name: 'value', type: 'cstr' },
    ],
  },
  {
    name: 'pi_rt_close',
    doc: 'Refuse every further host call; wake waiting plugin threads.',
    returns: 'void',
    params: [inst],
  },
  {
    name: 'pi_rt_release',
    doc: "Free a closed instance's queue, streams and reply.",
    returns: 'void',
    params: [inst],
  },
  {
    name: 'pi_rt_vtable_entries',
    doc: 'EntryBit mask of the entries a vtable provides, -1 for NULL.',
    returns: 'i32',
    params: [{ name: 'vt', type: 'vtable' }],
  },
  {
    name: 'pi_rt_create',
    doc: 'Call the plugin create entry.',
    returns: 'i32',
    params: [inst, { name: 'vt', type: 'vtable' }, { name: 'meta', type: 'metadata' }],
  },
  {
    name: 'pi_rt_lifecycle',
    doc: 'Call a lifecycle entry (Lifecycle index).',
    returns: 'i32',
    params: [inst, { name: 'which', type: 'i32' }],
  },
  {
    name: 'pi_rt_update_ui',
    doc: 'Call update_ui with a PiUi table.',
    returns: 'i32',
    params: [inst, { name: 'ui', type: 'ui' }],
  },
  {
    name: 'pi_rt_handle_message',
    doc: 'Call handle_message; the accepted reply (copied, valid until the next call) or NULL.',
    returns: 'cstr',
    params: [inst, { name: 'request_id', type: 'u64' }, { name: 'message', type: 'cstr' }],
  },
  {
    name: 'pi_rt_json_in',
    doc: 'Call set_history or apply_settings (JsonIn index).',
    returns: 'i32',
    params: [inst, { name: 'which', type: 'i32' }, { name: 'json', type: 'cstr' }],
  },
  {
    name: 'pi_rt_stream_control_call',
    doc: 'Tell the plugin about a stream control (on_stream_control).',
    returns: 'i32',
    params: [inst, { name: 'stream', type: 'u64' }, { name: 'control', type: 'i32' }],
  },
  {
    name: 'pi_rt_get_metadata',
    doc: 'Call get_metadata; the accepted string or NULL.',
    returns: 'cstr',
    params: [inst],
  },
  {
    name: 'pi_rt_destroy',
    doc: "Close the instance, then call the plugin's destroy.",
    returns: 'void',
    params: [inst],
  },
  {
    name: 'pi_rt_ui_new',
    doc: 'A PiUi table whose function slots are `fns` (UI_CALLBACKS addresses in uiCallbackOrder).',
    returns: 'ptr',
    params: [
      { name: 'frame', type: 'u64' },
      { name: 'fns', type: 'u64s' },
      { name: 'n', type: 'u32' },
    ],
  },
  {
    name: 'pi_rt_strdup',
    doc: 'A malloc copy of a string (host-owned).',
    returns: 'ptr',
    params: [{ name: 's', type: 'cstr' }],
  },
  {
    name: 'pi_rt_free',
    doc: 'Free memory from pi_rt_strdup.',
    returns: 'void',
    params: [{ name: 'p', type: 'ptr' }],
  },
];
