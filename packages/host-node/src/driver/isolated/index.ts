export { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
export { type CrashPolicy, CrashWindow, DEFAULT_CRASH_POLICY } from './crash-window.js';
export { type CallTimeouts, DEFAULT_TIMEOUTS } from './deadline.js';
export { PROTOCOL_VERSION } from './ipc-protocol.js';
export { IsolatedDriver, type IsolatedDriverOptions, type IsolatedLibrary } from './isolated-driver.js';
export { DEFAULT_LIMITS, type IsolationLimits } from './limits.js';
export { readRssBytes } from './memory-watch.js';
