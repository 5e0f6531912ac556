import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildRecorderPlugin } from './test-fixture-plugin.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The ids of the processes whose parent is `pid` (Linux /proc). */
async function childrenOf(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) out.push(Number(name));
  }
  return out;
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^\S+ \(.*\) Z/.test(readStat(pid));
function readStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return '';
  }
}

async function until(pred: () => boolean, deadlineMs: number): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return pred();
}

/** Servers started by a test; any still running afterwards (a failed test) is killed. */
const started: number[] = [];

/** The playground's signal handling over an isolated host, started in a process group of its own (as a shell does). */
async function startServer(pluginDir: string, log: string, env: Record<string, string> = {}) {
  const proc = spawn(
    process.execPath,
    [
      '--conditions=@plugin-interfaces/source',
      '--import',
      'tsx',
      join(here, 'test-signal-server.ts'),
      pluginDir,
    ],
    {
      cwd: here,
      detached: true,
      env: { ...process.env, ...env, PI_LIFECYCLE_LOG: log },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  started.push(proc.pid as number);
  let output = '';
  proc.stdout.on('data', (d) => (output += String(d)));
  proc.stderr.on('data', (d) => (output += String(d)));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const ready = await until(() => output.includes('\nready') || output.startsWith('ready'), 60_000);
  if (!ready) {
    proc.kill('SIGKILL');
    throw new Error(`the server did not start:\n${output}`);
  }
  return { pid: proc.pid as number, exited, output: () => output };
}

describe.skipIf(process.platform === 'win32')('Ctrl-C of the playground', () => {
  let dir: string;
  let pluginDir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pg-signals-'));
    pluginDir = join(dir, 'plugins');
    await buildRecorderPlugin(pluginDir);
  });
  afterEach(() => {
    for (const pid of started.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('SIGINT to the process group: isolated children live on, every instance disconnects and disposes, exit 0, no crash', async () => {
    const log = join(dir, 'sigint.log');
    const server = await startServer(pluginDir, log);
    const children = await childrenOf(server.pid);
    expect(children.length).toBeGreaterThan(0);
    process.kill(-server.pid, 'SIGINT');
    expect(await server.exited).toBe(0);
    const entries = (await readFile(log, 'utf8')).trim().split('\n');
    expect(entries).toEqual(['create', 'on_mount', 'on_connect', 'on_disconnect', 'on_dispose', 'destroy']);
    expect(server.output()).not.toMatch(/PLUGIN_CRASHED|crashed|SIGINT.*killed/i);
    expect(await until(() => children.every((pid) => !alive(pid)), 5000)).toBe(true);
  });

  it('a second SIGINT while shutting down forces the exit (130) without waiting for a slow on_dispose', async () => {
    const log = join(dir, 'twice.log');
    const server = await startServer(pluginDir, log, { PI_DISPOSE_SLEEP_MS: '4000' });
    process.kill(-server.pid, 'SIGINT');
    expect(await until(() => server.output().includes('SIGINT: stopping'), 5000)).toBe(true);
    expect(await until(() => existsSync(log) && readFileSync(log, 'utf8').includes('on_dispose'), 5000)).toBe(
      true,
    );
    const children = await childrenOf(server.pid);
    const t0 = Date.now();
    process.kill(server.pid, 'SIGINT');
    expect(await server.exited).toBe(130);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(server.output()).toContain('SIGINT again: exiting');
    expect(await until(() => children.every((pid) => !alive(pid)), 5000)).toBe(true);
  });

  it('isolated children die with a host that is killed outright (SIGKILL)', async () => {
    const server = await startServer(pluginDir, join(dir, 'kill.log'));
    const children = await childrenOf(server.pid);
    expect(children.length).toBeGreaterThan(0);
    process.kill(server.pid, 'SIGKILL');
    await server.exited;
    expect(await until(() => children.every((pid) => !alive(pid)), 5000)).toBe(true);
  });
});
