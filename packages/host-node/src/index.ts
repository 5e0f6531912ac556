export * from './config/index.js';
export * from './discovery/index.js';
export * from './driver/in-process/index.js';
export type * from './driver/types.js';
export { type ErrorLocation, HostError, type HostErrorOptions, isHostError, toHostError } from './errors.js';
export * from './host/index.js';
export * from './install/index.js';
