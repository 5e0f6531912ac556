import { describe, expect, it } from 'vitest';
import { FrameLog, filterEntries, kindOf } from './frame-log.js';

describe('FrameLog', () => {
  it('keeps only the newest entries up to its capacity', () => {
    const log = new FrameLog(3);
    for (let i = 0; i < 5; i++) log.add('in', `{"type":"result","id":${i}}`, 1000 + i);
    expect(log.entries().map((e) => e.time)).toEqual([1002, 1003, 1004]);
  });

  it('returns the same array until something changes', () => {
    const log = new FrameLog();
    log.add('out', '{"id":1,"op":"snapshot"}');
    const first = log.entries();
    expect(log.entries()).toBe(first);
    log.add('out', '{"id":2,"op":"rescan"}');
    expect(log.entries()).not.toBe(first);
  });

  it('names frames by op, event name or frame type', () => {
    expect(kindOf('out', '{"id":1,"op":"load","plugin_id":"echo"}')).toBe('load');
    expect(kindOf('in', '{"type":"event","event":{"event":"plugin-stream","payload":{}}}')).toBe(
      'plugin-stream',
    );
    expect(kindOf('in', '{"type":"hello","protocol":1}')).toBe('hello');
    expect(kindOf('in', 'not json')).toBe('invalid');
    expect(kindOf('status', 'closed (code 1006)')).toBe('closed');
  });

  it('filters by kind or text, case-insensitively', () => {
    const log = new FrameLog();
    log.add('out', '{"id":1,"op":"send_message","message":"Hello"}');
    log.add('in', '{"type":"event","event":{"event":"plugin-log"}}');
    expect(filterEntries(log.entries(), 'SEND').map((e) => e.kind)).toEqual(['send_message']);
    expect(filterEntries(log.entries(), 'hello')).toHaveLength(1);
    expect(filterEntries(log.entries(), '  ')).toHaveLength(2);
  });
});

describe('FrameLog pairing, redaction and instances', () => {
  it('pairs a request with its result and times it', () => {
    const log = new FrameLog();
    log.add('out', '{"id":7,"op":"load","plugin_id":"echo"}', 1000);
    log.add('in', '{"type":"result","id":7,"ok":true,"value":{"instance_id":"echo-1"}}', 1042);
    const [request, result] = log.entries();
    expect(request?.answer).toEqual({ seq: result?.seq, ok: true, ms: 42 });
    expect(result?.answers).toEqual({ op: 'load', requestSeq: request?.seq, ms: 42 });
    expect(result?.instanceId).toBe('echo-1');
  });

  it('never keeps a secret in clear', () => {
    const log = new FrameLog();
    log.add(
      'in',
      JSON.stringify({
        type: 'hello',
        protocol: 1,
        snapshot: {
          plugins: [{ id: 'p', settings: { endpoint_key: { type: 'string', secret: true } } }],
          instances: [{ instance_id: 'p-1', settings: { endpoint_key: 'hunter2' } }],
          app_config: {},
        },
      }),
    );
    log.add('out', '{"id":1,"op":"set_settings","instance_id":"p-1","settings":{"endpoint_key":"hunter3"}}');
    log.add('out', '{"id":2,"op":"set_app_config","key":"api_key","value":"sk-123"}');
    const text = log
      .entries()
      .map((e) => e.text)
      .join('\n');
    expect(text).not.toMatch(/hunter2|hunter3|sk-123/);
    expect(text).toContain('redacted');
  });

  it('filters by instance', () => {
    const log = new FrameLog();
    log.add('out', '{"id":1,"op":"connect","instance_id":"a"}');
    log.add('in', '{"type":"event","event":{"event":"plugin-log","payload":{"instance_id":"b"}}}');
    expect(filterEntries(log.entries(), '', 'b').map((e) => e.kind)).toEqual(['plugin-log']);
  });
});
