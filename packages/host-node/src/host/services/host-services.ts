import type { ErrorCode } from '@plugin-interfaces/spec';
import type { DriverHooks, RequestAnswer } from '../../driver/types.js';
import { type HostError, toHostError } from '../../errors.js';
import { PiStatus } from '../../pi-status.js';
import type { HostContext } from '../context.js';
import { applyPluginEvents } from '../events/plugin-events.js';
import { isAllowed } from '../instance/lifecycle.js';
import type { InstanceRef } from '../instance/secrets.js';
import { chainOf, extendChain, resolveTarget } from './call-routing.js';
import { DeferredAnswer } from './deferred-answer.js';
import { mayCallPlugin, mayReadAppConfig } from './permissions.js';

const answer = (status: number, value: string | null = null): RequestAnswer => ({ status, value });

/** PiStatus for a HostError code that ends an inter-plugin call. */
const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  TIMEOUT: PiStatus.TIMEOUT,
  CANCELLED: PiStatus.CANCELLED,
  LIFECYCLE_ORDER: PiStatus.INVALID_STATE,
  PAYLOAD_TOO_LARGE: PiStatus.LIMIT_EXCEEDED,
  CALL_DEPTH_EXCEEDED: PiStatus.LIMIT_EXCEEDED,
  PERMISSION_DENIED: PiStatus.PERMISSION_DENIED,
  PLUGIN_NOT_FOUND: PiStatus.NOT_FOUND,
};

/**
 * The host side of the plugin API a driver calls into: events, `get_app_config` (only keys
 * `[permissions] app_config` lists, JSON-encoded) and `call_other_plugin` (only plugins
 * `[permissions] call_plugins` lists, with a depth and cycle guard over the call chain).
 */
export function createHooks(ctx: HostContext, nextRequestId: () => number): DriverHooks {
  const deny = (instance: InstanceRef, code: ErrorCode, message: string, status: number): RequestAnswer => {
    ctx.log('warn', `${code}: ${message}`, instance, { code });
    ctx.emit({
      event: 'plugin-log',
      payload: {
        plugin_id: instance.pluginId,
        instance_id: instance.id,
        timestamp: Date.now(),
        level: 'warn',
        message: `${code}: ${message}`,
      },
    });
    return answer(status);
  };
  return {
    onEvents(instanceId, events) {
      const instance = ctx.instances.get(instanceId);
      if (instance !== undefined) {
        applyPluginEvents(ctx, instance, events);
        return;
      }
      const loading = ctx.loading.get(instanceId);
      if (loading !== undefined) {
        // The driver is still creating it: the events wait (a copy: drivers reuse their arrays).
        loading.early.push([...events]);
        return;
      }
      ctx.logger.log('warn', `Dropped ${events.length} event(s) from unknown instance "${instanceId}".`, {
        instanceId,
      });
    },
    getAppConfig(instanceId, key) {
      // A plugin may read app config while the driver creates its instance (from `create`).
      const instance = ctx.instances.get(instanceId) ?? ctx.loading.get(instanceId);
      if (instance === undefined || instance.lib === null) return answer(PiStatus.NOT_FOUND);
      if (!mayReadAppConfig(instance.lib.config, key))
        return deny(
          instance,
          'PERMISSION_DENIED',
          `plugin "${instance.pluginId}" read app config "${key}", which [permissions] app_config in its config.toml does not list`,
          PiStatus.PERMISSION_DENIED,
        );
      const value = ctx.appConfig.get(key);
      if (value === undefined) return answer(PiStatus.NOT_FOUND);
      return answer(PiStatus.OK, JSON.stringify(value));
    },
    /**
     * Every check runs synchronously and a refusal is a plain answer with its true reason, so a
     * caller on any thread gets it and nothing reaches the target. An allowed call returns a
     * {@link DeferredAnswer}: it is delivered only when the driver waits for it.
     */
    callOtherPlugin(instanceId, targetId, message) {
      const caller = ctx.instances.get(instanceId);
      if (caller === undefined) return answer(PiStatus.NOT_FOUND);
      const target = resolveTarget(ctx.instances.values(), targetId);
      const targetPlugin = target?.pluginId ?? targetId;
      if (!mayCallPlugin(caller.lib.config, targetPlugin))
        return deny(
          caller,
          'PERMISSION_DENIED',
          `plugin "${caller.pluginId}" called "${targetPlugin}", which [permissions] call_plugins in its config.toml does not list`,
          PiStatus.PERMISSION_DENIED,
        );
      if (target === undefined)
        return deny(
          caller,
          'PLUGIN_NOT_FOUND',
          `plugin "${caller.pluginId}" called "${targetId}", which has no mounted or connected instance`,
          PiStatus.NOT_FOUND,
        );
      const chain = extendChain(chainOf(caller), target.pluginId, ctx.limits.maxCallDepth);
      if (!chain.ok) return deny(caller, 'CALL_DEPTH_EXCEEDED', chain.reason, PiStatus.LIMIT_EXCEEDED);
      if (!isAllowed(target.state, 'call'))
        return deny(
          caller,
          'LIFECYCLE_ORDER',
          `plugin "${caller.pluginId}" called instance "${target.id}", which is ${target.state}`,
          PiStatus.INVALID_STATE,
        );
      if (Buffer.byteLength(message, 'utf8') > ctx.limits.maxMessageBytes)
        return deny(
          caller,
          'PAYLOAD_TOO_LARGE',
          `plugin "${caller.pluginId}" sent a message over ${ctx.limits.maxMessageBytes} bytes to "${target.pluginId}"`,
          PiStatus.LIMIT_EXCEEDED,
        );
      const failed = (error: HostError): RequestAnswer => {
        ctx.log('warn', `call ${caller.pluginId} → ${target.pluginId} failed: ${error.message}`, caller);
        return answer(STATUS_OF[error.code] ?? PiStatus.ERROR);
      };
      const origin = () => ({ requestId: nextRequestId(), chain: chain.chain, fromPlugin: true });
      return new DeferredAnswer(
        async () => {
          try {
            return answer(PiStatus.OK, (await target.send(message, {}, origin())) ?? '');
          } catch (e) {
            return failed(toHostError(e));
          }
        },
        () => {
          const result = target.sendNow(message, origin());
          if (result === null) return null;
          return result.ok ? answer(PiStatus.OK, result.reply ?? '') : failed(result.error);
        },
        target.id,
      );
    },
  };
}
