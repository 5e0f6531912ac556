/** Which way a logged frame went, or a connection change. */
export type FrameDirection = 'in' | 'out' | 'status';

/** One line of the event inspector. */
export interface FrameEntry {
  readonly seq: number;
  readonly time: number;
  readonly direction: FrameDirection;
  /** The frame kind: `hello`, `result`, an event name, an op, or a status word. */
  readonly kind: string;
  readonly text: string;
}

/**
 * A capped, observable log of every bridge frame in and out. Old entries fall off the front once
 * `capacity` is reached; `entries()` returns the same array until something changes, so React
 * can subscribe with `useSyncExternalStore`. Listeners are called at most every `notifyMs`, so a
 * flood of stream frames does not re-render the inspector once per frame.
 */
export class FrameLog {
  private readonly list: FrameEntry[] = [];
  private view: readonly FrameEntry[] = [];
  private dirty = false;
  private seq = 0;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly capacity = 500,
    private readonly notifyMs = 100,
  ) {}

  add(direction: FrameDirection, text: string, now = Date.now()): void {
    this.list.push({ seq: ++this.seq, time: now, direction, kind: kindOf(direction, text), text });
    if (this.list.length > this.capacity) this.list.splice(0, this.list.length - this.capacity);
    this.changed();
  }

  clear(): void {
    this.list.length = 0;
    this.changed();
  }

  entries = (): readonly FrameEntry[] => {
    if (this.dirty) {
      this.view = this.list.slice();
      this.dirty = false;
    }
    return this.view;
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed(): void {
    this.dirty = true;
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const l of [...this.listeners]) l();
    }, this.notifyMs);
  }
}

/** A short label for a frame: the op of a request, the type (or event name) of a server frame. */
export function kindOf(direction: FrameDirection, text: string): string {
  if (direction === 'status') return text.split(' ')[0] ?? 'status';
  try {
    const value = JSON.parse(text) as { op?: unknown; type?: unknown; event?: { event?: unknown } };
    if (typeof value.op === 'string') return value.op;
    if (value.type === 'event' && typeof value.event?.event === 'string') return value.event.event;
    if (typeof value.type === 'string') return value.type;
  } catch {
    return 'invalid';
  }
  return 'unknown';
}

/** Entries whose kind or text contains the filter (case-insensitive). */
export function filterEntries(entries: readonly FrameEntry[], filter: string): readonly FrameEntry[] {
  const f = filter.trim().toLowerCase();
  if (f === '') return entries;
  return entries.filter((e) => e.kind.toLowerCase().includes(f) || e.text.toLowerCase().includes(f));
}
