import { type InstanceInfo, type UiEvent, validateSettings } from '@plugin-interfaces/spec';
import { HostError } from '../../errors.js';
import type { LoadedLibrary } from '../plugins/libraries.js';
import type { HostInstance } from './host-instance.js';

/** Validate settings, throwing SETTINGS_INVALID with every problem. */
export function checkSettings(
  lib: Pick<LoadedLibrary, 'config' | 'plugin'>,
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const result = validateSettings(lib.config.settings ?? {}, values);
  if (result.ok) return result.values;
  throw new HostError(
    'SETTINGS_INVALID',
    `Settings for plugin "${lib.plugin.id}" are invalid: ${result.problems.map((p) => p.message).join('; ')}.`,
    { pluginId: lib.plugin.id, detail: { problems: result.problems } },
  );
}

/** UI_EVENT_INVALID unless the event targets a widget of the current frame that takes that kind. */
export function checkWidget(instance: HostInstance, event: UiEvent): void {
  const kinds: Record<string, UiEvent['kind']> = {
    button: 'click',
    text_edit: 'text',
    combo_box: 'select',
    toggle: 'toggle',
  };
  const find = (nodes: InstanceInfo['tree']): InstanceInfo['tree'][number] | undefined => {
    for (const n of nodes) {
      if (n.id === event.widget_id) return n;
      if (n.type === 'horizontal' || n.type === 'vertical') {
        const hit = find(n.children);
        if (hit !== undefined) return hit;
      }
    }
    return undefined;
  };
  const node = find(instance.tree);
  const expected = node === undefined ? undefined : kinds[node.type];
  if (expected !== event.kind)
    throw new HostError(
      'UI_EVENT_INVALID',
      node === undefined
        ? `Instance "${instance.id}" has no widget "${event.widget_id}" in its current frame (revision ${instance.revision}).`
        : `Widget "${event.widget_id}" of instance "${instance.id}" is a ${node.type}; it takes no "${event.kind}" events.`,
      {
        pluginId: instance.pluginId,
        instanceId: instance.id,
        detail: { widget_id: event.widget_id, kind: event.kind },
      },
    );
}
