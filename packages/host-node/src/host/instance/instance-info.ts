import type {
  InstanceInfo,
  InstanceTruncation,
  PluginInfo,
  Snapshot,
  StreamInfo,
} from '@plugin-interfaces/spec';
import type { DiscoveredPlugin } from '../../discovery/index.js';
import type { InstanceMetadata } from '../../driver/types.js';
import type { HostInstance, LoadedLibrary } from './host-instance.js';
import { maskSecrets } from './secrets.js';
import { utf8Bytes, utf8Tail } from './stream-text.js';

/** JSON size of a value, in UTF-8 bytes. */
export function jsonBytes(value: unknown): number {
  return utf8Bytes(JSON.stringify(value));
}

/** Room kept for the marker object and separators. */
const SLACK = 256;

/** An instance whose driver instance does not exist yet, as views show it. */
export interface LoadingRecord {
  readonly id: string;
  readonly pluginId: string;
}

/** The view of an instance still loading: state `loading`, nothing else yet. */
export function loadingInfo(record: LoadingRecord): InstanceInfo {
  return {
    instance_id: record.id,
    plugin_id: record.pluginId,
    state: 'loading',
    revision: 0,
    tree: [],
    history: [],
    streams: [],
    settings: {},
  };
}

/**
 * The InstanceInfo of one instance (copies, never live state), at most `maxBytes` of JSON: the
 * newest history entries that fit (a stream's text cut to its tail, `droppedBytes` counting the
 * cut), the tree unless it alone is too large, and `truncated` saying what was left out. Secret
 * settings show as `{ secret: 'set' | 'unset' }`.
 */
export function instanceInfo(instance: HostInstance, maxBytes: number): InstanceInfo {
  if (instance.driver === null) return loadingInfo(instance);
  const info: InstanceInfo = {
    instance_id: instance.id,
    plugin_id: instance.pluginId,
    state: instance.state,
    revision: instance.revision,
    tree: instance.tree,
    history: [],
    streams: [],
    settings: maskSecrets(instance.lib.config.settings, instance.settings),
  };
  if (instance.error !== undefined) info.error = { ...instance.error };
  const truncated: InstanceTruncation = { history: 0, dropped: instance.history.dropped, tree: false };
  let room = maxBytes - SLACK - jsonBytes(info);
  if (room < 0) {
    info.tree = [];
    truncated.tree = true;
    room = maxBytes - SLACK - jsonBytes(info);
  } else info.tree = structuredClone(instance.tree);
  const streams = viewStreams(instance, Math.max(0, Math.floor(room / 2)));
  info.streams = streams.list;
  room -= streams.bytes;
  const page = instance.history.page({ maxBytes: Math.max(0, room) });
  info.history = page.messages;
  truncated.history = page.more;
  if (truncated.history > 0 || truncated.dropped > 0 || truncated.tree) info.truncated = truncated;
  return info;
}

/**
 * Least room a shown stream gets (its JSON fields and the tail of its text). With more streams
 * than `maxBytes` gives each that much, the oldest are left out, so thousands of open streams
 * still show the newest instead of none.
 */
const MIN_STREAM_VIEW_BYTES = 512;

/**
 * The streams a view shows: the open ones (newest first), then the newest ended ones, while they
 * fit in `maxBytes`; each text is cut to a fair share of what is left (`dropped_bytes` counts the cut).
 */
function viewStreams(instance: HostInstance, maxBytes: number): { list: StreamInfo[]; bytes: number } {
  const open = new Set(instance.streams.openIds());
  const all = instance.streams.list();
  const ordered = [
    ...all.filter((s) => open.has(s.stream_id)).reverse(),
    ...all.filter((s) => !open.has(s.stream_id)).reverse(),
  ].slice(0, Math.max(1, Math.floor(maxBytes / MIN_STREAM_VIEW_BYTES)));
  const list: StreamInfo[] = [];
  let bytes = 0;
  for (const s of ordered) {
    const share = Math.floor((maxBytes - bytes) / Math.max(1, ordered.length - list.length));
    const bare = jsonBytes({ ...s, content: '' }) + 32;
    if (bare > share) break;
    const content = utf8Tail(s.content, share - bare);
    const cut = utf8Bytes(s.content) - utf8Bytes(content);
    const view: StreamInfo = { ...s, content };
    if (cut > 0) view.dropped_bytes = (s.dropped_bytes ?? 0) + cut;
    bytes += jsonBytes(view) + 1;
    list.push(view);
  }
  return { list: list.reverse(), bytes };
}

/**
 * Everything a frontend needs to draw the current state, at most `maxBytes` of JSON: plugins and
 * app config whole, then each instance within an equal share of the rest (see
 * {@link instanceInfo}); instances that still do not fit are left out and counted.
 */
export function buildSnapshot(
  plugins: PluginInfo[],
  app_config: Record<string, unknown>,
  instances: readonly (HostInstance | LoadingRecord)[],
  maxBytes: number,
): Snapshot {
  const snapshot: Snapshot = { plugins, instances: [], app_config };
  const fixed = jsonBytes(snapshot) + SLACK;
  const share = Math.floor((maxBytes - fixed) / Math.max(1, instances.length));
  let used = fixed;
  let left = 0;
  for (const record of instances) {
    const info = 'lib' in record ? instanceInfo(record, share) : loadingInfo(record);
    const size = jsonBytes(info) + 1;
    if (used + size > maxBytes) {
      left++;
      continue;
    }
    used += size;
    snapshot.instances.push(info);
  }
  if (left > 0) snapshot.truncated = { instances: left };
  return snapshot;
}

/** The metadata the plugin receives at create (secrets included: it is their own plugin). */
export function metadataFor(
  plugin: DiscoveredPlugin,
  lib: LoadedLibrary,
  instanceId: string,
  settings: Record<string, unknown>,
): InstanceMetadata {
  const meta = lib.config.plugin;
  return {
    id: meta.id,
    name: meta.name,
    description: meta.description,
    version: meta.version,
    author: meta.author ?? null,
    pluginDir: plugin.dir,
    libraryPath: lib.library.info.path,
    configPath: plugin.configPath,
    instanceId,
    settingsJson: JSON.stringify(settings),
    requireHistory: meta.require_history ?? false,
  };
}
