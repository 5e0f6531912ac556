import type { InstanceInfo, InstanceTruncation, StreamInfo } from '@plugin-interfaces/spec';
import { jsonBytes, utf8Bytes } from '../../text-size.js';
import type { HostInstance } from './host-instance.js';
import { maskSecrets } from './secrets.js';
import { utf8Tail } from './stream-text.js';

/** Room a view keeps for its `truncated` marker and separators. */
export const VIEW_SLACK = 256;

/** The view of an instance still loading (see `LoadingInstance`): state `loading`, nothing else yet. */
export function loadingInfo(record: { readonly id: string; readonly pluginId: string }): InstanceInfo {
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
  let room = maxBytes - VIEW_SLACK - jsonBytes(info);
  if (room < 0) {
    info.tree = [];
    truncated.tree = true;
    room = maxBytes - VIEW_SLACK - jsonBytes(info);
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
