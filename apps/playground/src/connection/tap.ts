import type { WebSocketConstructor, WebSocketLike } from '@plugin-interfaces/ui-react';
import type { FrameDirection } from './frame-log.js';

/**
 * Wrap a WebSocket constructor so every text frame sent and received, and every open and close,
 * is reported to `record` before the client sees it. Used by the event inspector.
 */
export function tapWebSocket(
  Base: WebSocketConstructor,
  record: (direction: FrameDirection, text: string) => void,
): WebSocketConstructor {
  return class TappedWebSocket implements WebSocketLike {
    private readonly inner: WebSocketLike;
    constructor(url: string) {
      this.inner = new Base(url);
      this.inner.onopen = (ev) => {
        record('status', 'open');
        this.onopen?.(ev);
      };
      this.inner.onmessage = (ev) => {
        record('in', typeof ev.data === 'string' ? ev.data : '(binary frame)');
        this.onmessage?.(ev);
      };
      this.inner.onclose = (ev) => {
        record('status', `closed (code ${ev.code}${ev.reason ? `: ${ev.reason}` : ''})`);
        this.onclose?.(ev);
      };
      this.inner.onerror = (ev) => this.onerror?.(ev);
    }
    onopen: ((ev: Event) => void) | null = null;
    onmessage: ((ev: MessageEvent) => void) | null = null;
    onclose: ((ev: CloseEvent) => void) | null = null;
    onerror: ((ev: Event) => void) | null = null;
    get readyState(): number {
      return this.inner.readyState;
    }
    send(data: string): void {
      record('out', data);
      this.inner.send(data);
    }
    close(code?: number, reason?: string): void {
      this.inner.close(code, reason);
    }
  };
}
