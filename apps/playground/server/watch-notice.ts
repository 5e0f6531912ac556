import type { FrontendEvent } from '@plugin-interfaces/spec';
import type { WatchNotice } from './watch.js';

/**
 * The instance id watch-mode notices carry: they travel to the page as `plugin-log` events of
 * the plugin concerned, from this pseudo-instance (no instance has this id: instance ids the page
 * makes are `<plugin>-<8 hex>`).
 */
export const WATCH_INSTANCE = 'playground-watch';

/** A watch notice as a frontend event (info when reloaded, error when not). */
export function noticeEvent(notice: WatchNotice, now = Date.now()): FrontendEvent {
  return {
    event: 'plugin-log',
    payload: {
      plugin_id: notice.pluginId,
      instance_id: WATCH_INSTANCE,
      timestamp: now,
      level: notice.ok ? 'info' : 'error',
      message: notice.message,
    },
  };
}
