import type { ConstDef, EnumDef } from './model.js';

/** ABI version. A host refuses a different major or a newer minor before calling anything else. */
export const ABI_MAJOR = 1;
export const ABI_MINOR = 0;

/** The one symbol a plugin library exports: `const PiPluginEntry* pi_plugin_entry(void)`. */
export const ENTRY_SYMBOL = 'pi_plugin_entry';

export const constants: readonly ConstDef[] = [
  { name: 'PI_ABI_MAJOR', value: ABI_MAJOR, doc: 'ABI major version of this header.' },
  { name: 'PI_ABI_MINOR', value: ABI_MINOR, doc: 'ABI minor version of this header.' },
  { name: 'PI_ENTRY_SYMBOL', value: ENTRY_SYMBOL, doc: 'Name of the single exported entry function.' },
  { name: 'PI_ERROR_MESSAGE_CAPACITY', value: 512, doc: 'Bytes in PiError.message, NUL included.' },
  { name: 'PI_ERROR_DETAIL_CAPACITY', value: 2048, doc: 'Bytes in PiError.detail_json, NUL included.' },
];

/** Status returned by every call that can fail, in both directions. Values are stable. */
export const statusEnum: EnumDef = {
  name: 'PiStatus',
  doc: 'Result of every fallible call across the ABI. Zero is success; PENDING means "answered later".',
  members: [
    { name: 'OK', value: 0, doc: 'Success.' },
    {
      name: 'PENDING',
      value: 1,
      doc: 'Accepted; the answer follows later (handle_message answers through host->reply).',
    },
    { name: 'ERROR', value: -1, doc: 'Unspecified failure; the error envelope says more.' },
    { name: 'INVALID_ARGUMENT', value: -2, doc: 'An argument was NULL, malformed or out of range.' },
    {
      name: 'INVALID_STATE',
      value: -3,
      doc: 'The call is not allowed in the current lifecycle or stream state.',
    },
    { name: 'NOT_FOUND', value: -4, doc: 'The named plugin, stream, key or request does not exist.' },
    {
      name: 'PERMISSION_DENIED',
      value: -5,
      doc: 'config.toml does not grant this app-config key or plugin call.',
    },
    { name: 'TIMEOUT', value: -6, doc: 'The deadline passed before the call finished.' },
    { name: 'CANCELLED', value: -7, doc: 'The user or the host cancelled the operation.' },
    {
      name: 'BACKPRESSURE',
      value: -8,
      doc: 'No credit left: wait (host->stream_wait) and send the same chunk again.',
    },
    { name: 'LIMIT_EXCEEDED', value: -9, doc: 'A size, depth or rate limit was hit.' },
    { name: 'UNSUPPORTED', value: -10, doc: 'The peer does not implement this optional entry.' },
    { name: 'INTERNAL', value: -11, doc: 'A bug or a caught panic inside the callee.' },
    {
      name: 'CLOSED',
      value: -12,
      doc: 'The instance is being destroyed; the host accepts no more calls from it.',
    },
  ],
};

export const messageTypeEnum = {
  name: 'PiMessageType',
  doc: 'Severity of a chat message a plugin sends.',
  contiguous: true,
  members: [
    { name: 'NORMAL', value: 0, doc: 'Plain message.' },
    { name: 'SUCCESS', value: 1, doc: 'Something worked.' },
    { name: 'WARNING', value: 2, doc: 'Something needs attention.' },
    { name: 'ERROR', value: 3, doc: 'Something failed.' },
    { name: 'INFO', value: 4, doc: 'Informational note.' },
  ],
} as const satisfies EnumDef;

export const logLevelEnum = {
  name: 'PiLogLevel',
  doc: "Level of a log line sent to the host's logger.",
  contiguous: true,
  members: [
    { name: 'ERROR', value: 1, doc: 'An operation failed.' },
    { name: 'WARN', value: 2, doc: 'Something unexpected that the plugin recovered from.' },
    { name: 'INFO', value: 3, doc: 'Normal operation.' },
    { name: 'DEBUG', value: 4, doc: 'Detail for developers.' },
    { name: 'TRACE', value: 5, doc: 'Very fine-grained detail.' },
  ],
} as const satisfies EnumDef;

export const streamControlEnum = {
  name: 'PiStreamControl',
  doc: 'A request from the user about a running stream, delivered to the plugin.',
  contiguous: true,
  members: [
    {
      name: 'PAUSE',
      value: 1,
      doc: 'Stop producing until RESUME; chunks sent meanwhile are refused with INVALID_STATE.',
    },
    { name: 'RESUME', value: 2, doc: 'Continue producing.' },
    { name: 'CANCEL', value: 3, doc: 'Stop for good; the host has already ended the stream as cancelled.' },
  ],
} as const satisfies EnumDef;

export const uiFlagsEnum: EnumDef = {
  name: 'PiUiFlags',
  doc: 'Bit flags for interactive widgets.',
  flags: true,
  members: [
    { name: 'NONE', value: 0, doc: 'No flags.' },
    { name: 'DISABLED', value: 1, doc: 'Shown but not interactive.' },
    { name: 'PASSWORD', value: 2, doc: 'Text edit hides its content (API keys).' },
    { name: 'MULTILINE', value: 4, doc: 'Text edit spans several lines.' },
  ],
};

export const enums: readonly EnumDef[] = [
  statusEnum,
  messageTypeEnum,
  logLevelEnum,
  streamControlEnum,
  uiFlagsEnum,
];
