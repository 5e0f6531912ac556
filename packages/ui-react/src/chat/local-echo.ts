import type { HistoryMessage } from '@plugin-interfaces/spec';

/** A message the user sent that the host's history does not show yet. */
export interface LocalEcho {
  readonly key: string;
  readonly content: string;
  readonly createdAt: string;
  /** How many user messages with this content the history already had when it was sent. */
  readonly seenBefore: number;
  /** How long the history was when it was sent: where a failed echo is drawn. */
  readonly historyLength: number;
  readonly error: string | null;
}

/** How many user messages with exactly this content the history holds. */
export function countUserMessages(history: readonly HistoryMessage[], content: string): number {
  let n = 0;
  for (const m of history) if (m.role === 'user' && m.content === content) n++;
  return n;
}

/**
 * The echoes still worth showing: an echo disappears once the history holds one more user
 * message with its content than when it was sent (the host recorded it, so the plugin received
 * it, and the host's own record, error included, is shown in its place). A failed send the host
 * never recorded stays, marked as not delivered.
 */
export function pendingEchoes(echoes: readonly LocalEcho[], history: readonly HistoryMessage[]): LocalEcho[] {
  const used = new Map<string, number>();
  return echoes.filter((echo) => {
    const claimed = used.get(echo.content) ?? 0;
    const recorded = countUserMessages(history, echo.content) - echo.seenBefore - claimed;
    if (recorded > 0) {
      used.set(echo.content, claimed + 1);
      return false;
    }
    return true;
  });
}

/** One row of the chat log: a history entry, or an echo drawn at the place it was sent. */
export type ChatRow =
  | { readonly kind: 'history'; readonly message: HistoryMessage }
  | { readonly kind: 'echo'; readonly echo: LocalEcho };

/**
 * The chat log in order: history entries, each failed echo just before the entries the host
 * added after it was sent (so an error the host recorded for it follows it), and echoes still
 * on their way last.
 */
export function chatRows(history: readonly HistoryMessage[], echoes: readonly LocalEcho[]): ChatRow[] {
  const failed = echoes.filter((e) => e.error !== null);
  const waiting = echoes.filter((e) => e.error === null);
  const rows: ChatRow[] = [];
  let next = 0;
  history.forEach((message, index) => {
    while (next < failed.length && (failed[next]?.historyLength ?? 0) <= index)
      rows.push({ kind: 'echo', echo: failed[next++]! });
    rows.push({ kind: 'history', message });
  });
  for (; next < failed.length; next++) rows.push({ kind: 'echo', echo: failed[next]! });
  for (const echo of waiting) rows.push({ kind: 'echo', echo });
  return rows;
}
