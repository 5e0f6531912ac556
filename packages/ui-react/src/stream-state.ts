import type { PluginStreamPayload, StreamInfo } from '@plugin-interfaces/spec';

/**
 * Apply one `plugin-stream` transition to an instance's stream list. The host owns the state
 * machine and only forwards valid transitions; this function is still total: a transition for an
 * unknown stream (other than `stream_start`) or for a stream that already finished is ignored.
 */
export function applyStreamEvent(streams: readonly StreamInfo[], payload: PluginStreamPayload): StreamInfo[] {
  const id = payload.data.stream_id;
  const index = streams.findIndex((s) => s.stream_id === id);
  if (payload.type === 'stream_start') {
    const fresh: StreamInfo = {
      stream_id: id,
      state: 'active',
      content: '',
      title: payload.data.title,
      error: null,
    };
    return index === -1 ? [...streams, fresh] : streams.map((s, i) => (i === index ? fresh : s));
  }
  const current = streams[index];
  if (current === undefined || isFinished(current)) return [...streams];
  const next = transition(current, payload);
  return streams.map((s, i) => (i === index ? next : s));
}

/** True once a stream reached completed, error or cancelled. */
export function isFinished(stream: StreamInfo): boolean {
  return stream.state === 'completed' || stream.state === 'error' || stream.state === 'cancelled';
}

function transition(stream: StreamInfo, payload: PluginStreamPayload): StreamInfo {
  switch (payload.type) {
    case 'stream_data': {
      const content = stream.content + payload.data.chunk;
      return payload.data.is_final ? { ...stream, content, state: 'completed' } : { ...stream, content };
    }
    case 'stream_end':
      return payload.data.success
        ? { ...stream, state: 'completed', error: null }
        : { ...stream, state: 'error', error: payload.data.error ?? 'The stream failed.' };
    case 'stream_pause':
      return { ...stream, state: 'paused' };
    case 'stream_resume':
      return { ...stream, state: 'active' };
    case 'stream_cancel':
      return { ...stream, state: 'cancelled' };
    case 'stream_start':
      return stream;
  }
}
