import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { PluginInfo } from '@plugin-interfaces/spec';
import { LIMITS } from '@plugin-interfaces/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPluginHost, type PluginHost } from '../../src/index.js';
import {
  compilePlugin,
  configText,
  pluginFolder,
  rssAfterGcMiB,
  scratch,
  settle,
  witnessAnswers,
} from './support.js';

/**
 * Plugin folders built to hurt discovery and loading: each case writes a folder, the host rescans
 * (with a deadline: a scan must never block), and the folder's entry in `plugins()` – or the load
 * of it – must carry a typed error naming the cause. After each case the healthy witness plugin,
 * loaded in-process in this very process, answers within 200 ms.
 */

interface Ctx {
  /** The root the case writes into, and a second root scanned after it. */
  readonly root: string;
  readonly second: string;
  /** A good library (the healthy fixture) to copy or damage. */
  readonly library: string;
  /** A folder outside every root. */
  readonly outside: string;
}

interface FileCase {
  readonly name: string;
  /** Write the attack; returns the folder whose entry is checked. */
  readonly make: (ctx: Ctx) => string;
  /** The scan itself must not fail: the entry's error (or, if it scans ready, its load's error). */
  readonly expect:
    | { readonly code: string; readonly cause: RegExp }
    | 'not-a-plugin'
    /** Within the file cap the content is the author's: it loads, and `check` holds afterwards. */
    | { readonly accepted: (host: PluginHost, entry: PluginInfo) => void };
  /** The error text must not contain this (file content leaking into errors). */
  readonly mustNotLeak?: RegExp;
  /** Longest the rescan may take, in ms. */
  readonly scanMs?: number;
  /** For big or many files: the most RSS may grow across the rescan (after a GC), in MiB. */
  readonly rssBudgetMiB?: number;
}

const passwd = readFileSync('/etc/passwd', 'utf8').split('\n')[0] ?? 'root:x:0:0';

function folder(root: string, name: string, config: string | Buffer | null): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  if (config !== null) writeFileSync(join(dir, 'config.toml'), config);
  return dir;
}

/** A folder whose config is valid and whose library file is written by `lib`. */
function withLibrary(root: string, id: string, lib: (path: string) => void): string {
  const dir = folder(root, id, configText(id));
  lib(join(dir, `lib${id}.so`));
  return dir;
}

/** A folder with a good library and `extra` TOML after the [plugin] table. */
function withConfig(root: string, id: string, library: string, extra: string): string {
  const dir = folder(root, id, `${configText(id)}${extra}`);
  copyFileSync(library, join(dir, `lib${id}.so`));
  return dir;
}

const CASES: readonly FileCase[] = [
  {
    name: 'config.toml over LIMITS.maxConfigBytes (sparse, 700 MB)',
    make: ({ root }) => {
      const dir = folder(root, 'huge', configText('huge'));
      truncateSync(join(dir, 'config.toml'), 700 * 1024 * 1024);
      return dir;
    },
    expect: { code: 'CONFIG_INVALID', cause: new RegExp(`the limit is ${LIMITS.maxConfigBytes}`) },
    scanMs: 2000,
    rssBudgetMiB: 16,
  },
  {
    name: 'config.toml that is binary (invalid UTF-8)',
    make: ({ root }) =>
      folder(
        root,
        'binary',
        Buffer.concat([Buffer.from('[plugin]\nid = "'), Buffer.from([0xff, 0xfe, 0x00, 0xc3])]),
      ),
    expect: { code: 'CONFIG_PARSE', cause: /config\.toml:2:\d+: the file is not valid UTF-8/ },
  },
  {
    name: 'config.toml with arrays nested 100,000 deep',
    make: ({ root }) =>
      folder(
        root,
        'deep-arrays',
        `${configText('deep-arrays')}[user]\nx = ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
      ),
    expect: {
      code: 'CONFIG_PARSE',
      cause: /deep-arrays\/config\.toml:\d+:\d+: document contains excessively nested structures/,
    },
  },
  {
    name: 'config.toml with inline tables nested 50,000 deep',
    make: ({ root }) =>
      folder(
        root,
        'deep-tables',
        `${configText('deep-tables')}[user]\nx = ${'{a='.repeat(50_000)}1${'}'.repeat(50_000)}\n`,
      ),
    expect: {
      code: 'CONFIG_PARSE',
      cause: /deep-tables\/config\.toml:\d+:\d+: document contains excessively nested structures/,
    },
  },
  {
    name: 'config.toml with a table header 10,000 keys deep',
    make: ({ root, library }) =>
      withConfig(
        root,
        'deep-header',
        library,
        `[user.${Array.from({ length: 10_000 }, (_, i) => `k${i}`).join('.')}]\nv = 1\n`,
      ),
    expect: {
      accepted: (_host, entry) =>
        expect(entry.warnings?.map((w) => `${w.key}: ${w.message}`).join('\n')).toMatch(
          /^user\.k0: is not delivered to the plugin/,
        ),
    },
  },
  {
    name: 'config.toml with 10,000 keys',
    make: ({ root, library }) =>
      withConfig(
        root,
        'many-keys',
        library,
        `[user]\n${Array.from({ length: 10_000 }, (_, i) => `k${i} = ${i}`).join('\n')}\n`,
      ),
    expect: {
      // 10,000 settings in the plugin list: the snapshot still fits one bridge frame.
      accepted: (host) =>
        expect(Buffer.byteLength(JSON.stringify(host.snapshot()))).toBeLessThanOrEqual(
          LIMITS.maxSnapshotBytes,
        ),
    },
  },
  {
    name: 'config.toml symlinked to /etc/passwd',
    make: ({ root }) => {
      const dir = folder(root, 'passwd', null);
      symlinkSync('/etc/passwd', join(dir, 'config.toml'));
      return dir;
    },
    expect: { code: 'CONFIG_INVALID', cause: /symlink to \/etc\/passwd, outside the plugin folder/ },
    mustNotLeak: new RegExp(passwd.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
  },
  {
    name: 'config.toml symlinked to a valid config outside the folder',
    make: ({ root, outside }) => {
      writeFileSync(join(outside, 'elsewhere.toml'), configText('elsewhere'));
      const dir = folder(root, 'elsewhere', null);
      symlinkSync(join(outside, 'elsewhere.toml'), join(dir, 'config.toml'));
      return dir;
    },
    expect: { code: 'CONFIG_INVALID', cause: /outside the plugin folder/ },
  },
  {
    name: 'a directory named config.toml',
    make: ({ root }) => {
      const dir = folder(root, 'dir-config', null);
      mkdirSync(join(dir, 'config.toml'));
      return dir;
    },
    expect: { code: 'CONFIG_INVALID', cause: /not a regular file/ },
  },
  {
    name: 'a FIFO named config.toml (the scan must not block on it)',
    make: ({ root }) => {
      const dir = folder(root, 'fifo', null);
      execFileSync('mkfifo', [join(dir, 'config.toml')]);
      return dir;
    },
    expect: { code: 'CONFIG_INVALID', cause: /not a regular file/ },
    scanMs: 2000,
  },
  {
    name: 'an empty config.toml',
    make: ({ root }) => folder(root, 'empty-config', ''),
    expect: { code: 'CONFIG_INVALID', cause: /plugin/ },
  },
  {
    name: 'a library that is a text file',
    make: ({ root }) => withLibrary(root, 'text-lib', (p) => writeFileSync(p, 'this is not a library\n')),
    expect: { code: 'LIBRARY_LOAD_FAILED', cause: /text-lib/ },
  },
  {
    name: 'a library that is an empty file',
    make: ({ root }) => withLibrary(root, 'empty-lib', (p) => writeFileSync(p, '')),
    expect: { code: 'LIBRARY_LOAD_FAILED', cause: /empty-lib/ },
  },
  {
    name: 'a truncated ELF library',
    make: ({ root, library }) =>
      withLibrary(root, 'cut-lib', (p) => writeFileSync(p, readFileSync(library).subarray(0, 600))),
    expect: { code: 'LIBRARY_LOAD_FAILED', cause: /cut-lib/ },
  },
  {
    name: 'a library symlinked outside the folder',
    make: ({ root, library }) => withLibrary(root, 'escape-lib', (p) => symlinkSync(library, p)),
    expect: { code: 'LIBRARY_PATH_ESCAPE', cause: /outside/ },
  },
  {
    name: 'a library for another architecture',
    make: ({ root, library }) =>
      withLibrary(root, 'arch-lib', (p) => {
        const bytes = readFileSync(library);
        bytes.writeUInt16LE(process.arch === 'arm64' ? 0x3e : 0xb7, 18);
        writeFileSync(p, bytes);
      }),
    expect: { code: 'LIBRARY_LOAD_FAILED', cause: /arch/i },
  },
  {
    name: 'the same id in two plugin roots',
    make: ({ root, second, library }) => {
      pluginFolder(root, 'twin', library);
      return pluginFolder(second, 'twin', library);
    },
    expect: { code: 'PLUGIN_ID_DUPLICATE', cause: /Plugin id "twin" in .* is already used by/ },
  },
  {
    name: 'a root with 1,000 empty subfolders (scan time bounded)',
    make: ({ root }) => {
      const dir = join(root, 'crowd');
      for (let i = 0; i < 1000; i++) mkdirSync(join(root, `empty-${i}`));
      return dir;
    },
    expect: 'not-a-plugin',
    scanMs: 2000,
    rssBudgetMiB: 16,
  },
];

describe('adversarial files on disk: the scan finishes, entries carry typed errors, the witness answers', () => {
  const tmp = scratch('files');
  let host: PluginHost;
  let ctx: Ctx;
  let n = 0;

  beforeAll(async () => {
    const library = join(tmp.dir, 'healthy.so');
    compilePlugin(library, 'healthy');
    const witnessRoot = join(tmp.dir, 'witness');
    pluginFolder(witnessRoot, 'healthy', library);
    ctx = {
      root: join(tmp.dir, 'attack'),
      second: join(tmp.dir, 'attack2'),
      library,
      outside: join(tmp.dir, 'outside'),
    };
    for (const d of [ctx.root, ctx.second, ctx.outside]) mkdirSync(d);
    host = await createPluginHost({
      pluginDirs: [witnessRoot, ctx.root, ctx.second],
      isolation: 'in-process',
    });
    await host.load('healthy', { instanceId: 'healthy' });
    await host.connect('healthy');
  });
  afterAll(async () => {
    await host?.close();
    tmp.dispose();
  });

  it('has at least 14 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(14));

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, attack) => {
    const dir = attack.make(ctx);
    try {
      const rssBefore = attack.rssBudgetMiB === undefined ? 0 : rssAfterGcMiB();
      const t0 = performance.now();
      const scan = await Promise.race([
        host.rescan(),
        new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 5000).unref()),
      ]);
      const scanMs = performance.now() - t0;
      expect(scan, 'the rescan did not finish within 5 s').not.toBe('blocked');
      if (attack.scanMs !== undefined) expect(scanMs).toBeLessThan(attack.scanMs);
      if (attack.rssBudgetMiB !== undefined)
        expect(rssAfterGcMiB() - rssBefore).toBeLessThan(attack.rssBudgetMiB);
      const entry = host.plugins().find((p) => p.dir === dir);
      const expected = attack.expect;
      if (expected === 'not-a-plugin') expect(entry).toBeUndefined();
      else if ('accepted' in expected) {
        if (entry === undefined) throw new Error(`no entry for ${dir}`);
        expect(entry.status).toBe('ready');
        const info = await host.load(entry.id, { instanceId: `attack-${entry.id}` });
        expect(info.state).toBe('mounted');
        expected.accepted(host, entry);
        await host.unload(info.instance_id);
      } else {
        let error =
          entry?.error === undefined ? undefined : { code: entry.error.code, text: entry.error.message };
        if (entry?.status === 'ready') {
          const r = await settle(host.load(entry.id, { instanceId: `attack-${entry.id}` }));
          error = r.code === undefined ? undefined : { code: r.code, text: r.text };
        }
        expect(error, `no error for ${dir}: ${JSON.stringify(entry)?.slice(0, 300)}`).toBeDefined();
        expect(error?.code).toBe(expected.code);
        expect(error?.text).toMatch(expected.cause);
        if (attack.mustNotLeak !== undefined)
          expect(JSON.stringify(host.plugins())).not.toMatch(attack.mustNotLeak);
      }
    } finally {
      rmSync(join(ctx.root), { recursive: true, force: true });
      rmSync(join(ctx.second), { recursive: true, force: true });
      mkdirSync(ctx.root);
      mkdirSync(ctx.second);
    }
    n++;
    await witnessAnswers(host, 'healthy', n);
  });
});
