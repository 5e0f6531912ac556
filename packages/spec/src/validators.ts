import { BridgeRequest, BridgeServerFrame } from './schemas/bridge.js';
import { PluginConfig } from './schemas/config.js';
import { FrontendEvent } from './schemas/events.js';
import { History, HistoryMessage } from './schemas/history.js';
import {
  IpcAppConfigRequest,
  IpcCallRequest,
  IpcRequestAnswer,
  IpcWaitRequest,
  IsolatedChildMessage,
  type IsolatedIpcOp,
  IsolatedIpcOps,
  IsolatedParentMessage,
} from './schemas/isolated-ipc.js';
import { UiEvent, UiNode, UiTree } from './schemas/ui-tree.js';
import { createValidator, type Validator } from './validate.js';

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
  get isolatedParentMessage() {
    return lazy('isolatedParentMessage', () => createValidator(IsolatedParentMessage));
  },
  get isolatedRequestAnswer() {
    return lazy('isolatedRequestAnswer', () => createValidator(IpcRequestAnswer));
  },
  get isolatedAppConfigRequest() {
    return lazy('isolatedAppConfigRequest', () => createValidator(IpcAppConfigRequest));
  },
  get isolatedCallRequest() {
    return lazy('isolatedCallRequest', () => createValidator(IpcCallRequest));
  },
  get isolatedWaitRequest() {
    return lazy('isolatedWaitRequest', () => createValidator(IpcWaitRequest));
  },
  get isolatedChildMessage() {
    return lazy('isolatedChildMessage', () => createValidator(IsolatedChildMessage));
  },
  /** The isolated IPC result validator of one op. */
  isolatedOpResult<K extends IsolatedIpcOp>(op: K): Validator<(typeof IsolatedIpcOps)[K]['result']> {
    return lazy(`isolatedOpResult:${op}`, () => createValidator(IsolatedIpcOps[op].result));
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
