/**
 * Every limit a host enforces, declared once. Hosts read their defaults from here, generators emit
 * them to C, Rust and TypeScript, and the README's "Threat model and limits" table is rendered from
 * this list. A limit that is configurable names its option; `value` is the default.
 */
export interface LimitDef {
  /** Stable name, `camelCase`; the host option of the same name overrides `value` where `option` is set. */
  readonly name: string;
  /** The default (or fixed) value. */
  readonly value: number;
  /** `bytes`, `count`, `ms`, `levels`, `per-second`. */
  readonly unit: 'bytes' | 'count' | 'ms' | 'levels' | 'per-second';
  /** Who enforces it: the host facade, the in-process runtime, the isolated driver, the bridge, discovery, install, or a page (ui-react, the playground). */
  readonly layer: 'host' | 'runtime' | 'isolated' | 'bridge' | 'discovery' | 'install' | 'frontend';
  /** Where the default can be changed (`limits.maxMessageBytes`, a bridge option…), or null when fixed. */
  readonly option: string | null;
  /** One sentence: what is bounded and what happens past the limit. */
  readonly doc: string;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The limits as data. Add new limits here (never as a literal in a host); keep names unique.
 * Order: by layer, then by name.
 */
export const LIMIT_DEFS = [
  {
    name: 'maxMessageBytes',
    value: 1 * MiB,
    unit: 'bytes',
    layer: 'host',
    option: 'limits.maxMessageBytes',
    doc: 'Largest chat message or inter-plugin message (UTF-8); larger ones are refused with PAYLOAD_TOO_LARGE.',
  },
  {
    name: 'maxCallDepth',
    value: 4,
    unit: 'levels',
    layer: 'host',
    option: 'limits.maxCallDepth',
    doc: 'Longest chain of call_other_plugin calls; a longer chain or a cycle is refused.',
  },
  {
    name: 'eventBuffer',
    value: 1024,
    unit: 'count',
    layer: 'host',
    option: 'limits.eventBuffer',
    doc: 'Events an events() iterator buffers for a slow consumer; older ones are dropped and counted.',
  },
  {
    name: 'maxHistoryEntries',
    value: 10_000,
    unit: 'count',
    layer: 'host',
    option: 'limits.maxHistoryEntries',
    doc: 'History entries the host keeps per instance; past it the oldest entries are dropped (host.history() pages through what is kept).',
  },
  {
    name: 'maxHistoryBytes',
    value: 8 * MiB,
    unit: 'bytes',
    layer: 'host',
    option: 'limits.maxHistoryBytes',
    doc: 'Text (UTF-8 bytes of messages and kept stream text) the host keeps per instance; past it the oldest entries are dropped.',
  },
  {
    name: 'maxStreamBytes',
    value: 1 * MiB,
    unit: 'bytes',
    layer: 'host',
    option: 'limits.maxStreamBytes',
    doc: 'Text the host keeps of one stream: the newest bytes; the entry says how many were dropped (droppedBytes). Listeners still get every chunk.',
  },
  {
    name: 'maxPluginBytes',
    value: 32 * MiB,
    unit: 'bytes',
    layer: 'host',
    option: 'limits.maxPluginBytes',
    doc: 'Text the host keeps for all instances of one plugin together; past it the oldest entries of the largest history of that plugin are dropped.',
  },
  {
    name: 'maxSetHistoryBytes',
    value: 1 * MiB - 4 * KiB,
    unit: 'bytes',
    layer: 'host',
    option: 'limits.maxSetHistoryBytes',
    doc: 'Largest history JSON given to set_history: the newest entries that fit, the message being handled last (kept below the payload cap of the isolated driver).',
  },
  {
    name: 'maxSnapshotBytes',
    value: 1 * MiB - 16 * KiB,
    unit: 'bytes',
    layer: 'host',
    option: 'limits.maxSnapshotBytes',
    doc: 'Largest serialized snapshot() or instance view; histories are cut to their newest entries, then trees left out, each with a marker (below bridgeMaxFrameBytes).',
  },
  {
    name: 'maxReplyBytes',
    value: 1 * MiB,
    unit: 'bytes',
    layer: 'runtime',
    option: null,
    doc: 'Largest handle_message reply (UTF-8); a larger reply fails that message with PAYLOAD_TOO_LARGE.',
  },
  {
    name: 'runtimeMaxStringBytes',
    value: 1 * MiB,
    unit: 'bytes',
    layer: 'runtime',
    option: null,
    doc: 'Largest string argument of one in-process host call (UTF-8); a larger one is refused with LIMIT_EXCEEDED and reported as a violation.',
  },
  {
    name: 'runtimeMaxQueueBytes',
    value: 256 * MiB,
    unit: 'bytes',
    layer: 'runtime',
    option: null,
    doc: 'Undrained records one in-process instance may queue; past it host calls return LIMIT_EXCEEDED until the host drains.',
  },
  {
    name: 'maxOpenStreams',
    value: 256,
    unit: 'count',
    layer: 'runtime',
    option: null,
    doc: 'Streams one instance may have open (started, not ended or cancelled) at once; stream_start past it returns LIMIT_EXCEEDED and is reported as a violation.',
  },
  {
    name: 'runtimeEndedStreams',
    value: 256,
    unit: 'count',
    layer: 'runtime',
    option: null,
    doc: 'Ended streams per instance whose outcome the in-process runtime remembers, so a late call on a cancelled one answers CANCELLED; an older ended stream answers INVALID_STATE (both mean stop). Bounds what the runtime keeps per stream ever started.',
  },
  {
    name: 'runtimeMaxDeferredReplies',
    value: 4096,
    unit: 'count',
    layer: 'runtime',
    option: null,
    doc: 'Requests one in-process instance may have answered PENDING and not replied to yet; past it the oldest is forgotten (the host has timed it out) and a late reply to it gets NOT_FOUND.',
  },
  {
    name: 'streamCreditWindow',
    value: 256,
    unit: 'count',
    layer: 'runtime',
    option: 'creditWindow',
    doc: 'Chunks a stream may send before the host grants credit back; stream_data then returns BACKPRESSURE.',
  },
  {
    name: 'requestTimeoutMs',
    value: 30_000,
    unit: 'ms',
    layer: 'runtime',
    option: 'requestTimeoutMs',
    doc: 'How long a plugin thread waits in get_app_config or call_other_plugin for the host; then the call returns TIMEOUT.',
  },
  {
    name: 'runtimeDrainRecords',
    value: 4096,
    unit: 'count',
    layer: 'runtime',
    option: null,
    doc: 'Records the in-process driver moves from the runtime queue per batch (one shared buffer per process).',
  },
  {
    name: 'maxConcurrentChildStarts',
    value: 4,
    unit: 'count',
    layer: 'isolated',
    option: 'isolatedDriver.maxConcurrentStarts',
    doc: 'Plugin processes the isolated driver starts at the same time; further loads wait in a queue (their start deadline begins when their turn comes).',
  },
  {
    name: 'childStartTimeoutMs',
    value: 10_000,
    unit: 'ms',
    layer: 'isolated',
    option: 'isolatedDriver.startTimeoutMs',
    doc: 'How long a new plugin process may take to complete its handshake; past it the load fails with PLUGIN_START_TIMEOUT.',
  },
  {
    name: 'maxCrashesPerLibrary',
    value: 3,
    unit: 'count',
    layer: 'isolated',
    option: 'isolatedDriver.crashPolicy.maxCrashes',
    doc: 'Crashes of one plugin library (same file, same version) within crashWindowMs, counted across instances and loads; reaching it disables the plugin.',
  },
  {
    name: 'crashWindowMs',
    value: 5 * 60_000,
    unit: 'ms',
    layer: 'isolated',
    option: 'isolatedDriver.crashPolicy.windowMs',
    doc: 'Sliding window in which crashes of one plugin library are counted.',
  },
  {
    name: 'isolatedMaxPayloadBytes',
    value: 1 * MiB,
    unit: 'bytes',
    layer: 'isolated',
    option: 'isolatedDriver.limits.maxPayloadBytes',
    doc: 'Largest string crossing the process boundary (message, history, settings, UI event, reply, event payload); a larger one is refused with PAYLOAD_TOO_LARGE, or becomes a violation when a plugin sent it (a reply becomes an error reply).',
  },
  {
    name: 'isolatedMaxRssBytes',
    value: 512 * MiB,
    unit: 'bytes',
    layer: 'isolated',
    option: 'isolatedDriver.limits.maxRssBytes',
    doc: 'Resident memory of one plugin process, polled; above it the process is killed and the fault cause is memory.',
  },
  {
    name: 'isolatedMaxHeapBytes',
    value: 128 * MiB,
    unit: 'bytes',
    layer: 'isolated',
    option: 'isolatedDriver.limits.maxHeapMb (in MiB)',
    doc: "V8 heap of a plugin process's JavaScript (--max-old-space-size); past it the process ends with an out-of-heap fault.",
  },
  {
    name: 'isolatedMaxBatchEvents',
    value: 512,
    unit: 'count',
    layer: 'isolated',
    option: 'isolatedDriver.limits.maxBatchEvents',
    doc: 'Events a plugin process sends to the host in one IPC message; more wait for the next batch.',
  },
  {
    name: 'isolatedMaxEventsPerSecond',
    value: 200_000,
    unit: 'per-second',
    layer: 'isolated',
    option: 'isolatedDriver.limits.maxEventsPerSecond',
    doc: 'Events one plugin process may send per second; the excess is dropped with one EVENT_RATE_EXCEEDED violation per second. Stream chunks are not counted (the credit window holds them); replies and stream ends are never dropped.',
  },
  {
    name: 'bridgeMaxFrameBytes',
    value: 1 * MiB,
    unit: 'bytes',
    layer: 'bridge',
    option: null,
    doc: 'Largest WebSocket frame in either direction; larger client frames close the connection, larger server frames are split or refused.',
  },
  {
    name: 'bridgeHighWaterBytes',
    value: 256 * KiB,
    unit: 'bytes',
    layer: 'bridge',
    option: 'highWaterBytes',
    doc: "Unsent bytes in a client's socket above which further frames wait in the bridge and stream data coalesces.",
  },
  {
    name: 'bridgeMaxQueuedBytes',
    value: 32 * MiB,
    unit: 'bytes',
    layer: 'bridge',
    option: 'maxQueuedBytes',
    doc: 'Bytes waiting in the bridge for one slow client; past it the client is closed with 1008.',
  },
  {
    name: 'maxAppConfigKeyChars',
    value: 128,
    unit: 'count',
    layer: 'bridge',
    option: null,
    doc: 'Longest app-config key a client may set (characters of [A-Za-z0-9_.-]); other keys, and __proto__, constructor and prototype, are refused with BRIDGE_BAD_FRAME.',
  },
  {
    name: 'maxAppConfigValueBytes',
    value: 64 * KiB,
    unit: 'bytes',
    layer: 'bridge',
    option: null,
    doc: 'Largest app-config value (its JSON, UTF-8) a client may set; a larger one is refused with PAYLOAD_TOO_LARGE.',
  },
  {
    name: 'maxJsonDepth',
    value: 64,
    unit: 'levels',
    layer: 'bridge',
    option: null,
    doc: 'Deepest nesting of arrays and objects in a client frame (app-config values and settings included); a deeper frame is refused with PAYLOAD_TOO_LARGE.',
  },
  {
    name: 'maxSettingsBytes',
    value: 64 * KiB,
    unit: 'bytes',
    layer: 'bridge',
    option: null,
    doc: 'Largest settings object (its JSON, UTF-8) a client may send with set_settings; a larger one is refused with PAYLOAD_TOO_LARGE.',
  },
  {
    name: 'maxConfigBytes',
    value: 256 * KiB,
    unit: 'bytes',
    layer: 'discovery',
    option: 'discovery.maxConfigBytes',
    doc: 'Largest config.toml read; a larger file is refused with CONFIG_INVALID before it is parsed (its content never reaches an error).',
  },
  {
    name: 'installIndexMaxBytes',
    value: 4 * MiB,
    unit: 'bytes',
    layer: 'install',
    option: 'fetchPluginIndex({ maxBytes })',
    doc: 'Largest plugin index (JSON) install reads; a larger one fails with INSTALL_FAILED before it is parsed.',
  },
  {
    name: 'installIndexTimeoutMs',
    value: 10_000,
    unit: 'ms',
    layer: 'install',
    option: 'fetchPluginIndex({ timeoutMs })',
    doc: 'Deadline for fetching the plugin index; past it the fetch fails with INSTALL_FAILED.',
  },
  {
    name: 'installLibraryMaxBytes',
    value: 256 * MiB,
    unit: 'bytes',
    layer: 'install',
    option: 'installPlugin({ maxBytes })',
    doc: 'Largest plugin library install downloads; a larger one (announced or received) fails with INSTALL_FAILED and nothing is written. The config.toml download is capped by maxConfigBytes.',
  },
  {
    name: 'installDownloadTimeoutMs',
    value: 120_000,
    unit: 'ms',
    layer: 'install',
    option: 'installPlugin({ timeoutMs })',
    doc: 'Deadline for each install download (config.toml, library); past it the install fails with INSTALL_FAILED and nothing is written.',
  },
  {
    name: 'maxInstallRedirects',
    value: 5,
    unit: 'count',
    layer: 'install',
    option: null,
    doc: 'Redirects install follows for one download, each to the same origin only; more, or one to another origin, fail with INSTALL_FAILED.',
  },
  {
    name: 'markdownMaxChars',
    value: 50_000,
    unit: 'count',
    layer: 'frontend',
    option: null,
    doc: "Characters of a stream's text ui-react renders as Markdown; a longer text is shown as plain text (parsing it on every chunk would stall the page).",
  },
  {
    name: 'playgroundInspectorFrames',
    value: 500,
    unit: 'count',
    layer: 'frontend',
    option: null,
    doc: "Bridge frames the playground's event inspector keeps; older ones fall off.",
  },
  {
    name: 'playgroundInspectorPage',
    value: 100,
    unit: 'count',
    layer: 'frontend',
    option: null,
    doc: 'Frames the event inspector draws per page; "Show older" draws the next page, so every kept frame is reachable.',
  },
  {
    name: 'playgroundLogLines',
    value: 1000,
    unit: 'count',
    layer: 'frontend',
    option: null,
    doc: "Plugin log lines the playground's log panel keeps; older ones fall off.",
  },
  {
    name: 'playgroundVirtualizeAfter',
    value: 40,
    unit: 'count',
    layer: 'frontend',
    option: null,
    doc: 'Plugins above which the playground draws only the rows of its plugin list that are in view.',
  },
  {
    name: 'playgroundProcessPollMs',
    value: 2000,
    unit: 'ms',
    layer: 'frontend',
    option: null,
    doc: "How often the playground's Log tab asks for the plugin processes (pid, memory, restarts).",
  },
] as const satisfies readonly LimitDef[];

export type LimitName = (typeof LIMIT_DEFS)[number]['name'];

/** `LIMITS.maxMessageBytes` etc.: the default of each limit, by name. */
export const LIMITS: { readonly [K in LimitName]: number } = Object.freeze(
  Object.fromEntries(LIMIT_DEFS.map((l) => [l.name, l.value])) as { [K in LimitName]: number },
);
