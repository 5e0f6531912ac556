import { LIMITS } from '@plugin-interfaces/spec';
import { ISOLATION_TIMEOUTS } from '../driver/isolated/call-timeouts.js';
import { ChildConnection, type ConnectionBinding, type SpawnConfig } from '../driver/isolated/connection.js';
import { ISOLATION_LIMITS } from '../driver/isolated/limits.js';
import { HostError, toHostError } from '../errors.js';

const REFUSED = -3;

const CONFIG: SpawnConfig = {
  limits: { ...ISOLATION_LIMITS, heartbeatMs: 0 },
  driverModule: null,
  inner: { autoCredit: false, creditWindow: 1, requestTimeoutMs: 1000, destroyGraceMs: 500 },
  startTimeoutMs: LIMITS.childStartTimeoutMs,
};

/**
 * Open each library in a short-lived child process and run the loader's checks there: file
 * format and architecture, `pi_plugin_entry`, ABI major/minor, fingerprint and the field-level
 * layout descriptor, required vtable entries. No instance is created, so no plugin code runs
 * beyond the library's load and its entry function, and a library that crashes while loading
 * costs only the child (which is replaced for the next library). Returns, per path, null when it
 * would load, else the error a load would give.
 */
export async function verifyLibraries(paths: readonly string[]): Promise<Map<string, HostError | null>> {
  const results = new Map<string, HostError | null>();
  if (paths.length === 0) return results;
  let current = '';
  const binding: ConnectionBinding = {
    label: () => current,
    hooks: {
      onEvents: () => undefined,
      getAppConfig: () => ({ status: REFUSED, value: null }),
      callOtherPlugin: () => ({ status: REFUSED, value: null }),
    },
    onDeath: () => undefined,
  };
  let conn: ChildConnection | null = null;
  try {
    for (const path of paths) {
      current = path;
      try {
        conn ??= await ChildConnection.start(CONFIG, binding);
        await conn.call('load', { path }, ISOLATION_TIMEOUTS.load, 'load');
        await conn.call('closeLibrary', {}, ISOLATION_TIMEOUTS.destroy, 'closeLibrary');
        results.set(path, null);
      } catch (e) {
        const error = toHostError(e, 'LIBRARY_LOAD_FAILED');
        // The child's error crosses IPC as code and message: give it back its file.
        const crashed = error.code === 'PLUGIN_CRASHED';
        results.set(
          path,
          new HostError(
            crashed ? 'LIBRARY_LOAD_FAILED' : error.code,
            crashed ? `${path} crashed the verifying process while loading: ${error.message}` : error.message,
            { location: { file: path }, cause: error },
          ),
        );
        if (conn !== null && !conn.alive) conn = null;
      }
    }
  } finally {
    await conn?.shutdown(1000);
  }
  return results;
}
