import type { HistoryMessage } from '@plugin-interfaces/spec';

/** A message the user sent that the host's history does not show yet. */
export interface LocalEcho {
  readonly key: string;
  readonly content: string;
  readonly createdAt: string;
  /** How many user messages with this content the history already had when it was sent. */
  readonly seenBefore: number;
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
 * message with its content than when it was sent (the host recorded it). Failed sends stay.
 */
export function pendingEchoes(echoes: readonly LocalEcho[], history: readonly HistoryMessage[]): LocalEcho[] {
  const used = new Map<string, number>();
  return echoes.filter((echo) => {
    if (echo.error !== null) return true;
    const claimed = used.get(echo.content) ?? 0;
    const recorded = countUserMessages(history, echo.content) - echo.seenBefore - claimed;
    if (recorded > 0) {
      used.set(echo.content, claimed + 1);
      return false;
    }
    return true;
  });
}
