/** Something whose oldest kept text can be dropped to make room. */
export interface Evictable {
  /** UTF-8 bytes of text kept. */
  readonly bytes: number;
  /** Drop the oldest entry; false when nothing can be dropped. */
  evictOldest(): boolean;
}

/**
 * The host-side byte budget of one plugin: the text kept by every instance of that plugin
 * (history entries and stream tails) counts towards `max`. Past it, the oldest entries of the
 * plugin's largest history are dropped until the plugin fits again.
 */
export class PluginBudget {
  readonly #max: number;
  readonly #members = new Set<Evictable>();
  bytes = 0;

  constructor(max: number) {
    this.#max = max;
  }

  join(member: Evictable): void {
    this.#members.add(member);
  }

  /** Forget a member and the bytes it held. */
  leave(member: Evictable): void {
    if (this.#members.delete(member)) this.bytes -= member.bytes;
  }

  /** Bytes a member no longer keeps (no eviction runs). */
  release(bytes: number): void {
    this.bytes -= bytes;
  }

  /** Account `delta` more bytes kept, then drop old entries while over the budget. */
  grow(delta: number): void {
    this.bytes += delta;
    while (this.bytes > this.#max) {
      let largest: Evictable | undefined;
      for (const m of this.#members) if (largest === undefined || m.bytes > largest.bytes) largest = m;
      if (largest === undefined || !largest.evictOldest()) return;
    }
  }
}

/** The budgets of a host, one per plugin id. */
export class PluginBudgets {
  readonly #max: number;
  readonly #byPlugin = new Map<string, PluginBudget>();

  constructor(max: number) {
    this.#max = max;
  }

  of(pluginId: string): PluginBudget {
    let budget = this.#byPlugin.get(pluginId);
    if (budget === undefined) {
      budget = new PluginBudget(this.#max);
      this.#byPlugin.set(pluginId, budget);
    }
    return budget;
  }
}
