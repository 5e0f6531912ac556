import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { HostError } from '../errors.js';

const PT_LOAD = 1;

/** The fields of an ELF header that say where the rest of the file lies. */
export interface ElfLayout {
  readonly is64: boolean;
  readonly le: boolean;
  readonly phoff: number;
  readonly phentsize: number;
  readonly phnum: number;
  readonly shoff: number;
  readonly shentsize: number;
  readonly shnum: number;
}

/** A byte range a file should hold but does not. */
export interface MissingRange {
  readonly what: string;
  readonly from: number;
  readonly to: number;
}

/** Parse the ELF header at the start of `head` (64 bytes wanted); undefined when it is not ELF. */
export function elfLayout(head: Uint8Array): ElfLayout | undefined {
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (head.length < 52 || v.getUint32(0, false) !== 0x7f454c46) return undefined;
  const is64 = head[4] === 2;
  if (is64 && head.length < 64) return undefined;
  const le = head[5] !== 2;
  const num = (at: number) => (is64 ? Number(v.getBigUint64(at, le)) : v.getUint32(at, le));
  return {
    is64,
    le,
    phoff: num(is64 ? 32 : 28),
    shoff: num(is64 ? 40 : 32),
    phentsize: v.getUint16(is64 ? 54 : 42, le),
    phnum: v.getUint16(is64 ? 56 : 44, le),
    shentsize: v.getUint16(is64 ? 58 : 46, le),
    shnum: v.getUint16(is64 ? 60 : 48, le),
  };
}

/** The header tables of `elf` that lie past `size`, if any. */
export function missingTables(elf: ElfLayout, size: number): MissingRange | undefined {
  const phEnd = elf.phoff + elf.phentsize * elf.phnum;
  if (phEnd > size) return { what: 'the program headers', from: elf.phoff, to: phEnd };
  const shEnd = elf.shoff + elf.shentsize * elf.shnum;
  if (elf.shoff !== 0 && shEnd > size) return { what: 'the section headers', from: elf.shoff, to: shEnd };
  return undefined;
}

/** The first loadable segment described by the program header `table` that lies past `size`. */
export function missingSegment(elf: ElfLayout, table: Uint8Array, size: number): MissingRange | undefined {
  const t = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const entry = elf.is64 ? 40 : 20;
  for (let i = 0; i < elf.phnum && (i + 1) * elf.phentsize <= table.length; i++) {
    const at = i * elf.phentsize;
    if (elf.phentsize < entry || t.getUint32(at, elf.le) !== PT_LOAD) continue;
    const offset = elf.is64 ? Number(t.getBigUint64(at + 8, elf.le)) : t.getUint32(at + 4, elf.le);
    const filesz = elf.is64 ? Number(t.getBigUint64(at + 32, elf.le)) : t.getUint32(at + 16, elf.le);
    if (offset + filesz > size) return { what: `loadable segment ${i}`, from: offset, to: offset + filesz };
  }
  return undefined;
}

/**
 * Refuse an ELF library whose header tables or loadable segments extend past the end of the file
 * (a truncated build or download) with `LIBRARY_LOAD_FAILED`: the dynamic loader maps such a file
 * and its first touch of the missing pages is a SIGBUS that ends the whole process (the host, in
 * in-process mode). Files that are not ELF pass; the loader's format checks handle them.
 */
export async function assertElfComplete(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const elf = elfLayout(head.subarray(0, bytesRead));
    if (elf === undefined) return;
    let missing = missingTables(elf, size);
    if (missing === undefined) {
      const table = Buffer.alloc(elf.phentsize * elf.phnum);
      await handle.read(table, 0, table.length, elf.phoff);
      missing = missingSegment(elf, table, size);
    }
    if (missing !== undefined) throw truncated(file, size, missing);
  } finally {
    await handle.close();
  }
}

/**
 * `assertElfComplete`, synchronously: the in-process loader runs it on the shadow copy it is about
 * to map, so a file truncated after the scan is refused instead of ending the host with SIGBUS.
 */
export function assertElfCompleteSync(file: string): void {
  const fd = openSync(file, 'r');
  try {
    const { size } = fstatSync(fd);
    const head = Buffer.alloc(64);
    const elf = elfLayout(head.subarray(0, readSync(fd, head, 0, head.length, 0)));
    if (elf === undefined) return;
    let missing = missingTables(elf, size);
    if (missing === undefined) {
      const table = Buffer.alloc(elf.phentsize * elf.phnum);
      readSync(fd, table, 0, table.length, elf.phoff);
      missing = missingSegment(elf, table, size);
    }
    if (missing !== undefined) throw truncated(file, size, missing);
  } finally {
    closeSync(fd);
  }
}

function truncated(file: string, size: number, missing: MissingRange): HostError {
  return new HostError(
    'LIBRARY_LOAD_FAILED',
    `${file} is truncated: ${missing.what} (bytes ${missing.from}–${missing.to}) lie past its end (${size} bytes). ` +
      'Rebuild the plugin or download it again.',
    { location: { file }, detail: { size, missing } },
  );
}
