import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFolderLock } from './folder-lock.js';
import { removeStaleInstallFolders } from './stale-folders.js';
import { swapIntoPlace } from './swap-folder.js';

let parent: string;
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), 'pi-swap-'));
});
afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
});

async function folder(name: string, content: string): Promise<string> {
  await mkdir(join(parent, name));
  await writeFile(join(parent, name, 'f'), content);
  return join(parent, name);
}

describe('swapIntoPlace', () => {
  it('replaces the target and removes the old copy', async () => {
    const target = await folder('p', 'old');
    await swapIntoPlace(await folder('.install-p', 'new'), target);
    expect(await readFile(join(target, 'f'), 'utf8')).toBe('new');
    expect(await readdir(parent)).toEqual(['p']);
  });

  it('puts the old folder back when the new one cannot be renamed in', async () => {
    const target = await folder('p', 'old');
    await expect(swapIntoPlace(join(parent, '.install-missing'), target)).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(target, 'f'), 'utf8')).toBe('old');
    expect(await readdir(parent)).toEqual(['p']);
  });
});

describe('withFolderLock', () => {
  it('runs calls for one folder one after another, even when one fails', async () => {
    const order: string[] = [];
    const step =
      (name: string, fail = false) =>
      async () => {
        order.push(`${name}:start`);
        await new Promise((r) => setImmediate(r));
        order.push(`${name}:end`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      withFolderLock(join(parent, 'x'), step('a', true)),
      withFolderLock(join(parent, 'x'), step('b')),
    ]);
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
  });
});

describe('removeStaleInstallFolders', () => {
  it('removes old staging and retired folders but keeps fresh ones and plugins', async () => {
    await folder('.install-a-1', 'x');
    await folder('.old-a-2', 'x');
    await folder('a', 'x');
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(join(parent, '.install-a-1'), old, old);
    await utimes(join(parent, '.old-a-2'), old, old);
    await folder('.install-b-3', 'fresh');
    const removed = await removeStaleInstallFolders(parent);
    expect(removed.sort()).toEqual([join(parent, '.install-a-1'), join(parent, '.old-a-2')]);
    expect((await readdir(parent)).sort()).toEqual(['.install-b-3', 'a']);
  });
});
