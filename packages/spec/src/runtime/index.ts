import { runtimeCallbacks, runtimeFunctions } from './functions.js';
import type { RuntimeAbi } from './model.js';
import {
  callFlags,
  callStateStruct,
  controlBy,
  entryBits,
  jsonInIndex,
  lifecycleIndex,
  recordKinds,
  recordStruct,
  requestKinds,
  sentinels,
} from './records.js';

export type {
  RtConstDef,
  RtConstGroup,
  RtFieldDef,
  RtFnDef,
  RtLimitDef,
  RtParamDef,
  RtScalar,
  RtStructDef,
  RtType,
  RuntimeAbi,
} from './model.js';
export { rtScalarSize, rtStructLayout } from './model.js';

/**
 * host-node's runtime ABI: what the native runtime shim and the in-process driver exchange
 * (records, flags, call state, entry bits, exported functions). Generated into
 * `host-node/native/pi_host_rt_abi.h` and `host-node/src/generated/runtime.ts`.
 */
export const runtimeAbi: RuntimeAbi = {
  version: 2,
  structs: [recordStruct, callStateStruct],
  constants: [
    recordKinds,
    callFlags,
    entryBits,
    lifecycleIndex,
    jsonInIndex,
    requestKinds,
    controlBy,
    sentinels,
  ],
  uiCallbackOrder: [
    'label',
    'heading',
    'separator',
    'button',
    'text_edit',
    'combo_box',
    'toggle',
    'begin_horizontal',
    'begin_vertical',
    'end_group',
    'push_id',
    'pop_id',
  ],
  limits: [
    { cName: 'MAX_STRING_BYTES', limit: 'runtimeMaxStringBytes' },
    { cName: 'MAX_QUEUE_BYTES', limit: 'runtimeMaxQueueBytes' },
    { cName: 'MAX_REPLY_BYTES', limit: 'maxReplyBytes' },
    { cName: 'MAX_DEFERRED_REPLIES', limit: 'runtimeMaxDeferredReplies' },
    { cName: 'MAX_OPEN_STREAMS', limit: 'maxOpenStreams' },
    { cName: 'ENDED_STREAMS', limit: 'runtimeEndedStreams' },
    { cName: 'DEFAULT_CREDIT_WINDOW', limit: 'streamCreditWindow' },
    { cName: 'DEFAULT_REQUEST_TIMEOUT_MS', limit: 'requestTimeoutMs' },
  ],
  callbacks: runtimeCallbacks,
  functions: runtimeFunctions,
};
