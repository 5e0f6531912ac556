export * from './config/index.js';
export * from './discovery/index.js';
export * from './doctor/index.js';
export * from './driver/in-process/index.js';
export * from './driver/isolated/index.js';
// Both the host and the isolated driver have DEFAULT_TIMEOUTS/DEFAULT_LIMITS: the plain names are
// the host's; the isolated driver's are exported with an ISOLATED_ prefix.
export {
  DEFAULT_LIMITS as ISOLATED_DEFAULT_LIMITS,
  DEFAULT_TIMEOUTS as ISOLATED_DEFAULT_TIMEOUTS,
} from './driver/isolated/index.js';
export type * from './driver/types.js';
export { type ErrorLocation, HostError, type HostErrorOptions, isHostError, toHostError } from './errors.js';
export * from './host/index.js';
export { DEFAULT_LIMITS, DEFAULT_TIMEOUTS } from './host/index.js';
export * from './install/index.js';
