import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PluginHost } from '@plugin-interfaces/host-node';

/** One instance as the session file remembers it. */
export interface SavedInstance {
  readonly plugin_id: string;
  readonly instance_id: string;
  readonly settings: Record<string, unknown>;
  readonly connected: boolean;
}

/** What survives a restart: the instances (with their settings) and the app config. */
export interface Session {
  readonly instances: readonly SavedInstance[];
  readonly app_config: Record<string, unknown>;
}

const EMPTY: Session = { instances: [], app_config: {} };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse a session file's text; anything malformed is dropped (an empty session at worst). */
export function parseSession(text: string): Session {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return EMPTY;
  }
  if (!isRecord(value)) return EMPTY;
  const instances: SavedInstance[] = [];
  for (const i of Array.isArray(value.instances) ? value.instances : []) {
    if (!isRecord(i) || typeof i.plugin_id !== 'string' || typeof i.instance_id !== 'string') continue;
    instances.push({
      plugin_id: i.plugin_id,
      instance_id: i.instance_id,
      settings: isRecord(i.settings) ? i.settings : {},
      connected: i.connected === true,
    });
  }
  return { instances, app_config: isRecord(value.app_config) ? value.app_config : {} };
}

/** The session file of a state folder. */
export function sessionFile(stateDir: string): string {
  return join(stateDir, 'session.json');
}

/** Read the saved session; an empty one when there is none or it is unreadable. */
export async function readSession(stateDir: string): Promise<Session> {
  const text = await readFile(sessionFile(stateDir), 'utf8').catch(() => null);
  return text === null ? EMPTY : parseSession(text);
}

/** Settings without the `{ secret: … }` markers a host shows in place of secret values. */
export function withoutSecretMarkers(settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(settings)) {
    const marker = isRecord(v) && Object.keys(v).length === 1 && (v.secret === 'set' || v.secret === 'unset');
    if (!marker) out[k] = v;
  }
  return out;
}

/** The session of a running host: its live instances with settings, and the app config. */
export function sessionOf(host: Pick<PluginHost, 'snapshot'>): Session {
  const snapshot = host.snapshot();
  return {
    instances: snapshot.instances
      .filter((i) => i.state !== 'destroyed')
      .map((i) => ({
        plugin_id: i.plugin_id,
        instance_id: i.instance_id,
        // Secrets are never written to disk: the host shows them as `{ secret: 'set' }` markers.
        settings: withoutSecretMarkers(i.settings),
        connected: i.state === 'connected' || i.state === 'crashed',
      })),
    app_config: snapshot.app_config,
  };
}

/** Write the session atomically (temp file, then rename) with mode 0600. */
export async function writeSession(stateDir: string, session: Session): Promise<void> {
  const file = sessionFile(stateDir);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/**
 * Re-create the saved instances (same ids and settings, connected again when they were).
 * Returns one line per instance that could not be restored; the others keep running.
 */
export async function restoreSession(
  host: Pick<PluginHost, 'load' | 'connect'>,
  session: Session,
): Promise<string[]> {
  const problems: string[] = [];
  for (const saved of session.instances) {
    try {
      await host.load(saved.plugin_id, { instanceId: saved.instance_id, settings: saved.settings });
      if (saved.connected) await host.connect(saved.instance_id);
    } catch (e) {
      problems.push(
        `${saved.instance_id} (${saved.plugin_id}): ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  return problems;
}

/**
 * Save the session whenever the host reports a change (debounced), and once more on `flush()`.
 * Stream chunks and logs do not change the session and are ignored.
 */
export function autosaveSession(
  host: PluginHost,
  stateDir: string,
  onError: (message: string) => void,
  delayMs = 250,
): { touch(): void; flush(): Promise<void>; stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    timer = undefined;
    const session = sessionOf(host);
    writing = writing
      .then(() => writeSession(stateDir, session))
      .catch((e: unknown) => onError(`could not save the session: ${String(e)}`));
    return writing;
  };
  const touch = (): void => {
    if (timer === undefined) timer = setTimeout(() => void save(), delayMs);
  };
  const off = host.on('*', (event) => {
    if (event.event === 'plugin-status' || event.event === 'plugin-ui-updated') touch();
  });
  return {
    touch,
    flush: async () => {
      if (timer !== undefined) clearTimeout(timer);
      await save();
    },
    stop: () => {
      off();
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
