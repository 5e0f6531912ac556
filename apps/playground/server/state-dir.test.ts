import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultStateDir, workspaceToken } from './state-dir.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'pg-state-'));
  dirs.push(d);
  return d;
}

describe('workspace token', () => {
  it('is the same across restarts and kept in a file only the user can read', async () => {
    const dir = join(await tempDir(), 'state');
    const first = await workspaceToken(dir);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await workspaceToken(dir)).toBe(first);
    expect((await stat(join(dir, 'token'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('replaces a token file that holds something else', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'token'), 'short\n');
    expect(await workspaceToken(dir)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('differs per workspace', () => {
    const env = { XDG_STATE_HOME: '/state' };
    expect(defaultStateDir('/a', env)).not.toBe(defaultStateDir('/b', env));
    expect(defaultStateDir('/a', env).startsWith('/state/pi-playground/')).toBe(true);
  });
});
