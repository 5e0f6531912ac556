export { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
export { type CallTimeouts, ISOLATION_TIMEOUTS } from './call-timeouts.js';
export { type CrashPolicy, CrashWindow, DEFAULT_CRASH_POLICY } from './crash-window.js';
export { PROTOCOL_VERSION } from './ipc-protocol.js';
export { IsolatedDriver, type IsolatedDriverOptions, type IsolatedLibrary } from './isolated-driver.js';
export { ISOLATION_LIMITS, type IsolationLimits } from './limits.js';
export { readRssBytes } from './memory-watch.js';
