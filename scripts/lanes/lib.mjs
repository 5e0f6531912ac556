// Helpers shared by the platform lanes: quiet, idempotent installs (apt-get, npm pack), commands
// with logs, the packed workspace tarballs, fresh consumer projects outside the workspace.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = join(ROOT, '.cache', 'lanes');
export const TARBALLS = join(CACHE, 'tarballs');
/** The packages a consumer installs, in the order they are packed. */
export const PACKAGES = ['spec', 'sdk-c', 'host-node', 'ui-react'];

/** A lane outcome: counted checks, or skipped with the reason. */
export class Tally {
  constructor(platform) {
    this.platform = platform;
    this.passed = 0;
    this.failed = 0;
    this.failures = [];
    this.skipped = null;
  }
  check(name, ok, detail = '') {
    if (ok) this.passed++;
    else {
      this.failed++;
      this.failures.push(`${name}${detail ? `: ${detail}` : ''}`);
    }
    process.stdout.write(
      `  ${ok ? 'ok  ' : 'FAIL'} ${this.platform} ${name}${!ok && detail ? ` — ${detail}` : ''}\n`,
    );
  }
  skip(why) {
    this.skipped = why;
  }
  line() {
    return this.skipped !== null
      ? `${this.platform}: skipped: ${this.skipped}`
      : `${this.platform}: ${this.passed} passed, ${this.failed} failed`;
  }
}

export function has(cmd, args = ['--version']) {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

function asRoot(args) {
  if (process.getuid?.() === 0)
    return spawnSync(args[0], args.slice(1), {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  if (has('sudo', ['-n', 'true']))
    return spawnSync('sudo', ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', ...args], { stdio: 'ignore' });
  return { status: 1, error: new Error('needs root or passwordless sudo') };
}

let aptUpdated = false;
/** Install the Debian packages not installed yet (quietly). Returns null, or why it failed. */
export function ensureApt(packages) {
  const missing = packages.filter(
    (p) =>
      !/^Status: install ok installed$/m.test(
        spawnSync('dpkg-query', ['-s', p], { encoding: 'utf8' }).stdout ?? '',
      ),
  );
  if (missing.length === 0) return null;
  if (!has('apt-get')) return `apt-get is not available to install ${missing.join(' ')}`;
  if (!aptUpdated) {
    const u = asRoot(['apt-get', 'update', '-qq']);
    if (u.status !== 0) return `apt-get update failed (${u.error?.message ?? `exit ${u.status}`})`;
    aptUpdated = true;
  }
  const r = asRoot(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]);
  return r.status === 0
    ? null
    : `apt-get install ${missing.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`;
}

/** `npm pack <spec>` into the lane cache once and extract it; returns the extracted `package/` folder. */
export function npmPackage(spec, into) {
  const dest = join(CACHE, into);
  const marker = join(dest, '.spec');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === spec) return join(dest, 'package');
  const store = join(CACHE, 'npm');
  mkdirSync(store, { recursive: true });
  const name = execFileSync('npm', ['pack', spec, '--silent'], { cwd: store, encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  execFileSync('tar', ['-xzf', join(store, name), '-C', dest]);
  writeFileSync(marker, spec);
  return join(dest, 'package');
}

/** Run a command with its output in a log file (wine's Node needs a file, not a pipe). */
export function runLogged(cmd, args, { cwd, env = {}, log, timeoutMs = 600_000 }) {
  mkdirSync(dirname(log), { recursive: true });
  const fd = openSync(log, 'w');
  try {
    const r = spawnSync(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', fd, fd],
      timeout: timeoutMs,
    });
    return { status: r.status, error: r.error, output: readFileSync(log, 'utf8') };
  } finally {
    closeSync(fd);
  }
}

/** The four packed tarballs (pack.mjs makes them). */
export function tarballs() {
  const files = existsSync(TARBALLS) ? readdirSync(TARBALLS).filter((f) => f.endsWith('.tgz')) : [];
  return PACKAGES.map((p) => files.find((f) => f === `plugin-interfaces-${p}-0.1.0.tgz`))
    .filter(Boolean)
    .map((f) => join(TARBALLS, f));
}

let reachable;
/** Whether the npm registry answers (`npm ping`): without it, installs are skipped, not failed. */
export function registryReachable() {
  reachable ??= spawnSync('npm', ['ping', '--silent'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
  return reachable;
}

/**
 * A fresh project outside the workspace with the tarballs installed by npm for `os`/`cpu` (so
 * koffi's matching native package is chosen). Returns its folder, or throws with npm's output.
 */
export function consumerProject(platform, os, cpu) {
  const dir = mkdtempSync(join(tmpdir(), `pi-lane-${platform}-`));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `lane-${platform}`, private: true, type: 'module' }),
  );
  // For another platform koffi's own install script would look for the build machine's binary;
  // its per-platform package (chosen by --os/--cpu) is all that platform needs.
  const foreign = os !== process.platform || cpu !== process.arch;
  const r = spawnSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `--os=${os}`,
      `--cpu=${cpu}`,
      ...(foreign ? ['--ignore-scripts'] : []),
      ...tarballs(),
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  if (r.status !== 0)
    throw new Error(
      `npm install in ${dir} failed: ${(r.stderr || r.stdout || String(r.error)).trim().slice(-800)}`,
    );
  return dir;
}

/** Parse the result file of conformance-checks.mjs into the tally. */
export function countChecks(tally, resultFile, prefix = '') {
  const text = existsSync(resultFile) ? readFileSync(resultFile, 'utf8') : '';
  const lines = text.split('\n').filter((l) => l.startsWith('ok ') || l.startsWith('FAIL '));
  for (const l of lines) {
    const ok = l.startsWith('ok ');
    const [, mode, name, ...rest] = l.split(' ');
    tally.check(`${prefix ? `${prefix} ` : ''}${mode} ${name?.replace(/:$/, '')}`, ok, rest.join(' '));
  }
  if (!text.includes('"passed"'))
    tally.check('conformance run finished', false, 'no totals line: the run stopped early');
}

/** The README's integration example, made runnable by plain Node (no `await using` on Node 20). */
export function readmeExample() {
  const readme = readFileSync(join(ROOT, 'packages', 'host-node', 'README.md'), 'utf8');
  const m = /## Integration example\s+```ts\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('host-node README has no "## Integration example" code block');
  const body = m[1].replace('await using host =', 'const host =').replace(/^\/\/ `await using`.*$/m, '');
  return [
    'const render = () => {};',
    'const showStream = () => {};',
    body,
    'console.log(JSON.stringify({ reply }));',
    'await host.close();',
    '',
  ].join('\n');
}

export function scratchDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}
