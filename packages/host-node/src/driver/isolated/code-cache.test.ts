import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildFaultPlugins,
  type FaultPlugins,
  metaFor,
  recorder,
  rmFaultPlugins,
} from '../../../test/faults/support.js';
import { resolveChildEntry } from './child-entry.js';
import { cacheHeader, readCodeCache, writeCodeCache } from './code-cache.js';
import { IsolatedDriver } from './isolated-driver.js';

let plugins: FaultPlugins;
let dir: string;
beforeAll(() => {
  plugins = buildFaultPlugins();
  dir = mkdtempSync(join(tmpdir(), 'pi-code-cache-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmFaultPlugins(plugins);
});

const SHA = 'a'.repeat(64);
const otherNode = (header: string) => header.replace(JSON.stringify(process.version), '"v0.0.0"');

describe('code cache file', () => {
  it('gives back the data written under the same header', () => {
    const file = join(dir, 'same.v8cache');
    expect(writeCodeCache(file, cacheHeader(SHA), Buffer.from('data'))).toBe(true);
    expect(readCodeCache(file, cacheHeader(SHA))?.toString()).toBe('data');
  });

  it('ignores a missing file, a file without header, another bundle, another Node version and a cut-short file', () => {
    const file = join(dir, 'stale.v8cache');
    expect(readCodeCache(file, cacheHeader(SHA))).toBeUndefined();
    writeFileSync(file, Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect(readCodeCache(file, cacheHeader(SHA))).toBeUndefined();
    writeCodeCache(file, cacheHeader('b'.repeat(64)), Buffer.from('data'));
    expect(readCodeCache(file, cacheHeader(SHA))).toBeUndefined();
    writeCodeCache(file, otherNode(cacheHeader(SHA)), Buffer.from('data'));
    expect(readCodeCache(file, cacheHeader(SHA))).toBeUndefined();
    writeCodeCache(file, cacheHeader(SHA), Buffer.from('data'));
    writeFileSync(file, readFileSync(file).subarray(0, -1));
    expect(readCodeCache(file, cacheHeader(SHA))).toBeUndefined();
  });

  it('a cache that cannot be written is skipped without an error', () => {
    expect(
      writeCodeCache(join(dir, 'no', 'such', 'folder', 'x.v8cache'), cacheHeader(SHA), Buffer.from('x')),
    ).toBe(false);
  });
});

describe('plugin processes and their code cache', () => {
  /** The child bundle, its cache file, and the header a valid cache of it has. */
  async function childCache(): Promise<{ file: string; header: string }> {
    const launcher = (await resolveChildEntry(null)).path;
    const bundle = launcher.replace(/\.launch\.cjs$/, '.cjs');
    const sha = createHash('sha256').update(readFileSync(bundle)).digest('hex');
    return { file: `${bundle}.v8cache`, header: cacheHeader(sha) };
  }

  async function startAndStop(): Promise<void> {
    await using driver = new IsolatedDriver({ warmSpare: false });
    const lib = await driver.loadLibrary(plugins.healthy, recorder().hooks);
    const inst = await lib.createInstance(metaFor(plugins.healthy, 'cached'));
    expect(await inst.handleMessage(1, 'hi')).toMatchObject({ ok: true });
    await inst.destroy();
  }

  it('a corrupt cache is ignored: the process starts, and a valid cache replaces it', async () => {
    const { file, header } = await childCache();
    const garbage = Buffer.alloc(4096, 0x5a);
    writeCodeCache(file, header, garbage);
    await startAndStop();
    const now = readCodeCache(file, header);
    expect(now).toBeDefined();
    expect(now?.equals(garbage)).toBe(false);
  });

  it('a cache made by another Node version is ignored: the process starts, and the cache is rewritten', async () => {
    const { file, header } = await childCache();
    await startAndStop();
    const data = readCodeCache(file, header) ?? Buffer.from('x');
    writeCodeCache(file, otherNode(header), data);
    await startAndStop();
    expect(readCodeCache(file, header)).toBeDefined();
  });
});
