import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The playground's per-workspace state folder (token and session), readable only by the user:
 * `$XDG_STATE_HOME/pi-playground/<hash of the workspace path>` (default `~/.local/state`).
 */
export function defaultStateDir(workspace: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  const hash = createHash('sha256').update(workspace).digest('hex').slice(0, 16);
  return join(base, 'pi-playground', hash);
}

/** Create the state folder with mode 0700 (and tighten an existing one). */
export async function ensureStateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/** What a stored token must look like: 43 base64url characters (32 random bytes). */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The bridge token of this workspace: read from `<dir>/token`, or made (32 random bytes) and
 * written there with mode 0600. A restarted playground keeps its token, so an open page
 * reconnects by itself. A file that does not hold a well-formed token is replaced.
 */
export async function workspaceToken(dir: string): Promise<string> {
  await ensureStateDir(dir);
  const file = join(dir, 'token');
  const stored = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (TOKEN_SHAPE.test(stored)) {
    await chmod(file, 0o600);
    return stored;
  }
  const token = randomBytes(32).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return token;
}
