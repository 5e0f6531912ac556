import { BridgeRequest, BridgeServerFrame } from './schemas/bridge.js';
import { PluginConfig } from './schemas/config.js';
import { FrontendEvent } from './schemas/events.js';
import { History, HistoryMessage } from './schemas/history.js';
import { UiEvent, UiNode, UiTree } from './schemas/ui-tree.js';
import { createValidator } from './validate.js';

/** Ready-made validators for the spec's schemas, compiled on first use. */
export const validators = {
  get config() {
    return lazy('config', () => createValidator(PluginConfig));
  },
  get history() {
    return lazy('history', () => createValidator(History));
  },
  get historyMessage() {
    return lazy('historyMessage', () => createValidator(HistoryMessage));
  },
  get uiTree() {
    return lazy('uiTree', () => createValidator(UiTree, [UiNode]));
  },
  get uiEvent() {
    return lazy('uiEvent', () => createValidator(UiEvent));
  },
  get bridgeRequest() {
    return lazy('bridgeRequest', () => createValidator(BridgeRequest, [UiNode]));
  },
  get bridgeServerFrame() {
    return lazy('bridgeServerFrame', () => createValidator(BridgeServerFrame, [UiNode]));
  },
  get frontendEvent() {
    return lazy('frontendEvent', () => createValidator(FrontendEvent, [UiNode]));
  },
};

const cache = new Map<string, unknown>();
function lazy<T>(key: string, make: () => T): T {
  let v = cache.get(key) as T | undefined;
  if (v === undefined) {
    v = make();
    cache.set(key, v);
  }
  return v;
}
