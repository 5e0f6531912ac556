import type { ErrorInfo, LifecycleState, PluginConfig, UiTree } from '@plugin-interfaces/spec';
import type { DiscoveredPlugin } from '../../discovery/index.js';
import type { DriverInstance, DriverLibrary, PluginDriver } from '../../driver/types.js';
import type { HostError } from '../../errors.js';
import type { InstanceHistory } from './history.js';
import type { SerialQueue } from './serial-queue.js';
import type { InstanceStreams } from './streams.js';

/** One library loaded through a driver, shared by every instance of its plugin. */
export interface LoadedLibrary {
  readonly plugin: DiscoveredPlugin;
  readonly config: PluginConfig;
  readonly driver: PluginDriver;
  readonly library: DriverLibrary;
  /** Ids of the instances created from it; the library closes when the last one goes. */
  readonly instances: Set<string>;
}

/** A handleMessage whose reply has not arrived yet. */
export interface PendingRequest {
  readonly requestId: number;
  /** Plugin ids of the inter-plugin call chain this request belongs to, caller first. */
  readonly chain: readonly string[];
  readonly resolve: (reply: string | null) => void;
  readonly reject: (error: HostError) => void;
}

/** The host's record of one plugin instance. Mutable fields change only on the instance queue. */
export interface HostInstance {
  readonly id: string;
  readonly pluginId: string;
  readonly lib: LoadedLibrary;
  /** Null until the driver created the instance (events may arrive before that). */
  driver: DriverInstance | null;
  state: LifecycleState;
  revision: number;
  tree: UiTree;
  settings: Record<string, unknown>;
  readonly history: InstanceHistory;
  readonly streams: InstanceStreams;
  readonly queue: SerialQueue;
  readonly pending: Map<number, PendingRequest>;
  /** The call chain of the handleMessage running right now, if any. */
  activeChain: readonly string[] | null;
  refreshScheduled: boolean;
  error: ErrorInfo | undefined;
  /** True when `error` is a failed frame's (the next good frame clears it). */
  errorFromFrame: boolean;
  /** The settings JSON the driver created the instance with (a restart re-creates it with these). */
  readonly createdSettingsJson: string;
  /** The live state before a crash, restored after the driver's restart; null when none. */
  resumeTo: 'mounted' | 'connected' | 'disconnected' | null;
  /** Bumped on every crash, so a recovery overtaken by the next crash stops. */
  faultEpoch: number;
}

/** True when the library implements an optional entry point. */
export function implementsEntry(instance: HostInstance, entry: string): boolean {
  return (instance.lib.library.info.entries as ReadonlySet<string>).has(entry);
}
