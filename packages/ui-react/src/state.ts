import type {
  FrontendEvent,
  HistoryMessage,
  InstanceInfo,
  PluginMessagePayload,
  PluginReplyPayload,
  Snapshot,
} from '@plugin-interfaces/spec';
import { applyStreamEvent, isFinished } from './stream-state.js';

/**
 * Fold one host event into a snapshot, without mutating it. Messages and replies are appended to
 * the instance's history (once per id), history entries the host appended (user messages,
 * failures) likewise, streams take their place in the history and move through their states, a UI frame replaces
 * the tree when its revision is not older than the current one, and status events update the
 * lifecycle state (a `destroyed` instance is removed). A cleared history keeps only the streams
 * still open (as the host does, so their chunks land). Events for an instance the snapshot does
 * not know yet create it. Log, custom and disconnect-request events leave the state unchanged.
 */
export function applyFrontendEvent(snapshot: Snapshot, event: FrontendEvent): Snapshot {
  switch (event.event) {
    case 'plugin-message':
      return updateInstance(snapshot, event.payload, (i) => appendHistory(i, messageEntry(event.payload)));
    case 'plugin-reply': {
      const entry = replyEntry(event.payload);
      return entry ? updateInstance(snapshot, event.payload, (i) => appendHistory(i, entry)) : snapshot;
    }
    case 'plugin-history':
      return updateInstance(snapshot, event.payload, (i) => appendHistory(i, event.payload.message));
    case 'plugin-stream': {
      const p = event.payload;
      return updateInstance(snapshot, p, (i) => {
        const next = { ...i, streams: applyStreamEvent(i.streams, p) };
        // A stream has its place in the history, so later messages are shown after it.
        return p.type === 'stream_start'
          ? appendHistory(next, streamEntry(p.plugin_id, p.data.stream_id, p.timestamp))
          : next;
      });
    }
    case 'plugin-history-cleared':
      return updateInstance(snapshot, event.payload, clearHistory);
    case 'plugin-ui-updated': {
      const { revision, tree } = event.payload;
      return updateInstance(snapshot, event.payload, (i) =>
        revision < i.revision ? i : { ...i, revision, tree },
      );
    }
    case 'plugin-status': {
      const { state, error } = event.payload;
      if (state === 'destroyed') return removeInstance(snapshot, event.payload.instance_id);
      return updateInstance(snapshot, event.payload, (i) => {
        const { error: _old, ...rest } = i;
        return error === undefined ? { ...rest, state } : { ...rest, state, error };
      });
    }
    case 'plugin-log':
    case 'plugin-custom':
    case 'plugin-disconnect-request':
      return snapshot;
  }
}

/** A blank instance, for events that arrive before the snapshot knew the instance. */
export function emptyInstance(pluginId: string, instanceId: string): InstanceInfo {
  return {
    instance_id: instanceId,
    plugin_id: pluginId,
    state: 'created',
    revision: 0,
    tree: [],
    history: [],
    streams: [],
    settings: {},
  };
}

interface Who {
  readonly plugin_id: string;
  readonly instance_id: string;
}

function updateInstance(snapshot: Snapshot, who: Who, update: (i: InstanceInfo) => InstanceInfo): Snapshot {
  const index = snapshot.instances.findIndex((i) => i.instance_id === who.instance_id);
  const current = snapshot.instances[index] ?? emptyInstance(who.plugin_id, who.instance_id);
  const next = update(current);
  if (next === current && index !== -1) return snapshot;
  const instances =
    index === -1 ? [...snapshot.instances, next] : snapshot.instances.map((i, k) => (k === index ? next : i));
  return { ...snapshot, instances };
}

function removeInstance(snapshot: Snapshot, instanceId: string): Snapshot {
  const instances = snapshot.instances.filter((i) => i.instance_id !== instanceId);
  return instances.length === snapshot.instances.length ? snapshot : { ...snapshot, instances };
}

function clearHistory(instance: InstanceInfo): InstanceInfo {
  const streams = instance.streams.filter((s) => !isFinished(s));
  const open = new Set(streams.map((s) => s.stream_id));
  const history = instance.history.filter((m) => m.type === 'streaming' && open.has(m.id));
  const { truncated, ...rest } = instance;
  return {
    ...rest,
    history,
    streams,
    ...(truncated === undefined ? {} : { truncated: { ...truncated, history: 0, dropped: 0 } }),
  };
}

function appendHistory(instance: InstanceInfo, entry: HistoryMessage): InstanceInfo {
  if (instance.history.some((m) => m.id === entry.id)) return instance;
  return { ...instance, history: [...instance.history, entry] };
}

function messageEntry(p: PluginMessagePayload): HistoryMessage {
  return {
    id: p.message_id,
    type: 'normal',
    status: 'completed',
    content: p.content,
    pluginId: p.plugin_id,
    role: 'plugin',
    createdAt: isoTime(p.timestamp),
    messageType: p.message_type,
  };
}

/** A successful reply with text becomes a plugin message; a failure arrives as its own plugin-history event. */
function replyEntry(p: PluginReplyPayload): HistoryMessage | null {
  if (!p.ok || p.content === null || p.content === '') return null;
  return {
    id: p.request_id,
    type: 'normal',
    status: 'completed',
    content: p.content,
    pluginId: p.plugin_id,
    role: 'plugin',
    createdAt: isoTime(p.timestamp),
    messageType: 'normal',
  };
}

function streamEntry(pluginId: string, streamId: string, timestamp: number): HistoryMessage {
  return {
    id: streamId,
    type: 'streaming',
    status: 'active',
    content: '',
    pluginId,
    role: 'plugin',
    createdAt: isoTime(timestamp),
  };
}

/** ISO-8601 for a host timestamp; an out-of-range number becomes the epoch instead of throwing. */
function isoTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}
