import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildExamples } from '../scripts/build-examples.mjs';

const MINGW = 'x86_64-w64-mingw32-gcc';
const hasMingw = spawnSync(MINGW, ['--version'], { stdio: 'ignore' }).status === 0;
const out = mkdtempSync(join(tmpdir(), 'pi-mingw-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Names in the export directory of a PE32+ DLL, read from its bytes. */
function exportedNames(dll: Buffer): string[] {
  const pe = dll.readUInt32LE(0x3c);
  const sections = dll.readUInt16LE(pe + 6);
  const optSize = dll.readUInt16LE(pe + 20);
  const opt = pe + 24;
  const exportRva = dll.readUInt32LE(opt + 112);
  const table = opt + optSize;
  const toOffset = (rva: number): number => {
    for (let i = 0; i < sections; i++) {
      const s = table + i * 40;
      const va = dll.readUInt32LE(s + 12);
      const size = Math.max(dll.readUInt32LE(s + 8), dll.readUInt32LE(s + 16));
      if (rva >= va && rva < va + size) return rva - va + dll.readUInt32LE(s + 20);
    }
    throw new Error(`RVA ${rva} is in no section`);
  };
  const dir = toOffset(exportRva);
  const count = dll.readUInt32LE(dir + 24);
  const names = toOffset(dll.readUInt32LE(dir + 32));
  return Array.from({ length: count }, (_, i) => {
    const at = toOffset(dll.readUInt32LE(names + i * 4));
    return dll.toString('latin1', at, dll.indexOf(0, at));
  });
}

function importedDlls(dll: Buffer): string[] {
  const text = dll.toString('latin1');
  return [...new Set(text.match(/[A-Za-z0-9_-]+\.dll/gi) ?? [])].map((n) => n.toLowerCase()).sort();
}

describe.skipIf(!hasMingw)('example plugins built as Windows DLLs with MinGW-w64', () => {
  it('export exactly pi_plugin_entry (PI_EXPORT is __declspec(dllexport)) and need only system DLLs', async () => {
    const built = await buildExamples({
      outDir: out,
      platform: 'win32',
      cc: MINGW,
      examples: ['echo', 'streamer'],
    });
    expect(built.map((b) => b.library.endsWith('.dll'))).toEqual([true, true]);
    for (const b of built) {
      const dll = readFileSync(b.library);
      expect(exportedNames(dll)).toEqual(['pi_plugin_entry']);
      expect(
        importedDlls(dll).filter((n) => !['kernel32.dll', 'msvcrt.dll'].includes(n) && n !== `${b.id}.dll`),
      ).toEqual([]);
    }
  });
});
