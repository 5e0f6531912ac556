import { resolve } from 'node:path';
import { readPluginConfig } from '../config/index.js';
import { checkAppVersion } from '../discovery/app-version.js';
import { checkDeclaredAbi } from '../discovery/declared-abi.js';
import { toHostError } from '../errors.js';
import { loadAndSmokeTest } from './smoke-test.js';
import {
  checkArchitecture,
  checkChecksum,
  checkLibrary,
  checkPermissions,
  checkSettingsSchema,
} from './static-checks.js';
import type { CheckResult, DoctorOptions, DoctorReport } from './types.js';

const ALL = [
  'config',
  'library',
  'architecture',
  'checksum',
  'permissions',
  'settings',
  'entry',
  'abi',
  'layout',
  'lifecycle',
];

function skipped(after: readonly CheckResult[], why: string): CheckResult[] {
  const done = new Set(after.map((c) => c.check));
  return ALL.filter((c) => !done.has(c)).map((check) => ({ check, status: 'skip', detail: why }));
}

function report(folder: string, pluginId: string | null, checks: CheckResult[]): DoctorReport {
  return { folder, pluginId, checks, ok: checks.every((c) => c.status !== 'fail') };
}

/**
 * Check a plugin folder the way the host will treat it, and say what to fix: config.toml (schema,
 * unknown keys with "did you mean", the app version), the library (found inside the folder, its
 * architecture, its checksum), permissions and settings, then – in a child process – the entry
 * symbol, ABI version and struct layout (a field-level diff), and a lifecycle smoke test (create,
 * mount, one frame, one message, dispose). Never throws; every problem is a failed check.
 */
export async function runDoctor(folder: string, options: DoctorOptions = {}): Promise<DoctorReport> {
  const dir = resolve(folder);
  const checks: CheckResult[] = [];
  let loaded: Awaited<ReturnType<typeof readPluginConfig>>;
  try {
    loaded = await readPluginConfig(dir, options.strict === true ? { strict: true } : {});
    checkAppVersion(dir, loaded.config, options.appVersion);
  } catch (e) {
    const err = toHostError(e);
    checks.push({ check: 'config', status: 'fail', detail: err.message, code: err.code });
    return report(dir, null, [...checks, ...skipped(checks, 'not checked: config.toml must be fixed first')]);
  }
  const { config, warnings } = loaded;
  checks.push(
    warnings.length === 0
      ? { check: 'config', status: 'pass', detail: `${config.plugin.id} ${config.plugin.version}` }
      : {
          check: 'config',
          status: 'warn',
          detail: warnings
            .map(
              (w) =>
                `${w.location?.line === undefined ? '' : `line ${w.location.line}: `}${w.key}: ${w.message}`,
            )
            .join('\n'),
        },
  );
  const library = await checkLibrary(dir, config);
  checks.push(library.result);
  if (library.path !== null) {
    checks.push(await checkArchitecture(library.path));
    checks.push(await checkChecksum(dir, config, library.path));
  }
  checks.push(checkPermissions(config), checkSettingsSchema(config));
  if (library.path === null || checks.some((c) => c.status === 'fail')) {
    return report(dir, config.plugin.id, [
      ...checks,
      ...skipped(checks, 'not checked: fix the failures above first'),
    ]);
  }
  try {
    checkDeclaredAbi(dir, config);
  } catch (e) {
    const err = toHostError(e);
    checks.push({ check: 'entry', status: 'skip', detail: 'not checked' });
    checks.push({ check: 'abi', status: 'fail', detail: err.message, code: err.code });
    return report(dir, config.plugin.id, [
      ...checks,
      ...skipped(checks, 'not checked: fix the failures above first'),
    ]);
  }
  checks.push(
    ...(await loadAndSmokeTest(dir, config, library.path, {
      smoke: options.noSmokeTest !== true,
      stepTimeoutMs: options.stepTimeoutMs ?? 5000,
    })),
  );
  return report(dir, config.plugin.id, checks);
}
