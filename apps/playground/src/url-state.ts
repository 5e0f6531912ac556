/** The tool shown in the right-hand pane. */
export type ToolTab = 'inspector' | 'logs' | 'config';

/** What the page URL remembers besides the token: the selected plugin, instance and tool tab. */
export interface Selection {
  readonly plugin: string | null;
  readonly instance: string | null;
  readonly tool: ToolTab;
}

const TOOLS: readonly ToolTab[] = ['inspector', 'logs', 'config'];

/** The selection a URL names (a deep link); missing parts are null / the inspector. */
export function readSelection(href: string): Selection {
  const q = new URL(href).searchParams;
  const tool = q.get('tool');
  return {
    plugin: q.get('plugin') || null,
    instance: q.get('instance') || null,
    tool: TOOLS.includes(tool as ToolTab) ? (tool as ToolTab) : 'inspector',
  };
}

/** The URL for a selection: the same page and token with `plugin`, `instance` and `tool` set. */
export function selectionUrl(href: string, selection: Selection): string {
  const u = new URL(href);
  const set = (k: string, v: string | null): void => {
    if (v === null) u.searchParams.delete(k);
    else u.searchParams.set(k, v);
  };
  set('plugin', selection.plugin);
  set('instance', selection.instance);
  set('tool', selection.tool === 'inspector' ? null : selection.tool);
  return u.toString();
}
