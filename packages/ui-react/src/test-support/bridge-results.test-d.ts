// Type tests of the bridge client (checked by `pnpm typecheck`, never run): every op resolves to the
// spec's result type for that op, so `request('load')` is an InstanceInfo, not `unknown`.
import type {
  BridgeResultOf,
  HistoryPage,
  InstanceInfo,
  PluginInfo,
  Snapshot,
} from '@plugin-interfaces/spec';
import { expectTypeOf } from 'vitest';
import type { PluginClient } from '../client.js';

declare const client: PluginClient;

expectTypeOf(client.request('load', { plugin_id: 'echo' })).resolves.toEqualTypeOf<InstanceInfo>();
expectTypeOf(client.request('snapshot', {})).resolves.toEqualTypeOf<Snapshot>();
expectTypeOf(client.request('rescan', {})).resolves.toEqualTypeOf<PluginInfo[]>();
expectTypeOf(
  client.request('history', { instance_id: 'i', before: 'm1' }),
).resolves.toEqualTypeOf<HistoryPage>();
expectTypeOf(client.request('send_message', { instance_id: 'i', message: 'hi' })).resolves.toEqualTypeOf<
  BridgeResultOf<'send_message'>
>();
expectTypeOf(client.request('unload', { instance_id: 'i' })).resolves.toBeNull();
