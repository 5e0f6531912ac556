// Type tests of the public API: checked by `pnpm typecheck` (tsc), never run. A change that breaks
// what an integrator writes against the README fails the type check here.
import type {
  ErrorCode,
  FrontendEvent,
  HistoryPage,
  InstanceInfo,
  PluginInfo,
  Snapshot,
  UiEvent,
} from '@plugin-interfaces/spec';
import { expectTypeOf } from 'vitest';
import {
  type AppConfigProvider,
  createPluginHost,
  type HostError,
  isHostError,
  MemoryAppConfig,
  type MessageResult,
  type PluginHost,
} from './index.js';

declare const host: PluginHost;

expectTypeOf(createPluginHost).returns.toEqualTypeOf<Promise<PluginHost>>();
expectTypeOf(host.load).returns.toEqualTypeOf<Promise<InstanceInfo>>();
expectTypeOf(host.handleMessage).returns.toEqualTypeOf<Promise<MessageResult>>();
expectTypeOf<MessageResult['reply']>().toEqualTypeOf<string | null>();
expectTypeOf<keyof MessageResult>().toEqualTypeOf<'requestId' | 'reply'>();
expectTypeOf(host.plugins).returns.toEqualTypeOf<PluginInfo[]>();
expectTypeOf(host.snapshot).returns.toEqualTypeOf<Snapshot>();
expectTypeOf(host.history).returns.toEqualTypeOf<HistoryPage>();
expectTypeOf(host.dispatchUiEvent).parameter(1).toEqualTypeOf<UiEvent>();
expectTypeOf(host.controlStream).parameter(2).toEqualTypeOf<'pause' | 'resume' | 'cancel'>();

// Listeners are typed by event name: a stream listener sees stream payloads only.
host.on('plugin-stream', (e) => {
  expectTypeOf(e.event).toEqualTypeOf<'plugin-stream'>();
  expectTypeOf(e.payload.type).toEqualTypeOf<
    'stream_start' | 'stream_data' | 'stream_end' | 'stream_pause' | 'stream_resume' | 'stream_cancel'
  >();
});
host.on('*', (e) => expectTypeOf(e).toEqualTypeOf<FrontendEvent>());
expectTypeOf(host.on('plugin-message', () => undefined)).toEqualTypeOf<() => void>();
// @ts-expect-error an unknown event name is refused at compile time
host.on('plugin-mesage', () => undefined);

// The events() iterator yields frontend events and is disposable.
declare const it: ReturnType<PluginHost['events']>;
expectTypeOf<Awaited<ReturnType<typeof it.next>>>().toMatchTypeOf<IteratorResult<FrontendEvent>>();
expectTypeOf(host).toMatchTypeOf<AsyncDisposable>();

// Errors carry a spec error code, and the guard narrows.
declare const unknownError: unknown;
if (isHostError(unknownError)) expectTypeOf(unknownError).toEqualTypeOf<HostError>();
expectTypeOf<HostError['code']>().toEqualTypeOf<ErrorCode>();

// The default app-config provider takes plain JSON values and is a provider.
expectTypeOf(new MemoryAppConfig({ theme: 'dark' })).toMatchTypeOf<AppConfigProvider>();
expectTypeOf(new MemoryAppConfig()).toMatchTypeOf<AppConfigProvider>();
