export { checkUpgrade, defaultOrigins, loopbackHosts, newToken, tokensEqual } from './access.js';
export { type BadFrame, badFrameReply, parseRequest } from './frames.js';
export { type BridgeHost, type BridgeStreamControl, listenToHost } from './host-port.js';
export { jsonStringBytes, Outbox, type OutboxLimits, type OutboxSocket, type OutboxStats } from './outbox.js';
export {
  type BridgeServer,
  type BridgeServerOptions,
  createBridgeServer,
  DEFAULT_STREAM_BATCH_MS,
} from './server.js';
