import { type Static, Type } from '@sinclair/typebox';
import { MessageType } from './common.js';

/** One chat-history entry, in the seed's shape (camelCase, ISO-8601 `createdAt`). */
export const HistoryMessage = Type.Object({
  id: Type.String({ minLength: 1 }),
  type: Type.Union([Type.Literal('normal'), Type.Literal('streaming')]),
  status: Type.Union([
    Type.Literal('completed'),
    Type.Literal('active'),
    Type.Literal('paused'),
    Type.Literal('error'),
    Type.Literal('cancelled'),
  ]),
  content: Type.String(),
  pluginId: Type.String(),
  role: Type.Union([Type.Literal('user'), Type.Literal('plugin'), Type.Literal('system')]),
  createdAt: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T', description: 'ISO-8601 date-time.' }),
  messageType: Type.Optional(MessageType),
  error: Type.Optional(Type.String()),
  droppedBytes: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: 'Bytes of this stream the host no longer keeps: content is the tail (see maxStreamBytes).',
    }),
  ),
});
export type HistoryMessage = Static<typeof HistoryMessage>;

export const History = Type.Array(HistoryMessage);
export type History = Static<typeof History>;
