import { basename, join } from 'node:path';
import { defaultSettings, type PluginConfig } from '@plugin-interfaces/spec';
import { IsolatedDriver } from '../driver/isolated/index.js';
import type { DriverInstance, DriverLibrary, InstanceMetadata, PluginEvent } from '../driver/types.js';
import { HostError, toHostError } from '../errors.js';
import type { CheckResult } from './types.js';

const NOT_FOUND = -4;

/** Which check a load error belongs to. */
function loadCheck(code: string): 'entry' | 'abi' | 'layout' {
  if (code === 'ABI_MAJOR_MISMATCH' || code === 'ABI_MINOR_TOO_NEW') return 'abi';
  if (code === 'LAYOUT_MISMATCH') return 'layout';
  return 'entry';
}

const ORDER = ['entry', 'abi', 'layout'] as const;

const PASSED: Record<(typeof ORDER)[number], string> = {
  entry: 'pi_plugin_entry found; the table and its vtable are well formed',
  abi: 'the ABI version is one this host speaks',
  layout: 'every struct and field lies where the host expects it (layout descriptor and fingerprint)',
};

/** Results of the load: the failing check fails, the ones before it pass, the ones after it are skipped. */
function loadResults(
  failed: { check: 'entry' | 'abi' | 'layout'; detail: string; code: string } | null,
  passed: Partial<Record<(typeof ORDER)[number], string>> = {},
): CheckResult[] {
  const at = failed === null ? ORDER.length : ORDER.indexOf(failed.check);
  return ORDER.map((check, i): CheckResult => {
    if (i < at) return { check, status: 'pass', detail: passed[check] ?? PASSED[check] };
    if (i === at && failed !== null)
      return { check, status: 'fail', detail: failed.detail, code: failed.code };
    return { check, status: 'skip', detail: 'not checked: an earlier check failed' };
  });
}

/**
 * Load the library in a child process (entry symbol, ABI, layout: no plugin code runs beyond the
 * entry) and, when it loads, run one instance through its lifecycle there: create, on_mount, one
 * frame, on_connect, one message, on_disconnect, on_dispose, destroy. A crash, a hang past
 * `stepTimeoutMs` or an error outcome fails the `lifecycle` check naming the step; the host process
 * is never at risk.
 */
export async function loadAndSmokeTest(
  dir: string,
  config: PluginConfig,
  libraryPath: string,
  options: { readonly smoke: boolean; readonly stepTimeoutMs: number },
): Promise<CheckResult[]> {
  const events: PluginEvent[] = [];
  await using driver = new IsolatedDriver({
    warmSpare: false,
    crashPolicy: { maxCrashes: 1 },
    limits: { heartbeatMs: 0 },
  });
  const hooks = {
    onEvents: (_id: string, batch: readonly PluginEvent[]) => {
      events.push(...batch);
    },
    getAppConfig: () => ({ status: NOT_FOUND, value: null }),
    callOtherPlugin: () => ({ status: NOT_FOUND, value: null }),
  };
  let lib: DriverLibrary;
  try {
    lib = await driver.loadLibrary(libraryPath, hooks);
  } catch (e) {
    const err = toHostError(e);
    return [
      ...loadResults({ check: loadCheck(err.code), detail: err.message, code: err.code }),
      { check: 'lifecycle', status: 'skip', detail: 'not run: the library does not load' },
    ];
  }
  const info = lib.info;
  const loaded = loadResults(null, {
    entry: `pi_plugin_entry of ${basename(libraryPath)} (sdk ${info.sdk}) implements ${[...info.entries].join(', ') || 'no optional entry'}`,
    abi: `built for ABI ${info.abiMajor}.${info.abiMinor}`,
  });
  if (!options.smoke)
    return [...loaded, { check: 'lifecycle', status: 'skip', detail: 'skipped (--no-smoke)' }];
  return [...loaded, await lifecycle(lib, dir, config, libraryPath, options.stepTimeoutMs, events)];
}

function failedCall(out: Partial<{ message: string; status: number }>): HostError {
  return new HostError(
    'PLUGIN_CALL_FAILED',
    `the plugin returned status ${out.status ?? '?'}${out.message ? ` (${out.message})` : ''}`,
  );
}

async function lifecycle(
  lib: DriverLibrary,
  dir: string,
  config: PluginConfig,
  libraryPath: string,
  timeoutMs: number,
  events: readonly PluginEvent[],
): Promise<CheckResult> {
  const p = config.plugin;
  const meta: InstanceMetadata = {
    id: p.id,
    name: p.name,
    description: p.description,
    version: p.version,
    author: p.author ?? null,
    pluginDir: dir,
    libraryPath,
    configPath: join(dir, 'config.toml'),
    instanceId: 'pi-doctor',
    settingsJson: JSON.stringify(defaultSettings(config.settings ?? {})),
    requireHistory: p.require_history ?? false,
  };
  const done: string[] = [];
  let step = 'create';
  let inst: DriverInstance | null = null;
  const opts = { timeoutMs };
  const outcome = async (
    name: string,
    run: () => Promise<{ ok: boolean } & Partial<{ message: string; status: number }>>,
  ) => {
    step = name;
    const out = await run();
    if (!out.ok) throw failedCall(out);
    done.push(name);
  };
  try {
    inst = await lib.createInstance(meta, opts);
    done.push('create');
    await outcome('on_mount', () => (inst as DriverInstance).lifecycle('on_mount', opts));
    step = 'update_ui';
    const frame = await inst.updateUi([], opts);
    if (!frame.ok) throw failedCall(frame);
    done.push(`update_ui (${frame.tree.length} top-level widget${frame.tree.length === 1 ? '' : 's'})`);
    await outcome('on_connect', () => (inst as DriverInstance).lifecycle('on_connect', opts));
    step = 'handle_message';
    const reply = await inst.handleMessage(1, 'pi-doctor: hello', opts);
    if (!reply.ok) throw failedCall(reply);
    done.push(reply.pending ? 'handle_message (deferred reply)' : 'handle_message');
    await outcome('on_disconnect', () => (inst as DriverInstance).lifecycle('on_disconnect', opts));
    await outcome('on_dispose', () => (inst as DriverInstance).lifecycle('on_dispose', opts));
    step = 'destroy';
    await inst.destroy(opts);
    inst = null;
    done.push('destroy');
    await lib.close();
  } catch (e) {
    const err = toHostError(e);
    const violations = events.flatMap((ev) => (ev.kind === 'violation' ? [`${ev.code}: ${ev.message}`] : []));
    return {
      check: 'lifecycle',
      status: 'fail',
      detail: `${step} failed: ${err.message}${done.length > 0 ? ` (passed: ${done.join(', ')})` : ''}${violations.length > 0 ? `; host-call violations: ${violations.join('; ')}` : ''}`,
      code: err.code,
    };
  }
  const violations = events.filter((ev) => ev.kind === 'violation').length;
  return {
    check: 'lifecycle',
    status: violations > 0 ? 'warn' : 'pass',
    detail: `${done.join(' → ')}${violations > 0 ? `; ${violations} host call(s) refused (violations)` : ''}`,
  };
}
