import type { RtConstGroup, RtStructDef } from './model.js';

/** The header of one drained event record (strings follow in a separate region). */
export const recordStruct: RtStructDef = {
  name: 'PiRtRecord',
  doc:
    'One drained record header, little-endian. Its strings are not inline: pi_rt_drain copies them, s1 then s2 of ' +
    "each record, into the caller's string region. Lengths are UTF-8 bytes; the u16 lengths are the UTF-16 " +
    'code-unit counts of the same strings, so the host decodes a batch once and slices it.',
  fields: [
    { name: 'kind', type: 'u32', doc: 'A RecordKind.' },
    {
      name: 'i1',
      type: 'i32',
      doc: 'Small argument: message type, status, level, success, by, request kind.',
    },
    { name: 'a', type: 'u64', doc: 'Stream handle, request id or ticket.' },
    { name: 'b', type: 'u64', doc: 'Stream sequence number.' },
    { name: 'len1', type: 'u32', doc: 'Bytes of s1, or NULL_LENGTH when s1 is NULL.' },
    { name: 'len2', type: 'u32', doc: 'Bytes of s2, or NULL_LENGTH when s2 is NULL.' },
    { name: 'u16len1', type: 'u32', doc: 'UTF-16 code units of s1 (0 when NULL).' },
    { name: 'u16len2', type: 'u32', doc: 'UTF-16 code units of s2 (0 when NULL).' },
  ],
};

/** Per-instance call state the host reads through a memory view after every trampoline call. */
export const callStateStruct: RtStructDef = {
  name: 'PiRtCallState',
  doc: 'Shared per-instance call state, read by the host through a memory view.',
  fields: [
    { name: 'status', type: 'i32', doc: 'Status of the last trampoline call.' },
    { name: 'queued', type: 'u32', doc: 'Records waiting to be drained.' },
    { name: 'reply_flags', type: 'u32', doc: 'CallFlag bits of the last trampoline call.' },
    { name: 'reserved', type: 'u32', doc: 'Zero.' },
  ],
};

export const recordKinds: RtConstGroup = {
  name: 'RecordKind',
  doc: 'What a drained record reports; the comment names the fields it uses.',
  flags: false,
  members: [
    { name: 'MESSAGE', value: 1, doc: 'i1 = message type, s1 = content.' },
    { name: 'REPLY', value: 2, doc: 'a = request id, i1 = status, s1 = content (nullable).' },
    { name: 'STREAM_START', value: 3, doc: 'a = stream, s1 = title (nullable).' },
    { name: 'STREAM_DATA', value: 4, doc: 'a = stream, b = seq, s1 = chunk.' },
    { name: 'STREAM_END', value: 5, doc: 'a = stream, i1 = success, s1 = error (nullable).' },
    { name: 'STREAM_PAUSE', value: 6, doc: 'a = stream, i1 = ControlBy.' },
    { name: 'STREAM_RESUME', value: 7, doc: 'a = stream, i1 = ControlBy.' },
    { name: 'STREAM_CANCEL', value: 8, doc: 'a = stream, i1 = ControlBy.' },
    { name: 'CUSTOM', value: 9, doc: 's1 = event name, s2 = payload JSON.' },
    { name: 'LOG', value: 10, doc: 'i1 = level, s1 = text.' },
    { name: 'REFRESH', value: 11, doc: 'The plugin asked for a new frame.' },
    { name: 'DISCONNECT', value: 12, doc: 'The plugin asked to be disconnected.' },
    { name: 'VIOLATION', value: 13, doc: 'i1 = status returned, s1 = function name, s2 = reason.' },
    { name: 'REQUEST', value: 14, doc: 'a = ticket, i1 = RequestKind, s1 = key or plugin id, s2 = message.' },
  ],
};

export const callFlags: RtConstGroup = {
  name: 'CallFlag',
  doc: 'Bits of PiRtCallState.reply_flags, reset before every trampoline call.',
  flags: true,
  members: [
    { name: 'REPLY_PRESENT', value: 1, doc: 'The plugin returned a string and it was accepted.' },
    { name: 'REPLY_NOT_UTF8', value: 2, doc: 'The returned string was not valid UTF-8 (refused).' },
    { name: 'BAD_STATUS', value: 4, doc: 'The plugin returned a value that is not a PiStatus.' },
    { name: 'CREATE_NO_INSTANCE', value: 8, doc: 'create returned OK but left *out_instance NULL.' },
    {
      name: 'REPLY_TOO_LARGE',
      value: 16,
      doc: 'The returned string was longer than MAX_REPLY_BYTES (refused).',
    },
  ],
};

export const entryBits: RtConstGroup = {
  name: 'EntryBit',
  doc: 'Bits of pi_rt_vtable_entries: which vtable entries a plugin provides (within its struct_size).',
  flags: true,
  members: [
    { name: 'ON_MOUNT', value: 1 << 0, doc: 'on_mount' },
    { name: 'ON_DISPOSE', value: 1 << 1, doc: 'on_dispose' },
    { name: 'ON_CONNECT', value: 1 << 2, doc: 'on_connect' },
    { name: 'ON_DISCONNECT', value: 1 << 3, doc: 'on_disconnect' },
    { name: 'UPDATE_UI', value: 1 << 4, doc: 'update_ui' },
    { name: 'HANDLE_MESSAGE', value: 1 << 5, doc: 'handle_message' },
    { name: 'SET_HISTORY', value: 1 << 6, doc: 'set_history' },
    { name: 'GET_METADATA', value: 1 << 7, doc: 'get_metadata' },
    { name: 'ON_STREAM_CONTROL', value: 1 << 8, doc: 'on_stream_control' },
    { name: 'APPLY_SETTINGS', value: 1 << 9, doc: 'apply_settings' },
    { name: 'CREATE', value: 1 << 16, doc: 'create (required)' },
    { name: 'DESTROY', value: 1 << 17, doc: 'destroy (required)' },
    { name: 'FREE_STRING', value: 1 << 18, doc: 'free_string (required)' },
  ],
};

export const lifecycleIndex: RtConstGroup = {
  name: 'Lifecycle',
  doc: 'The `which` argument of pi_rt_lifecycle.',
  flags: false,
  members: [
    { name: 'ON_MOUNT', value: 0, doc: 'on_mount' },
    { name: 'ON_DISPOSE', value: 1, doc: 'on_dispose' },
    { name: 'ON_CONNECT', value: 2, doc: 'on_connect' },
    { name: 'ON_DISCONNECT', value: 3, doc: 'on_disconnect' },
  ],
};

export const jsonInIndex: RtConstGroup = {
  name: 'JsonIn',
  doc: 'The `which` argument of pi_rt_json_in.',
  flags: false,
  members: [
    { name: 'SET_HISTORY', value: 0, doc: 'set_history' },
    { name: 'APPLY_SETTINGS', value: 1, doc: 'apply_settings' },
  ],
};

export const requestKinds: RtConstGroup = {
  name: 'RequestKind',
  doc: 'A blocking request a plugin made (REQUEST records and the request callback).',
  flags: false,
  members: [
    { name: 'APP_CONFIG', value: 1, doc: 'get_app_config(key)' },
    { name: 'CALL_PLUGIN', value: 2, doc: 'call_other_plugin(plugin_id, message)' },
  ],
};

export const controlBy: RtConstGroup = {
  name: 'ControlBy',
  doc: 'Who paused, resumed or cancelled a stream.',
  flags: false,
  members: [
    { name: 'PLUGIN', value: 0, doc: 'The plugin itself.' },
    { name: 'USER', value: 1, doc: 'The user, through the host.' },
    { name: 'HOST', value: 2, doc: 'The host (shutdown, unload).' },
  ],
};

export const sentinels: RtConstGroup = {
  name: 'Sentinel',
  doc: 'Special values.',
  flags: false,
  members: [
    { name: 'NULL_LENGTH', value: 0xffffffff, doc: 'PiRtRecord.len1/len2 of a NULL string.' },
    { name: 'INIT_FAILED', value: -1, doc: 'pi_rt_init could not set up its wake-up channel.' },
    {
      name: 'INIT_NO_FD',
      value: -2,
      doc: 'pi_rt_init has no file descriptor to poll on this platform: wait with pi_rt_wait_wake instead.',
    },
    {
      name: 'WAKE_TIMEOUT',
      value: 0,
      doc: 'pi_rt_wait_wake: nothing arrived before the timeout (or it was cancelled).',
    },
    { name: 'WAKE_PENDING', value: 1, doc: 'pi_rt_wait_wake: records are waiting.' },
  ],
};
