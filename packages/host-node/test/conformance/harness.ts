import type { UiNode, UiTree } from '@plugin-interfaces/spec';
import { createPluginHost, MemoryAppConfig, type PluginHost } from '../../src/index.js';
import { recordEvents } from '../support/events.js';
import type { MatrixCase } from './matrix.js';

/** A host over one built plugin root, recording (and validating) every event it emits. */
export async function conformanceHost(
  c: MatrixCase,
  root: string | readonly string[],
  appConfig: Record<string, unknown> = {},
): Promise<
  { host: PluginHost; recorded: ReturnType<typeof recordEvents>; logs: string[] } & AsyncDisposable
> {
  const driver = c.make();
  const logs: string[] = [];
  const host = await createPluginHost({
    pluginDirs: typeof root === 'string' ? [root] : root,
    ...(driver === undefined ? {} : { driver }),
    appConfig: new MemoryAppConfig(appConfig),
    logger: { log: (level, message) => logs.push(`${level}: ${message}`) },
  });
  const recorded = recordEvents(host);
  const dispose = async () => {
    await host.close();
    await driver?.close(); // also when the test never loaded a plugin
  };
  return { host, recorded, logs, [Symbol.asyncDispose]: dispose };
}

/** Every node of a tree, depth first. */
export function nodes(tree: UiTree): UiNode[] {
  return tree.flatMap((n) =>
    n.type === 'horizontal' || n.type === 'vertical' ? [n, ...nodes(n.children)] : [n],
  );
}

/** The texts of every label and heading, in order. */
export function texts(tree: UiTree): string[] {
  return nodes(tree).flatMap((n) => (n.type === 'label' || n.type === 'heading' ? [n.text] : []));
}

/** The first node with this text (button/label/heading) or this id. */
export function widget(tree: UiTree, match: { id?: string; text?: string }): UiNode {
  const hit = nodes(tree).find(
    (n) =>
      (match.id !== undefined && n.id === match.id) ||
      (match.text !== undefined && 'text' in n && n.text === match.text),
  );
  if (hit === undefined) throw new Error(`No widget ${JSON.stringify(match)} in ${JSON.stringify(tree)}`);
  return hit;
}
