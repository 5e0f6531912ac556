import { randomUUID } from 'node:crypto';
import type { HistoryMessage, MessageType } from '@plugin-interfaces/spec';

type Role = HistoryMessage['role'];
type Status = HistoryMessage['status'];

/**
 * The chat history of one instance: user messages, plugin messages, replies and streams, in
 * order, as the spec's `HistoryMessage`. Streams are one entry that is updated in place.
 */
export class InstanceHistory {
  readonly #pluginId: string;
  #items: HistoryMessage[] = [];

  constructor(pluginId: string, restored: readonly HistoryMessage[] = []) {
    this.#pluginId = pluginId;
    this.#items = restored.map((m) => ({ ...m }));
  }

  /** Append a finished text message and return it. */
  add(role: Role, content: string, messageType?: MessageType, error?: string): HistoryMessage {
    const message: HistoryMessage = {
      id: randomUUID(),
      type: 'normal',
      status: error === undefined ? 'completed' : 'error',
      content,
      pluginId: this.#pluginId,
      role,
      createdAt: new Date().toISOString(),
    };
    if (messageType !== undefined) message.messageType = messageType;
    if (error !== undefined) message.error = error;
    this.#items.push(message);
    return message;
  }

  /** Append a streaming entry (status active) whose id is the stream id, and return it. */
  addStream(streamId: string): string {
    const id = streamId;
    this.#items.push({
      id,
      type: 'streaming',
      status: 'active',
      content: '',
      pluginId: this.#pluginId,
      role: 'plugin',
      createdAt: new Date().toISOString(),
    });
    return id;
  }

  /** Update a streaming entry's status, content or error. */
  updateStream(id: string, status: Status, content: string, error?: string | null): void {
    const item = this.#items.find((m) => m.id === id);
    if (item === undefined) return;
    item.status = status;
    item.content = content;
    if (error !== undefined && error !== null) item.error = error;
  }

  /** A copy of every entry, oldest first. */
  list(): HistoryMessage[] {
    return this.#items.map((m) => ({ ...m }));
  }

  get length(): number {
    return this.#items.length;
  }
}
