import type { HostInstance } from '../instance/host-instance.js';

/**
 * The call chain a call made by `caller` belongs to. A call made while `caller` handles a
 * message inherits that message's chain; a call from a worker thread after the plugin answered
 * PENDING inherits the longest chain among its unanswered requests (the conservative choice).
 */
export function chainOf(caller: HostInstance): readonly string[] {
  let chain: readonly string[] = caller.activeChain ?? [caller.pluginId];
  for (const p of caller.pending.values()) if (p.chain.length > chain.length) chain = p.chain;
  return chain;
}

/** Extend a chain by a call to `target`, or say why not (a cycle, or too deep). */
export function extendChain(
  chain: readonly string[],
  target: string,
  maxDepth: number,
): { ok: true; chain: readonly string[] } | { ok: false; reason: string } {
  if (chain.includes(target))
    return { ok: false, reason: `the call ${[...chain, target].join(' → ')} is a cycle` };
  if (chain.length + 1 > maxDepth)
    return {
      ok: false,
      reason: `the call ${[...chain, target].join(' → ')} is deeper than the limit of ${maxDepth}`,
    };
  return { ok: true, chain: [...chain, target] };
}

/**
 * The instance a call to `targetId` goes to: the instance with that id, else the first instance
 * of the plugin with that id that is connected, else the first that is mounted.
 */
export function resolveTarget(instances: Iterable<HostInstance>, targetId: string): HostInstance | undefined {
  const all = [...instances];
  const byId = all.find((i) => i.id === targetId);
  if (byId !== undefined) return byId;
  const ofPlugin = all.filter((i) => i.pluginId === targetId);
  return ofPlugin.find((i) => i.state === 'connected') ?? ofPlugin.find((i) => i.state === 'mounted');
}
