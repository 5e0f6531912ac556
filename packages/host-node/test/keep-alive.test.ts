import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFixture, NATIVE_FIXTURES } from './support/compile.js';

// The in-process driver keeps the event loop alive while any instance lives: a plugin thread may
// emit long after the entry call returned, with nothing else keeping the process running.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/keep-alive-child.ts', import.meta.url));
let dir = '';
let library = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pi-keep-alive-'));
  library = compileFixture(join(dir, 'late.so'), join(NATIVE_FIXTURES, 'late.c'), ['-O2']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the child to its natural exit (killed after `limitMs`, which fails the test). */
function run(mode: 'late' | 'destroy', limitMs = 15_000): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@plugin-interfaces/source', child, library, mode],
      { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`the child did not exit within ${limitMs} ms. stdout:\n${out}\nstderr:\n${err}`));
    }, limitMs);
    p.on('error', reject);
    p.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) process.stderr.write(err);
      resolve({ code, lines: out.trim().split('\n') });
    });
  });
}

describe('in-process keep-alive', () => {
  it('stays alive for events a plugin thread sends after the entry call returned', async () => {
    const { code, lines } = await run('late');
    expect(code).toBe(0);
    expect(lines).toEqual([
      'ENTRY RETURNED',
      'EVENT stream_start',
      'EVENT stream_data',
      'EVENT stream_end',
      'EVENT message late hello',
      'DESTROYED',
      'EXIT 0',
    ]);
  });

  it('exits by itself once every instance is destroyed', async () => {
    const started = Date.now();
    const { code, lines } = await run('destroy');
    expect(code).toBe(0);
    expect(lines).toEqual(['DESTROYED', 'EXIT 0']);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
