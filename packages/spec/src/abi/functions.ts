import { type FnDef, type ParamDef, t } from './model.js';

const host: ParamDef = {
  name: 'host',
  type: t.constPtr(t.struct('PiHostApi')),
  ownership: 'host-owned',
  doc: 'The table the plugin received in create; identifies the calling instance.',
};
const ui: ParamDef = {
  name: 'ui',
  type: t.constPtr(t.struct('PiUi')),
  ownership: 'host-frame',
  doc: 'The builder passed to update_ui.',
};
const self: ParamDef = {
  name: 'self',
  type: t.handle,
  ownership: 'plugin-owned',
  doc: 'The instance from create.',
};
const err: ParamDef = {
  name: 'err',
  type: t.ptr(t.struct('PiError')),
  ownership: 'borrowed',
  doc: 'Error envelope to fill when returning a failure (pi_error_set in C, automatic in the Rust SDK).',
};
const stream: ParamDef = {
  name: 'stream',
  type: t.u64,
  ownership: 'value',
  doc: 'Stream handle from stream_start.',
};
const status = t.enumOf('PiStatus');
const anyThread =
  'Any thread, including threads the plugin started; never blocks on the JavaScript event loop.';
const hostThread = 'Called by the host on its plugin thread; never concurrently for one instance.';
const frameThread = 'Only inside update_ui, on the thread that called it.';

function hostFn(name: string, doc: string, params: ParamDef[], thread = anyThread): FnDef {
  return { name, doc, params: [host, ...params], returns: status, thread };
}
function uiFn(name: string, doc: string, params: ParamDef[], returns: FnDef['returns'] = null): FnDef {
  return { name, doc, params: [ui, ...params], returns, thread: frameThread };
}
function pluginFn(name: string, doc: string, params: ParamDef[]): FnDef {
  return { name, doc, params: [self, ...params, err], returns: status, thread: hostThread };
}
const id: ParamDef = {
  name: 'id',
  type: t.str,
  ownership: 'borrowed',
  nullable: true,
  doc: 'Explicit widget id, unique in the frame and used as given; NULL derives one from the push_id scopes, kind, label and occurrence (see PiUi).',
};
const flags: ParamDef = { name: 'flags', type: t.u32, ownership: 'value', doc: 'PiUiFlags bits.' };

/** Host functions: what a plugin may ask of the host. */
export const hostFunctions: readonly FnDef[] = [
  hostFn('PiHostSendMessageFn', 'Post a chat message (Markdown) of the given severity.', [
    { name: 'type', type: t.enumOf('PiMessageType'), ownership: 'value', doc: 'Severity.' },
    {
      name: 'content',
      type: t.str,
      ownership: 'borrowed',
      doc: 'UTF-8 Markdown; rendered as text, never HTML.',
    },
  ]),
  hostFn(
    'PiHostReplyFn',
    'Answer a handle_message call that returned PENDING, exactly once per request: a second reply, or one to a request that is not waiting, returns NOT_FOUND. Text the host refuses (invalid UTF-8: INVALID_ARGUMENT, too large: LIMIT_EXCEEDED) is reported back and still ends the request, with that reason.',
    [
      { name: 'request_id', type: t.u64, ownership: 'value', doc: 'The id handle_message received.' },
      { name: 'status', type: status, ownership: 'value', doc: 'OK, or the failure to report.' },
      {
        name: 'content',
        type: t.str,
        ownership: 'borrowed',
        nullable: true,
        doc: 'Reply text, or the error message.',
      },
    ],
  ),
  hostFn('PiHostStreamStartFn', 'Open a stream; the host owns its state machine and assigns a unique id.', [
    {
      name: 'title',
      type: t.str,
      ownership: 'borrowed',
      nullable: true,
      doc: 'Optional heading shown above the stream.',
    },
    { name: 'out_stream', type: t.ptr(t.u64), ownership: 'borrowed', doc: 'Receives the stream handle.' },
  ]),
  hostFn(
    'PiHostStreamDataFn',
    'Append a chunk. BACKPRESSURE: no credit, or the user paused the stream (on_stream_control tells you which): call stream_wait and send the same chunk again. INVALID_STATE: the stream has ended (stream_end was called); stop. CANCELLED: the user cancelled; stop producing. NOT_FOUND: no such stream.',
    [stream, { name: 'chunk', type: t.str, ownership: 'borrowed', doc: 'UTF-8 text to append.' }],
  ),
  hostFn('PiHostStreamEndFn', 'Finish a stream with success, or with an error text shown to the user.', [
    stream,
    { name: 'success', type: t.bool, ownership: 'value', doc: '1 = completed, 0 = failed.' },
    {
      name: 'error',
      type: t.str,
      ownership: 'borrowed',
      nullable: true,
      doc: 'Why it failed (when success is 0).',
    },
  ]),
  hostFn('PiHostStreamOpFn', 'Pause, resume or cancel a stream from the plugin side.', [stream]),
  hostFn(
    'PiHostStreamWaitFn',
    'Block the calling plugin thread until the stream accepts data again (OK: credit came back or the user resumed), or it is cancelled (CANCELLED), ended (INVALID_STATE) or the timeout passes (TIMEOUT). On the host thread (inside one of your entry points) it never blocks: OK when the stream accepts data now, BACKPRESSURE when it would have to wait (send from a plugin thread instead), else the ended statuses above.',
    [stream, { name: 'timeout_ms', type: t.u32, ownership: 'value', doc: 'Longest wait in milliseconds.' }],
  ),
  hostFn('PiHostSendToFrontendFn', 'Send a custom event with a JSON payload to the frontend.', [
    { name: 'event', type: t.str, ownership: 'borrowed', doc: 'Event name, [a-z0-9-:.]{1,64}.' },
    {
      name: 'payload_json',
      type: t.str,
      ownership: 'borrowed',
      doc: 'A JSON document; invalid JSON is refused.',
    },
  ]),
  hostFn(
    'PiHostGetAppConfigFn',
    'Read an application setting the plugin declared in config.toml [permissions].',
    [
      { name: 'key', type: t.str, ownership: 'borrowed', doc: 'Setting key.' },
      {
        name: 'out_value',
        type: t.ptr(t.mutStr),
        ownership: 'host-owned',
        doc: 'Receives the value as JSON text; release it with host->free_string.',
      },
    ],
  ),
  hostFn(
    'PiHostCallOtherPluginFn',
    "Send a message to another loaded plugin's handle_message and wait for its reply. Where it may be called: from any plugin thread, always (it blocks until the reply, also a deferred one, or the host's timeout: PI_STATUS_TIMEOUT); from inside one of your entry points (the thread the host called you on), only when the target answers at once – a deferred (PENDING) reply cannot be waited for there and gives PI_STATUS_INVALID_STATE, as does a target that is busy or lives in your own plugin process, and then nothing reached it. Every refusal (PI_STATUS_PERMISSION_DENIED without [permissions] call_plugins, PI_STATUS_NOT_FOUND, PI_STATUS_LIMIT_EXCEEDED for a cycle or a chain deeper than the host's limit) comes back at once on any thread, and a refused message never reaches the target.",
    [
      { name: 'plugin_id', type: t.str, ownership: 'borrowed', doc: 'Target plugin id (or instance id).' },
      { name: 'message', type: t.str, ownership: 'borrowed', doc: 'Message text.' },
      {
        name: 'out_reply',
        type: t.ptr(t.mutStr),
        ownership: 'host-owned',
        doc: 'Receives the reply; release it with host->free_string.',
      },
    ],
  ),
  hostFn('PiHostLogFn', "Write a line to the host's logger, tagged with plugin and instance.", [
    { name: 'level', type: t.enumOf('PiLogLevel'), ownership: 'value', doc: 'Level.' },
    { name: 'text', type: t.str, ownership: 'borrowed', doc: 'UTF-8 text.' },
  ]),
  hostFn('PiHostRequestFn', 'Ask the host to re-run update_ui soon, or to disconnect this instance.', []),
  {
    name: 'PiHostFreeStringFn',
    doc: 'Release a string the host returned (get_app_config, call_other_plugin). NULL is ignored.',
    params: [
      host,
      { name: 's', type: t.mutStr, ownership: 'host-owned', nullable: true, doc: 'String to release.' },
    ],
    returns: null,
    thread: anyThread,
  },
];

/** UI builder functions: valid only inside update_ui. */
export const uiFunctions: readonly FnDef[] = [
  uiFn('PiUiTextFn', 'Add a text widget (label or heading).', [
    { name: 'text', type: t.str, ownership: 'borrowed', doc: 'UTF-8 text, shown as text.' },
  ]),
  uiFn('PiUiVoidFn', 'A widget or scope operation without arguments.', []),
  uiFn(
    'PiUiPushIdFn',
    'Open an id scope: auto ids of widgets until pop_id start with this salt (explicit ids are unaffected).',
    [{ name: 'salt', type: t.str, ownership: 'borrowed', doc: 'Scope name, unique among siblings.' }],
  ),
  uiFn(
    'PiUiButtonFn',
    'Add a button; returns 1 when the user clicked it since the previous frame.',
    [id, { name: 'text', type: t.str, ownership: 'borrowed', doc: 'Caption.' }, flags],
    t.bool,
  ),
  uiFn(
    'PiUiTextEditFn',
    'Add a text edit showing value; returns 1 and sets *out_value when the user changed it.',
    [
      id,
      { name: 'value', type: t.str, ownership: 'borrowed', doc: 'Current text.' },
      { name: 'hint', type: t.str, ownership: 'borrowed', nullable: true, doc: 'Placeholder.' },
      flags,
      {
        name: 'out_value',
        type: t.ptr(t.str),
        ownership: 'host-frame',
        doc: 'Receives the new text, valid until update_ui returns; copy it.',
      },
    ],
    t.bool,
  ),
  uiFn(
    'PiUiComboBoxFn',
    'Add a drop-down list; returns 1 and sets *out_selected when the user picked an option.',
    [
      id,
      {
        name: 'placeholder',
        type: t.str,
        ownership: 'borrowed',
        nullable: true,
        doc: 'Shown when nothing is selected.',
      },
      {
        name: 'options',
        type: t.constPtr(t.str),
        ownership: 'borrowed',
        doc: 'Array of option_count strings.',
      },
      { name: 'option_count', type: t.u32, ownership: 'value', doc: 'Number of options.' },
      { name: 'selected', type: t.i32, ownership: 'value', doc: 'Selected index, or -1 for none.' },
      flags,
      { name: 'out_selected', type: t.ptr(t.i32), ownership: 'borrowed', doc: 'Receives the new index.' },
    ],
    t.bool,
  ),
  uiFn(
    'PiUiToggleFn',
    'Add an on/off switch; returns 1 and sets *out_value when the user flipped it.',
    [
      id,
      { name: 'label', type: t.str, ownership: 'borrowed', nullable: true, doc: 'Text beside the switch.' },
      { name: 'value', type: t.bool, ownership: 'value', doc: 'Current state.' },
      flags,
      { name: 'out_value', type: t.ptr(t.bool), ownership: 'borrowed', doc: 'Receives the new state.' },
    ],
    t.bool,
  ),
];

/** Plugin entry points: what the host calls. */
export const pluginFunctions: readonly FnDef[] = [
  {
    name: 'PiPluginCreateFn',
    doc: 'Create one instance. Copy what you keep from meta; keep host until destroy.',
    params: [
      host,
      {
        name: 'meta',
        type: t.constPtr(t.struct('PiPluginMetadata')),
        ownership: 'borrowed',
        doc: 'Instance metadata.',
      },
      {
        name: 'out_instance',
        type: t.ptr(t.handle),
        ownership: 'plugin-owned',
        doc: 'Receives the instance.',
      },
      err,
    ],
    returns: status,
    thread: hostThread,
  },
  {
    name: 'PiPluginDestroyFn',
    doc: 'Release the instance. Stop and join every thread that may still call the host first.',
    params: [self],
    returns: null,
    thread: hostThread,
  },
  pluginFn('PiPluginLifecycleFn', 'on_mount / on_dispose / on_connect / on_disconnect.', []),
  pluginFn('PiPluginUpdateUiFn', 'Declare the whole UI for this frame through ui.', [ui]),
  pluginFn(
    'PiPluginHandleMessageFn',
    'Handle a chat message. Return OK with an optional reply, or PENDING and answer later with host->reply(request_id).',
    [
      {
        name: 'request_id',
        type: t.u64,
        ownership: 'value',
        doc: 'Id to pass to host->reply when answering later.',
      },
      { name: 'message', type: t.str, ownership: 'borrowed', doc: 'UTF-8 message text.' },
      {
        name: 'out_reply',
        type: t.ptr(t.mutStr),
        ownership: 'plugin-owned',
        doc: 'Set to a reply the host releases with free_string, or leave NULL.',
      },
    ],
  ),
  pluginFn('PiPluginJsonInFn', 'Receive a JSON document (history list, settings object).', [
    { name: 'json', type: t.str, ownership: 'borrowed', nullable: true, doc: 'JSON text; NULL clears.' },
  ]),
  pluginFn('PiPluginGetMetadataFn', 'Return extra metadata as a JSON object.', [
    {
      name: 'out_json',
      type: t.ptr(t.mutStr),
      ownership: 'plugin-owned',
      doc: 'Receives JSON released with free_string.',
    },
  ]),
  pluginFn('PiPluginStreamControlFn', 'The user paused, resumed or cancelled one of your streams.', [
    stream,
    { name: 'control', type: t.enumOf('PiStreamControl'), ownership: 'value', doc: 'What was requested.' },
  ]),
  {
    name: 'PiPluginFreeStringFn',
    doc: "Release a string the plugin returned, with the plugin's own allocator. NULL is ignored.",
    params: [
      { name: 's', type: t.mutStr, ownership: 'plugin-owned', nullable: true, doc: 'String to release.' },
    ],
    returns: null,
    thread: 'Any thread.',
  },
  {
    name: 'PiPluginEntryFn',
    doc: 'Signature of the exported pi_plugin_entry symbol.',
    params: [],
    returns: t.constPtr(t.struct('PiPluginEntry')),
    thread: 'Any thread; must not call the host.',
  },
];
