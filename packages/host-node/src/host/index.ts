export { HostEmitter, type HostListener } from './events/emitter.js';
export type { EventIteratorOptions, HostEventIterator } from './events/event-iterator.js';
export { allowedOps, type InstanceOp, isAllowed } from './instance/lifecycle.js';
export type { MessageOptions, MessageResult } from './instance/messages.js';
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
