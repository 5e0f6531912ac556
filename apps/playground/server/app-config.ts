import type { AppConfigProvider } from '@plugin-interfaces/host-node';

/**
 * The playground's app config: an in-memory map that starts from the saved session, where
 * setting a key to `null` deletes it (the page's Delete button), and every change is reported so
 * the session can be saved.
 */
export class PlaygroundAppConfig implements AppConfigProvider {
  readonly #values = new Map<string, unknown>();
  readonly #changed: () => void;

  constructor(initial: Readonly<Record<string, unknown>>, changed: () => void = () => undefined) {
    for (const [k, v] of Object.entries(initial)) if (v !== null) this.#values.set(k, v);
    this.#changed = changed;
  }

  get(key: string): unknown | undefined {
    return this.#values.get(key);
  }

  set(key: string, value: unknown): void {
    if (value === null) this.#values.delete(key);
    else this.#values.set(key, value);
    this.#changed();
  }

  entries(): Iterable<readonly [string, unknown]> {
    return this.#values.entries();
  }
}
