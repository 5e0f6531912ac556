import { HostError } from '../../errors.js';

const ELF_MACHINES: Record<number, string> = {
  3: 'ia32',
  8: 'mips',
  20: 'ppc',
  21: 'ppc64',
  22: 's390x',
  40: 'arm',
  62: 'x64',
  183: 'arm64',
  243: 'riscv64',
  258: 'loong64',
};
const MACHO_CPUS: Record<number, string> = { 16777223: 'x64', 16777228: 'arm64', 7: 'ia32', 12: 'arm' };
const PE_MACHINES: Record<number, string> = { 34404: 'x64', 43620: 'arm64', 332: 'ia32', 452: 'arm' };

/** The container format and CPU architecture a library file was built for. */
export interface LibraryArch {
  readonly format: 'elf' | 'mach-o' | 'pe' | 'unknown';
  /** Node's `process.arch` naming, `unknown (0x..)` when not recognised, `universal` for fat Mach-O. */
  readonly arch: string;
}

/** Read the format and architecture from the first bytes of a file (at least 64 wanted). */
export function detectArch(head: Uint8Array): LibraryArch {
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (head.length >= 20 && v.getUint32(0, false) === 0x7f454c46) {
    const le = head[5] !== 2;
    const m = v.getUint16(18, le);
    return { format: 'elf', arch: ELF_MACHINES[m] ?? `unknown (e_machine 0x${m.toString(16)})` };
  }
  if (head.length >= 8) {
    const magic = v.getUint32(0, false);
    if (magic === 0xcafebabe) return { format: 'mach-o', arch: 'universal' };
    if (magic === 0xcffaedfe || magic === 0xcefaedfe) {
      const cpu = v.getUint32(4, true);
      return { format: 'mach-o', arch: MACHO_CPUS[cpu] ?? `unknown (cputype 0x${cpu.toString(16)})` };
    }
  }
  if (head.length >= 64 && head[0] === 0x4d && head[1] === 0x5a) {
    const pe = v.getUint32(0x3c, true);
    if (pe + 6 <= head.length && v.getUint32(pe, false) === 0x50450000) {
      const m = v.getUint16(pe + 4, true);
      return { format: 'pe', arch: PE_MACHINES[m] ?? `unknown (machine 0x${m.toString(16)})` };
    }
    return { format: 'pe', arch: 'unknown' };
  }
  return { format: 'unknown', arch: 'unknown' };
}

const NATIVE_FORMAT: Record<string, LibraryArch['format']> = { linux: 'elf', darwin: 'mach-o', win32: 'pe' };

/**
 * Refuse a file that cannot be a loadable library for this process before dlopen sees it:
 * wrong container format for the OS or another CPU architecture → `LIBRARY_LOAD_FAILED`.
 */
export function assertLoadableArch(file: string, head: Uint8Array): LibraryArch {
  const found = detectArch(head);
  const want = NATIVE_FORMAT[process.platform] ?? 'elf';
  if (found.format === 'unknown') {
    throw new HostError(
      'LIBRARY_LOAD_FAILED',
      `${file} is not a shared library (no ELF, Mach-O or PE header); build the plugin as a shared library for ${process.platform}-${process.arch}.`,
      { location: { file }, detail: { found } },
    );
  }
  if (found.format !== want) {
    throw new HostError(
      'LIBRARY_LOAD_FAILED',
      `${file} is a ${found.format} library (${found.arch}); this host runs ${process.platform}-${process.arch} and needs ${want}.`,
      { location: { file }, detail: { found } },
    );
  }
  if (found.arch !== process.arch && found.arch !== 'universal' && found.format !== 'pe') {
    throw new HostError(
      'LIBRARY_LOAD_FAILED',
      `${file} was built for ${found.arch}; this host runs ${process.arch}. Rebuild the plugin for ${process.platform}-${process.arch}.`,
      { location: { file }, detail: { found } },
    );
  }
  return found;
}
