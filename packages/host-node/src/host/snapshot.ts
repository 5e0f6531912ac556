import type { PluginInfo, Snapshot } from '@plugin-interfaces/spec';
import { jsonBytes } from '../text-size.js';
import { HostInstance } from './instance/host-instance.js';
import { loadingInfo, VIEW_SLACK } from './instance/instance-info.js';
import type { LoadingInstance } from './instance/loading-instance.js';

/**
 * Everything a frontend needs to draw the current state, at most `maxBytes` of JSON: plugins and
 * app config whole, then each instance within an equal share of the rest (see
 * `instance-info.ts`); instances that still do not fit are left out and counted.
 */
export function buildSnapshot(
  plugins: PluginInfo[],
  app_config: Record<string, unknown>,
  instances: readonly (HostInstance | LoadingInstance)[],
  maxBytes: number,
): Snapshot {
  const snapshot: Snapshot = { plugins, instances: [], app_config };
  const fixed = jsonBytes(snapshot) + VIEW_SLACK;
  const share = Math.floor((maxBytes - fixed) / Math.max(1, instances.length));
  let used = fixed;
  let left = 0;
  for (const record of instances) {
    const info = record instanceof HostInstance ? record.info(share) : loadingInfo(record);
    const size = jsonBytes(info) + 1;
    if (used + size > maxBytes) {
      left++;
      continue;
    }
    used += size;
    snapshot.instances.push(info);
  }
  if (left > 0) snapshot.truncated = { instances: left };
  return snapshot;
}
