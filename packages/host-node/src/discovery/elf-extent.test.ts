import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { isHostError } from '../errors.js';
import { assertElfComplete } from './elf-extent.js';

const dir = mkdtempSync(join(tmpdir(), 'pi-elf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const good = inject('nativeFixtures').good ?? '';

async function verdict(bytes: Uint8Array): Promise<string> {
  const file = join(dir, `lib-${Math.random().toString(36).slice(2)}.so`);
  writeFileSync(file, bytes);
  try {
    await assertElfComplete(file);
    return 'ok';
  } catch (e) {
    if (!isHostError(e, 'LIBRARY_LOAD_FAILED')) throw e;
    return e.message;
  }
}

describe('assertElfComplete', () => {
  it('passes a complete library', async () => {
    expect(await verdict(readFileSync(good))).toBe('ok');
  });

  it('refuses a library cut after its headers, naming what is missing (dlopen would SIGBUS)', async () => {
    const whole = readFileSync(good);
    expect(await verdict(whole.subarray(0, 600))).toMatch(
      /is truncated: the (section|program) headers \(bytes \d+–\d+\)/,
    );
  });

  it('refuses a library cut inside a loadable segment', async () => {
    const whole = readFileSync(good);
    // A quarter of the file with e_shoff cleared: the headers are whole, a segment is not.
    const cut = Buffer.from(whole.subarray(0, Math.floor(whole.length / 4)));
    cut.writeBigUInt64LE(0n, 40);
    expect(await verdict(cut)).toMatch(
      /is truncated: loadable segment \d+ \(bytes \d+–\d+\) lie past its end/,
    );
  });

  it('leaves files that are not ELF to the loader', async () => {
    expect(await verdict(Buffer.from('just text'))).toBe('ok');
    expect(await verdict(Buffer.alloc(0))).toBe('ok');
  });
});
