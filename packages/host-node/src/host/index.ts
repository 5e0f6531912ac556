export { HostEmitter, type HostListener } from './emitter.js';
export type { EventIteratorOptions, HostEventIterator } from './event-iterator.js';
export { allowedOps, type InstanceOp, isAllowed } from './lifecycle.js';
export type { MessageOptions, MessageResult } from './messages.js';
export {
  type AppConfigProvider,
  consoleLogger,
  DEFAULT_LIMITS,
  DEFAULT_TIMEOUTS,
  type EntryTimeouts,
  type HostLimits,
  type HostLogger,
  type IsolationMode,
  MemoryAppConfig,
  type PluginHostOptions,
} from './options.js';
export { createPluginHost, type LoadOptions, PluginHost } from './plugin-host.js';
