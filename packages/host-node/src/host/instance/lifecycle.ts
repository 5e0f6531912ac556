import type { LifecycleState } from '@plugin-interfaces/spec';
import { HostError } from '../../errors.js';

/** Host operations on an instance, checked against its lifecycle state. */
export type InstanceOp =
  | 'mount'
  | 'connect'
  | 'disconnect'
  | 'message'
  | 'call'
  | 'render'
  | 'settings'
  | 'stream-control'
  | 'dispose'
  | 'destroy';

const LIVE: readonly LifecycleState[] = ['mounted', 'connected', 'disconnected'];

/** Which states allow which operation. `crashed`/`disabled` allow only destroy. */
const ALLOWED: Readonly<Record<InstanceOp, readonly LifecycleState[]>> = {
  mount: ['created'],
  connect: ['mounted', 'disconnected'],
  disconnect: ['connected'],
  message: ['connected'],
  call: ['mounted', 'connected'],
  render: LIVE,
  settings: LIVE,
  'stream-control': LIVE,
  dispose: ['created', ...LIVE],
  destroy: ['created', ...LIVE, 'disposed', 'crashed', 'disabled'],
};

/** What to do in a state where only unloading helps (never "connect() first"). */
const HINTS: Partial<Record<LifecycleState, string>> = {
  loading: ' Wait for load() to finish.',
  disposed: ' It was disposed; load it again.',
  destroyed: ' It was destroyed; load it again.',
  crashed: ' It crashed; wait for the restart, or unload or reload it.',
  disabled: ' It was disabled after repeated crashes; fix the plugin and reload() it, or unload it.',
};

/** Operations allowed in `state`, for error messages and docs. */
export function allowedOps(state: LifecycleState): InstanceOp[] {
  return (Object.keys(ALLOWED) as InstanceOp[]).filter((op) => ALLOWED[op].includes(state));
}

/** True when `op` is allowed in `state`. */
export function isAllowed(state: LifecycleState, op: InstanceOp): boolean {
  return ALLOWED[op].includes(state);
}

/**
 * Throw `LIFECYCLE_ORDER` unless `op` is allowed in `state`. The message names the instance, its
 * state and what is allowed now, so a caller knows what to do instead.
 */
export function assertAllowed(
  state: LifecycleState,
  op: InstanceOp,
  who: { readonly pluginId: string; readonly id: string },
): void {
  if (isAllowed(state, op)) return;
  const allowed = allowedOps(state);
  const hint =
    HINTS[state] ?? (op === 'message' && isAllowed(state, 'connect') ? ' Call connect() first.' : '');
  throw new HostError(
    'LIFECYCLE_ORDER',
    `Instance "${who.id}" of plugin "${who.pluginId}" is ${state}: ${op} is not allowed ` +
      `(allowed now: ${allowed.length > 0 ? allowed.join(', ') : 'nothing'}).${hint}`,
    { pluginId: who.pluginId, instanceId: who.id, detail: { state, op, allowed } },
  );
}
