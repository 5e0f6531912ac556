import { type RuntimeAbi, runtimeAbi } from '@plugin-interfaces/spec';
import { renderRuntimeHeader } from './c-header.js';
import { renderRuntimeTs } from './ts.js';

export { renderRuntimeHeader } from './c-header.js';
export { renderRuntimeTs } from './ts.js';

/** Where the runtime ABI outputs go, relative to the repository root. */
export const RUNTIME_HEADER = 'packages/host-node/native/pi_host_rt_abi.h';
export const RUNTIME_TS = 'packages/host-node/src/generated/runtime.ts';

/** The generated files of host-node's runtime ABI (default: the spec's `runtimeAbi`). */
export function renderRuntimeOutputs(rt: RuntimeAbi = runtimeAbi): { path: string; content: string }[] {
  return [
    { path: RUNTIME_HEADER, content: renderRuntimeHeader(rt) },
    { path: RUNTIME_TS, content: renderRuntimeTs(rt) },
  ];
}
