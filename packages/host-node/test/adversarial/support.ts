import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'vitest';
import type { PluginHost } from '../../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const include = join(
  dirname(createRequire(import.meta.url).resolve('@plugin-interfaces/sdk-c/package.json')),
  'include',
);

export const MiB = 1024 * 1024;

setFlagsFromString('--expose-gc');
/** A full garbage collection, so RSS readings show what is retained rather than V8's slack. */
export const gc = runInNewContext('gc') as () => void;

/** Resident set size of this process after a full GC, in MiB. */
export function rssAfterGcMiB(): number {
  gc();
  return process.memoryUsage().rss / MiB;
}

/** Compile a C plugin into `out` (the adversary under `fixtures/`, the others from `test/fixtures/faults`). */
export function compilePlugin(out: string, source: 'adversary' | 'healthy'): void {
  const file =
    source === 'adversary'
      ? join(here, 'fixtures', 'adversary.c')
      : join(here, '..', 'fixtures', 'faults', 'healthy.c');
  const r = spawnSync(
    process.env.CC ?? 'cc',
    ['-std=c11', '-O1', '-shared', '-fPIC', '-pthread', '-I', include, '-o', out, file],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`compiling ${file} failed: ${r.stderr || String(r.error)}`);
}

/** A temp folder removed by `dispose`. */
export function scratch(prefix: string): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), `pi-adv-${prefix}-`));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The text of a minimal valid config.toml for plugin `id`, plus `extra` lines. */
export function configText(id: string, extra: readonly string[] = []): string {
  return [
    '[plugin]',
    `id = "${id}"`,
    `name = "${id}"`,
    'version = "0.1.0"',
    `description = "adversarial suite ${id}"`,
    ...extra,
    '',
  ].join('\n');
}

/** Make `<root>/<id>/` with a config.toml and a copy of `library` as `lib<id>.so`. */
export function pluginFolder(
  root: string,
  id: string,
  library: string,
  extra: readonly string[] = [],
): string {
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  copyFileSync(library, join(dir, `lib${id}.so`));
  writeFileSync(join(dir, 'config.toml'), configText(id, extra));
  return dir;
}

/**
 * Check (b): the loaded, connected `healthy` witness instance answers a chat message within
 * 200 ms. Returns the time it took.
 */
export async function witnessAnswers(host: PluginHost, instanceId: string, n: number): Promise<number> {
  const t0 = performance.now();
  const out = await host.handleMessage(instanceId, `still there ${n}?`, { timeoutMs: 1000 });
  const ms = performance.now() - t0;
  expect(out.reply).toMatch(new RegExp(`^healthy \\d+: still there ${n}\\?$`));
  expect(ms).toBeLessThan(200);
  return ms;
}

/** Run `p`, and return the HostError-like rejection it ends with (or a failure text). */
export async function settle(p: Promise<unknown>): Promise<{ code?: string; text: string; value?: unknown }> {
  try {
    const value = await p;
    return { text: `resolved: ${JSON.stringify(value)?.slice(0, 200)}`, value };
  } catch (e) {
    const err = e as { code?: unknown; message?: unknown };
    return typeof err.code === 'string'
      ? { code: err.code, text: String(err.message) }
      : { text: `untyped: ${String(e)}` };
  }
}
