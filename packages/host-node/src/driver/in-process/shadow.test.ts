import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepStaleShadows } from './shadow.js';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function shadowFolderOf(pid: number): string {
  const dir = join(tmpdir(), `pi-host-shadow-${pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'abc-plugin.so'), 'left behind');
  made.push(dir);
  return dir;
}

describe('shadow folders of other processes', () => {
  it('removes the folder of a process that has ended (what Windows could not delete while mapped)', () => {
    const ended = spawnSync(process.execPath, ['-e', '0']).pid!;
    const dir = shadowFolderOf(ended);
    sweepStaleShadows();
    expect(existsSync(dir)).toBe(false);
  });

  it('keeps the folder of a process that still runs', () => {
    const dir = shadowFolderOf(process.ppid);
    sweepStaleShadows();
    expect(existsSync(dir)).toBe(true);
  });
});
