import { checkUiTreeLimits, LIMITS, type UiNode, type UiTree, validators } from '@plugin-interfaces/spec';
import { HostError } from '../../errors.js';

/** Limits the isolated driver enforces on what crosses the process boundary. */
export interface IsolationLimits {
  /** Largest string payload (UTF-8 bytes) sent to or accepted from a plugin. Default 1 MiB. */
  readonly maxPayloadBytes: number;
  /** Resident memory cap of a plugin process; above it the process is killed. Default 512 MiB. */
  readonly maxRssBytes: number;
  /** V8 heap cap of the child's JavaScript (`--max-old-space-size`), in MiB. Default 128. */
  readonly maxHeapMb: number;
  /** How often the RSS is polled. Default 100 ms. */
  readonly rssPollMs: number;
  /** Idle liveness ping interval and deadline (0 turns it off). Default 5 s. */
  readonly heartbeatMs: number;
  /** Events per IPC batch. Default 512. */
  readonly maxBatchEvents: number;
  /** Events per second one plugin process may emit; the excess is dropped with a violation. */
  readonly maxEventsPerSecond: number;
}

/** The isolated driver's default limits (override with `IsolatedDriverOptions.limits`); the bounds come from the spec's `LIMITS`. */
export const ISOLATION_LIMITS: IsolationLimits = {
  maxPayloadBytes: LIMITS.isolatedMaxPayloadBytes,
  maxRssBytes: LIMITS.isolatedMaxRssBytes,
  maxHeapMb: LIMITS.isolatedMaxHeapBytes / (1024 * 1024),
  rssPollMs: 100,
  heartbeatMs: 5000,
  maxBatchEvents: LIMITS.isolatedMaxBatchEvents,
  maxEventsPerSecond: LIMITS.isolatedMaxEventsPerSecond,
};

/** Throw PAYLOAD_TOO_LARGE when `s` exceeds the cap. `what` names the payload in the message. */
export function assertPayloadSize(
  s: string | null,
  limits: IsolationLimits,
  what: string,
  pluginId: string,
): void {
  if (s === null) return;
  if (s.length <= limits.maxPayloadBytes / 3) return;
  const bytes = Buffer.byteLength(s, 'utf8');
  if (bytes > limits.maxPayloadBytes) {
    throw new HostError(
      'PAYLOAD_TOO_LARGE',
      `${what} of plugin ${pluginId} is ${bytes} bytes; the limit is ${limits.maxPayloadBytes}. Send less, or raise limits.maxPayloadBytes.`,
      { pluginId, detail: { bytes, limit: limits.maxPayloadBytes } },
    );
  }
}

/**
 * Check a frame from the child before anything walks it deeply: the spec's depth/count/id limits
 * first (they stop at the first level too deep), then the schema. Throws UI_TREE_INVALID.
 */
export function checkFrameTree(tree: unknown, pluginId: string): UiTree {
  const refuse = (why: string, detail?: unknown): never => {
    throw new HostError('UI_TREE_INVALID', `The UI frame of plugin ${pluginId} was refused: ${why}.`, {
      pluginId,
      detail,
    });
  };
  if (!Array.isArray(tree)) return refuse('it is not a list of nodes');
  let bad: ReturnType<typeof checkUiTreeLimits>;
  try {
    bad = checkUiTreeLimits(tree as UiNode[]);
  } catch {
    return refuse('it is not a tree of UI nodes');
  }
  if (bad) return refuse(bad.message, bad);
  if (!validators.uiTree.check(tree)) return refuse(validators.uiTree.errors(tree, 3).join('; '));
  return tree;
}
