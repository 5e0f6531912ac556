import { type FrontendEventOf, validators } from '@plugin-interfaces/spec';
import type { StreamRecord } from '../instance/streams.js';

/** The frontend event of one stream chunk (`plugin-stream` with `type: 'stream_data'`). */
export type ChunkEvent = FrontendEventOf<'plugin-stream'>;

/**
 * The `stream_data` event of one chunk, checked against the spec's schema without running the
 * whole validator for every chunk. Within one stream, `plugin_id`, `instance_id`, `stream_id` and
 * `is_final` never change; so the first chunk event of each stream goes through the full schema
 * check (`validators.frontendEvent`), and every later one checks only what varies per chunk, with
 * the schema's own constraints: `chunk` a string, `seq` an integer ≥ 0, `timestamp` a finite number. A
 * test (`chunk-event.test.ts`) pins those constraints to the schema, so a schema change that
 * this check does not cover fails there instead of letting invalid events out.
 *
 * Returns the event, or the schema problems (the caller drops the chunk and logs them).
 */
export function chunkEvent(
  instance: { readonly pluginId: string; readonly id: string },
  record: StreamRecord,
  chunk: string,
  seq: number,
  timestamp: number,
): ChunkEvent | string[] {
  const event: ChunkEvent = {
    event: 'plugin-stream',
    payload: {
      plugin_id: instance.pluginId,
      instance_id: instance.id,
      timestamp,
      type: 'stream_data',
      data: { stream_id: record.streamId, chunk, is_final: false, seq },
    },
  };
  if (record.checked) {
    if (typeof chunk === 'string' && Number.isInteger(seq) && seq >= 0 && Number.isFinite(timestamp))
      return event;
    return validators.frontendEvent.errors(event, 5);
  }
  if (!validators.frontendEvent.check(event)) return validators.frontendEvent.errors(event, 5);
  record.checked = true;
  return event;
}
