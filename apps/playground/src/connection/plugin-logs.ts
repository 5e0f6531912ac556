import type { LogLevel } from '@plugin-interfaces/spec';
import type { ClientChange, PluginClient } from '@plugin-interfaces/ui-react';
import { PAGE_LIMITS } from '../limits.js';
import { REDACTED } from './redact.js';

/** One plugin log line. */
export interface LogLine {
  readonly seq: number;
  readonly time: number;
  readonly level: LogLevel;
  readonly pluginId: string;
  readonly instanceId: string;
  readonly message: string;
}

/** Log levels from most to least severe. */
export const LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug', 'trace'];

/** `key=value` / `key: value` pairs whose key looks secret, for redacting free log text. */
const SECRET_PAIR = /((?:secret|passw(?:or)?d|token|api[-_]?key|apikey)["']?\s*[:=]\s*["']?)([^\s"',;}]+)/gi;

/** A log message with anything that looks like `api_key=…` redacted. */
export function redactLogText(text: string): string {
  return text.replace(SECRET_PAIR, (_m, head: string) => `${head}${REDACTED}`);
}

/**
 * The plugins' log lines (`plugin-log` events), capped, observable like the frame log. Subscribe
 * it to the unbatched client so no line is lost when events are collapsed per frame.
 */
export class LogStore {
  private readonly list: LogLine[] = [];
  private view: readonly LogLine[] = [];
  private seq = 0;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly capacity: number = PAGE_LIMITS.logLines,
    private readonly notifyMs = 100,
  ) {}

  /** Listen to a client's plugin-log events; returns the function that stops listening. */
  attach(client: PluginClient): () => void {
    return client.subscribe((change: ClientChange) => {
      if (change.type !== 'event' || change.event.event !== 'plugin-log') return;
      const p = change.event.payload;
      this.add({
        time: p.timestamp,
        level: p.level,
        pluginId: p.plugin_id,
        instanceId: p.instance_id,
        message: redactLogText(p.message),
      });
    });
  }

  add(line: Omit<LogLine, 'seq'>): void {
    this.list.push({ ...line, seq: ++this.seq });
    if (this.list.length > this.capacity) this.list.splice(0, this.list.length - this.capacity);
    this.view = this.list.slice();
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const l of [...this.listeners]) l();
    }, this.notifyMs);
  }

  clear(): void {
    this.list.length = 0;
    this.view = [];
    for (const l of [...this.listeners]) l();
  }

  lines = (): readonly LogLine[] => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

/** Lines at `minLevel` or more severe, of one instance when given. */
export function filterLines(
  lines: readonly LogLine[],
  minLevel: LogLevel,
  instanceId: string | null,
): readonly LogLine[] {
  const max = LEVELS.indexOf(minLevel);
  return lines.filter(
    (l) => LEVELS.indexOf(l.level) <= max && (instanceId === null || l.instanceId === instanceId),
  );
}
