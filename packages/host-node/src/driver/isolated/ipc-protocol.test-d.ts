// Type tests (checked by `pnpm typecheck`, never run): a value the spec's IPC schemas accept is
// the driver-contract type the isolated driver uses, and every value of those types passes the
// schemas, so the guards in ipc-protocol.ts are exactly the types they claim.
import type {
  IpcCallOutcome,
  IpcChildOptions,
  IpcFrame,
  IpcInstanceMetadata,
  IpcLibraryInfo,
  IpcMessageOutcome,
  IpcPluginEvent,
  IpcRequestAnswer,
  IpcWireError,
  IsolatedChildMessage,
  IsolatedIpcArgs,
  IsolatedParentMessage,
} from '@plugin-interfaces/spec';
import { expectTypeOf } from 'vitest';
import type { CallOutcome, InstanceMetadata, MessageOutcome, PluginEvent, RequestAnswer } from '../types.js';
import type {
  ChildMessage,
  ChildOptions,
  FrameWire,
  LibraryInfoWire,
  Ops,
  ParentMessage,
  WireError,
} from './ipc-protocol.js';

type Mutable<T> = T extends readonly (infer I)[]
  ? Mutable<I>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T;
/** A and B accept the same values: each is assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([Mutable<B>] extends [A] ? true : false) : false;

expectTypeOf<Same<IpcPluginEvent, PluginEvent>>().toEqualTypeOf<true>();
expectTypeOf<Same<IpcCallOutcome, CallOutcome>>().toEqualTypeOf<true>();
expectTypeOf<Same<IpcMessageOutcome, MessageOutcome>>().toEqualTypeOf<true>();
expectTypeOf<IpcFrame>().toMatchTypeOf<FrameWire>();
expectTypeOf<Same<IpcLibraryInfo, LibraryInfoWire>>().toEqualTypeOf<true>();
expectTypeOf<Same<IpcInstanceMetadata, InstanceMetadata>>().toEqualTypeOf<true>();
expectTypeOf<Same<IpcRequestAnswer, RequestAnswer>>().toEqualTypeOf<true>();
expectTypeOf<Same<IpcChildOptions, ChildOptions>>().toEqualTypeOf<true>();
expectTypeOf<Same<IpcWireError, WireError>>().toEqualTypeOf<true>();
expectTypeOf<Same<IsolatedIpcArgs<'handleMessage'>, Ops['handleMessage']['args']>>().toEqualTypeOf<true>();
expectTypeOf<Same<IsolatedIpcArgs<'sendJson'>, Ops['sendJson']['args']>>().toEqualTypeOf<true>();
expectTypeOf<Same<IsolatedIpcArgs<'lifecycle'>, Ops['lifecycle']['args']>>().toEqualTypeOf<true>();
expectTypeOf<Same<IsolatedIpcArgs<'controlStream'>, Ops['controlStream']['args']>>().toEqualTypeOf<true>();
expectTypeOf<[IsolatedParentMessage] extends [ParentMessage] ? true : false>().toEqualTypeOf<true>();
expectTypeOf<[IsolatedChildMessage] extends [ChildMessage] ? true : false>().toEqualTypeOf<true>();
