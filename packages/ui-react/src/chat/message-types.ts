import type { HistoryMessage } from '@plugin-interfaces/spec';

/** A plugin message type: `normal`, `success`, `warning`, `error` or `info`. */
export type MessageType = NonNullable<HistoryMessage['messageType']>;

/**
 * How each message type is told apart besides its colour: an icon and a word, so the type is
 * clear without colour vision and to screen readers. `normal` messages carry no marker.
 */
export const MESSAGE_TYPE_MARKS: Readonly<Record<MessageType, { icon: string; label: string } | null>> = {
  normal: null,
  success: { icon: '✓', label: 'Success' },
  warning: { icon: '⚠', label: 'Warning' },
  error: { icon: '✕', label: 'Error' },
  info: { icon: 'ℹ', label: 'Info' },
};
