import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildExamples } from '@plugin-interfaces/sdk-c/build-examples';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('../../..', import.meta.url));
const child = fileURLToPath(new URL('./test-exit-child.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'pi-exit-'));
let library = '';

beforeAll(async () => {
  await buildExamples({ outDir: root, examples: ['streamer'] });
  const dir = join(root, 'streamer');
  library = join(dir, readdirSync(dir).find((f) => /\.(so|dylib|dll)$/.test(f))!);
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface ChildRun {
  readonly code: number | null;
  readonly stderr: string;
  readonly report: { shadowDirAfterClose: boolean; shadowDir: string; reply: unknown; chunks: number } | null;
}

function run(env: NodeJS.ProcessEnv, args: string[] = []): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@plugin-interfaces/source', child, library, ...args],
      {
        cwd: packageDir,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      resolve({ code, stderr, report: line.startsWith('{') ? JSON.parse(line) : null });
    });
  });
}

describe('a standalone InProcessDriver exiting after destroy then close', () => {
  it('ends 20 of 20 child processes with exit code 0 and no napi_throw FATAL, poll and wait wake-ups', async () => {
    const runs: ChildRun[] = [];
    for (let round = 0; round < 5; round++) {
      runs.push(
        ...(await Promise.all([0, 1, 2, 3].map((i) => run(i % 2 === 0 ? {} : { PI_HOST_RT_WAKE: 'wait' })))),
      );
    }
    expect(runs.map((r) => r.code)).toEqual(new Array(20).fill(0));
    expect(runs.filter((r) => r.stderr.includes('FATAL'))).toEqual([]);
    for (const r of runs)
      expect(r.report?.reply).toEqual({ ok: true, pending: false, reply: 'streaming 1000 chunks' });
  }, 120_000);

  it('leaves no pi-host-shadow-<pid> folder once the driver is closed, nor after the process exits', async () => {
    const r = await run({});
    expect(r.code).toBe(0);
    expect(r.report?.shadowDirAfterClose).toBe(false);
    expect(existsSync(r.report!.shadowDir)).toBe(false);
  }, 30_000);

  it.each([
    ['poll', {}],
    ['wait', { PI_HOST_RT_WAKE: 'wait' }],
  ])(
    'delivers every chunk a plugin thread streams through the %s wake-up',
    async (_mode, env) => {
      const r = await run(env, ['stream 200', 'until-end']);
      expect(r.code).toBe(0);
      expect(r.report?.chunks).toBe(200);
    },
    30_000,
  );
});
