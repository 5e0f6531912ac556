export { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
export { ChatView, type ChatViewProps } from './chat/ChatView.js';
export { type FollowTail, TAIL_SLACK_PX, useFollowTail } from './chat/follow-tail.js';
export { MessageItem, type MessageItemProps } from './chat/MessageItem.js';
export { MESSAGE_TYPE_MARKS, type MessageType } from './chat/message-types.js';
export { SendBox, type SendBoxProps } from './chat/SendBox.js';
export { type StreamControl, StreamItem, type StreamItemProps } from './chat/StreamItem.js';
export {
  type BridgeArgs,
  type BridgeResult,
  type ClientChange,
  type ClientListener,
  type ConnectionStatus,
  EMPTY_SNAPSHOT,
  type PluginClient,
} from './client.js';
export { isPluginClientError, PluginClientError, type PluginClientErrorReason } from './errors.js';
export {
  PluginClientProvider,
  type PluginClientProviderProps,
  useConnectionStatus,
  useInstance,
  usePluginClient,
  useSnapshot,
} from './hooks.js';
export { Markdown, type MarkdownProps } from './markdown/Markdown.js';
export { safeHref } from './markdown/safe-url.js';
export { PluginUi, type PluginUiProps } from './plugin-ui/PluginUi.js';
export { problemText } from './settings/problem-text.js';
export { SettingsForm, type SettingsFormProps } from './settings/SettingsForm.js';
export { applyFrontendEvent, emptyInstance } from './state.js';
export { applyStreamEvent, isFinished } from './stream-state.js';
export { userMessage } from './user-message.js';
export {
  bridgeUrl,
  createWebSocketClient,
  type WebSocketClientOptions,
  type WebSocketConstructor,
  type WebSocketLike,
  type WebSocketPluginClient,
} from './ws-client.js';
