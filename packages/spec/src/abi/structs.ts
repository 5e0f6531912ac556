import { type FieldDef, type StructDef, t, tableHead } from './model.js';
import { WIDGET_ID_RULES } from './widget-ids.js';

const fnField = (name: string, fn: string, doc: string, nullable = false): FieldDef => ({
  name,
  type: t.fn(fn),
  ownership: 'static',
  doc,
  ...(nullable ? { nullable: true } : {}),
});
const str = (name: string, doc: string, nullable = false): FieldDef => ({
  name,
  type: t.str,
  ownership: 'borrowed',
  doc,
  ...(nullable ? { nullable: true } : {}),
});

/** Error envelope: the callee fills it when it returns a failure. Inline buffers, so nothing to free. */
export const errorStruct: StructDef = {
  name: 'PiError',
  doc: 'Structured error filled by the callee on failure. Fixed buffers: no allocation, no ownership.',
  versioned: false,
  fields: [
    {
      name: 'struct_size',
      type: t.u32,
      ownership: 'value',
      doc: 'sizeof(PiError) as the caller compiled it.',
    },
    { name: 'code', type: t.enumOf('PiStatus'), ownership: 'value', doc: 'Same value the call returned.' },
    { name: 'retryable', type: t.bool, ownership: 'value', doc: '1 when the same call may succeed later.' },
    { name: 'message', type: t.chars(512), ownership: 'value', doc: 'NUL-terminated UTF-8 text for people.' },
    {
      name: 'detail_json',
      type: t.chars(2048),
      ownership: 'value',
      doc: 'Optional JSON detail; empty = none.',
    },
  ],
};

export const layoutRecordStruct: StructDef = {
  name: 'PiLayoutRecord',
  doc: 'One row of the layout descriptor: a struct ("PiHostApi") or a field ("PiHostApi.log") as the plugin compiler saw it.',
  versioned: false,
  fields: [
    { name: 'name', type: t.str, ownership: 'static', doc: '"Struct" or "Struct.field".' },
    { name: 'size', type: t.u32, ownership: 'value', doc: 'sizeof.' },
    { name: 'align', type: t.u32, ownership: 'value', doc: 'alignof.' },
    { name: 'offset', type: t.u32, ownership: 'value', doc: 'offsetof (0 for struct rows).' },
  ],
};

export const metadataStruct: StructDef = {
  name: 'PiPluginMetadata',
  doc: 'What the host tells a new instance about itself. Borrowed for the duration of create.',
  versioned: true,
  fields: [
    ...tableHead('PiPluginMetadata'),
    str('id', 'Plugin id from config.toml.'),
    str('name', 'Display name.'),
    str('description', 'One-line description.'),
    str('version', 'Plugin version.'),
    str('author', 'Author, or NULL.', true),
    str('plugin_dir', 'Absolute path of the plugin folder: read your own files relative to it, not the cwd.'),
    str('library_path', 'Absolute path of the loaded library.'),
    str('config_path', 'Absolute path of config.toml.'),
    str('instance_id', 'Unique id of this instance.'),
    str('settings_json', 'The plugin settings as a validated JSON object ("{}" when none).'),
    {
      name: 'require_history',
      type: t.bool,
      ownership: 'value',
      doc: '1 when set_history is called before each message.',
    },
  ],
};

export const hostApiStruct: StructDef = {
  name: 'PiHostApi',
  doc: 'Host services. One table per instance, valid from create until destroy returns. Every function may be called from any plugin thread.',
  versioned: true,
  fields: [
    ...tableHead('PiHostApi'),
    { name: 'host_data', type: t.handle, ownership: 'host-owned', doc: 'Opaque host data; do not touch.' },
    fnField('send_message', 'PiHostSendMessageFn', 'Post a chat message.'),
    fnField('reply', 'PiHostReplyFn', 'Answer a pending handle_message.'),
    fnField('stream_start', 'PiHostStreamStartFn', 'Open a stream.'),
    fnField('stream_data', 'PiHostStreamDataFn', 'Append a chunk.'),
    fnField('stream_end', 'PiHostStreamEndFn', 'Finish a stream.'),
    fnField('stream_pause', 'PiHostStreamOpFn', 'Pause a stream.'),
    fnField('stream_resume', 'PiHostStreamOpFn', 'Resume a stream.'),
    fnField('stream_cancel', 'PiHostStreamOpFn', 'Cancel a stream.'),
    fnField('stream_wait', 'PiHostStreamWaitFn', 'Wait for credit or a state change.'),
    fnField('send_to_frontend', 'PiHostSendToFrontendFn', 'Send a custom JSON event.'),
    fnField('get_app_config', 'PiHostGetAppConfigFn', 'Read a permitted app setting.'),
    fnField('call_other_plugin', 'PiHostCallOtherPluginFn', 'Call a permitted plugin.'),
    fnField('log', 'PiHostLogFn', "Log through the host's logger."),
    fnField('request_refresh', 'PiHostRequestFn', 'Ask for a new update_ui frame.'),
    fnField('request_disconnect', 'PiHostRequestFn', 'Ask the host to disconnect this instance.'),
    fnField('free_string', 'PiHostFreeStringFn', 'Release a host-owned string.'),
  ],
};

export const uiStruct: StructDef = {
  name: 'PiUi',
  doc: [
    'Immediate-mode UI builder handed to update_ui; valid only during that call, on that thread.',
    ...WIDGET_ID_RULES,
  ].join('\n\n'),
  versioned: true,
  fields: [
    ...tableHead('PiUi'),
    { name: 'frame', type: t.handle, ownership: 'host-frame', doc: 'Opaque frame recorder; do not touch.' },
    fnField('label', 'PiUiTextFn', 'Plain text.'),
    fnField('heading', 'PiUiTextFn', 'Section heading.'),
    fnField('separator', 'PiUiVoidFn', 'Horizontal rule.'),
    fnField('button', 'PiUiButtonFn', 'Button; returns clicked.'),
    fnField('text_edit', 'PiUiTextEditFn', 'Text edit; returns changed.'),
    fnField('combo_box', 'PiUiComboBoxFn', 'Drop-down; returns changed.'),
    fnField('toggle', 'PiUiToggleFn', 'Switch; returns changed.'),
    fnField(
      'begin_horizontal',
      'PiUiVoidFn',
      'Open a row (layout only, not an id scope); close with end_group.',
    ),
    fnField(
      'begin_vertical',
      'PiUiVoidFn',
      'Open a column (layout only, not an id scope); close with end_group.',
    ),
    fnField('end_group', 'PiUiVoidFn', 'Close the innermost row or column.'),
    fnField('push_id', 'PiUiPushIdFn', 'Open an id scope (auto ids inside start with its name).'),
    fnField('pop_id', 'PiUiVoidFn', 'Close the innermost id scope.'),
  ],
};

export const vtableStruct: StructDef = {
  name: 'PiPluginVTable',
  doc: 'The plugin function table. Static data in the plugin library. Optional entries may be NULL.',
  versioned: true,
  fields: [
    ...tableHead('PiPluginVTable'),
    fnField('create', 'PiPluginCreateFn', "Create an instance (the seed's create + initialize)."),
    fnField('destroy', 'PiPluginDestroyFn', 'Destroy an instance.'),
    fnField('on_mount', 'PiPluginLifecycleFn', 'The instance is shown.', true),
    fnField('on_dispose', 'PiPluginLifecycleFn', 'The instance is about to be destroyed.', true),
    fnField('on_connect', 'PiPluginLifecycleFn', 'The user connected the instance.', true),
    fnField('on_disconnect', 'PiPluginLifecycleFn', 'The user disconnected the instance.', true),
    fnField('update_ui', 'PiPluginUpdateUiFn', 'Declare the UI.', true),
    fnField('handle_message', 'PiPluginHandleMessageFn', 'Handle a chat message.', true),
    fnField(
      'set_history',
      'PiPluginJsonInFn',
      'Receive the chat history (JSON array of HistoryMessage).',
      true,
    ),
    fnField('get_metadata', 'PiPluginGetMetadataFn', 'Report extra metadata.', true),
    fnField('on_stream_control', 'PiPluginStreamControlFn', 'User paused/resumed/cancelled a stream.', true),
    fnField('apply_settings', 'PiPluginJsonInFn', 'New validated settings (JSON object).', true),
    fnField('free_string', 'PiPluginFreeStringFn', 'Release plugin-owned strings.'),
  ],
};

export const entryStruct: StructDef = {
  name: 'PiPluginEntry',
  doc: 'Returned by pi_plugin_entry(); static data describing the library. Checked before any other call.',
  versioned: true,
  fields: [
    ...tableHead('PiPluginEntry'),
    {
      name: 'abi_fingerprint',
      type: t.str,
      ownership: 'static',
      doc: 'PI_ABI_FINGERPRINT of the header used.',
    },
    { name: 'sdk', type: t.str, ownership: 'static', doc: 'SDK that built the plugin, e.g. "c" or "rust".' },
    {
      name: 'layout',
      type: t.constPtr(t.struct('PiLayoutRecord')),
      ownership: 'static',
      doc: 'Layout descriptor as the plugin compiler saw it.',
    },
    { name: 'layout_count', type: t.u32, ownership: 'value', doc: 'Rows in layout.' },
    {
      name: 'vtable',
      type: t.constPtr(t.struct('PiPluginVTable')),
      ownership: 'static',
      doc: 'The plugin function table.',
    },
  ],
};

/** In declaration order: a struct only embeds (by value) structs declared before it. */
export const structs: readonly StructDef[] = [
  errorStruct,
  layoutRecordStruct,
  metadataStruct,
  hostApiStruct,
  uiStruct,
  vtableStruct,
  entryStruct,
];
