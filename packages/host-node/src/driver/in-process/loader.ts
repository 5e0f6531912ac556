import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { diffLayouts, type LayoutRow, layoutRows, abi as spec } from '@plugin-interfaces/spec';
import koffi, { type LibraryHandle } from 'koffi';
import { assertElfCompleteSync } from '../../discovery/elf-extent.js';
import { HostError, isHostError } from '../../errors.js';
import { ABI, abiTypes, type PiLayoutRecordValue, type PiPluginEntryValue } from '../../generated/abi.js';
import { EntryBit } from '../../generated/runtime.js';
import type { NativeRuntime } from '../../native/runtime.js';
import type { LibraryInfo, OptionalEntry } from '../types.js';
import { assertLoadableArch } from './arch.js';
import { describeLayoutDiff, readPackedDescriptor } from './layout-check.js';
import { makeShadowCopy, removeShadowCopy, sha256Of } from './shadow.js';

/** Bit of each optional entry in `pi_rt_vtable_entries`. */
export const ENTRY_BITS: ReadonlyArray<readonly [OptionalEntry, number]> = [
  ['on_mount', EntryBit.ON_MOUNT],
  ['on_dispose', EntryBit.ON_DISPOSE],
  ['on_connect', EntryBit.ON_CONNECT],
  ['on_disconnect', EntryBit.ON_DISCONNECT],
  ['update_ui', EntryBit.UPDATE_UI],
  ['handle_message', EntryBit.HANDLE_MESSAGE],
  ['set_history', EntryBit.SET_HISTORY],
  ['get_metadata', EntryBit.GET_METADATA],
  ['on_stream_control', EntryBit.ON_STREAM_CONTROL],
  ['apply_settings', EntryBit.APPLY_SETTINGS],
];

/** A library that passed every check, loaded from its shadow copy. */
export interface VerifiedLibrary {
  readonly info: LibraryInfo;
  readonly vtable: bigint;
  readonly handle: LibraryHandle;
  readonly shadowPath: string;
}

const MAX_LAYOUT_ROWS = 4096;
let expectedRows: LayoutRow[] | undefined;

/** Options of {@link loadPluginLibrary}. */
export interface LoadLibraryOptions {
  /**
   * SHA-256 (hex) the library must have (the config's `[checksums]` entry). It is checked on the
   * shadow copy, the bytes actually mapped, at every load: a file replaced after the scan is refused.
   */
  readonly sha256?: string | undefined;
}

function readHead(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Verify and load one plugin library: architecture check, a shadow copy (so a rebuilt file loads
 * fresh while the old one is still loaded) whose checksum is verified when one is expected, dlopen
 * of that copy, `pi_plugin_entry`, ABI major/minor,
 * fingerprint and the field-level layout descriptor, then the required vtable entries. Every
 * failure is a HostError with its own code; nothing of the plugin runs before the checks pass.
 */
export function loadPluginLibrary(
  path: string,
  rt: NativeRuntime,
  options: LoadLibraryOptions = {},
): VerifiedLibrary {
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
  } catch {
    throw new HostError('LIBRARY_NOT_FOUND', `The plugin library ${path} does not exist.`, {
      location: { file: path },
    });
  }
  assertLoadableArch(path, readHead(path));
  const shadowPath = makeShadowCopy(path);
  const expected = options.sha256?.toLowerCase();
  if (expected !== undefined) {
    const actual = sha256Of(shadowPath);
    if (actual !== expected) {
      removeShadowCopy(shadowPath);
      throw new HostError(
        'CHECKSUM_MISMATCH',
        `${path} has SHA-256 ${actual} at load time, but its config.toml [checksums] expects ${expected}. The file was replaced after the scan or is corrupt: reinstall the plugin or update the checksum.`,
        { location: { file: path }, detail: { expected, actual } },
      );
    }
  }
  let handle: LibraryHandle;
  try {
    assertElfCompleteSync(shadowPath);
  } catch (e) {
    removeShadowCopy(shadowPath);
    throw isHostError(e)
      ? new HostError(e.code, e.message.replace(shadowPath, path), { location: { file: path }, cause: e })
      : e;
  }
  try {
    handle = koffi.load(shadowPath);
  } catch (e) {
    removeShadowCopy(shadowPath);
    throw new HostError('LIBRARY_LOAD_FAILED', `${path} could not be loaded: ${(e as Error).message}`, {
      location: { file: path },
      cause: e,
    });
  }
  try {
    const checked = checkEntry(path, handle, rt);
    return { ...checked, handle, shadowPath };
  } catch (e) {
    handle.unload();
    removeShadowCopy(shadowPath);
    throw e;
  }
}

function fail(code: 'ENTRY_INVALID' | 'ENTRY_SYMBOL_MISSING', path: string, message: string): never {
  throw new HostError(code, `${path}: ${message}`, { location: { file: path } });
}

function checkEntry(
  path: string,
  handle: LibraryHandle,
  rt: NativeRuntime,
): Omit<VerifiedLibrary, 'handle' | 'shadowPath'> {
  const t = abiTypes();
  let entryFn: () => bigint | null;
  try {
    entryFn = handle.func(ABI.entrySymbol, 'void *', []) as () => bigint | null;
  } catch {
    fail(
      'ENTRY_SYMBOL_MISSING',
      path,
      `the library does not export ${ABI.entrySymbol}; declare it with PI_DECLARE_PLUGIN.`,
    );
  }
  const ptr = entryFn();
  if (!ptr) fail('ENTRY_INVALID', path, `${ABI.entrySymbol}() returned NULL.`);
  const structSize = koffi.decode(ptr, koffi.offsetof(t.PiPluginEntry, 'struct_size'), 'uint32_t') as number;
  if (structSize < koffi.sizeof(t.PiPluginEntry)) {
    expectedRows ??= layoutRows(spec);
    const packed = readPackedDescriptor(ptr, structSize, expectedRows, MAX_LAYOUT_ROWS);
    // Fields first: they say what moved (struct rows only say the size changed).
    const diffs = (packed === null ? [] : diffLayouts(expectedRows, packed)).sort(
      (a, b) => Number(!a.name.includes('.')) - Number(!b.name.includes('.')),
    );
    if (diffs.length > 0) {
      throw new HostError(
        'LAYOUT_MISMATCH',
        `${path} lays out the ABI structs differently from this host (PiPluginEntry.struct_size is ${structSize}, not ${koffi.sizeof(t.PiPluginEntry)}: the structs look packed, e.g. -fpack-struct or #pragma pack): ${describeLayoutDiff(diffs)}. Rebuild the plugin with the current headers and default packing.`,
        { location: { file: path }, detail: diffs },
      );
    }
    fail(
      'ENTRY_INVALID',
      path,
      `PiPluginEntry.struct_size is ${structSize}, smaller than ${koffi.sizeof(t.PiPluginEntry)}.`,
    );
  }
  const entry = koffi.decode(ptr, t.PiPluginEntry) as PiPluginEntryValue;
  const location = { file: path };
  if (entry.abi_major !== ABI.major) {
    throw new HostError(
      'ABI_MAJOR_MISMATCH',
      `${path} was built for ABI ${entry.abi_major}.${entry.abi_minor}; this host speaks ABI ${ABI.major}.x. Rebuild the plugin with the current SDK.`,
      { location, detail: { plugin: entry.abi_major, host: ABI.major } },
    );
  }
  if (entry.abi_minor > ABI.minor) {
    throw new HostError(
      'ABI_MINOR_TOO_NEW',
      `${path} needs ABI ${entry.abi_major}.${entry.abi_minor}; this host provides ${ABI.major}.${ABI.minor}. Update host-node.`,
      { location, detail: { plugin: entry.abi_minor, host: ABI.minor } },
    );
  }
  checkLayout(path, entry);
  const vt = entry.vtable as bigint | null;
  const mask = vt ? rt.vtableEntries(vt) : -1;
  if (!vt || mask < 0) fail('ENTRY_INVALID', path, 'PiPluginEntry.vtable is NULL.');
  const vtMajor = koffi.decode(vt, koffi.offsetof(t.PiPluginVTable, 'abi_major'), 'uint16_t') as number;
  if (vtMajor !== ABI.major)
    fail('ENTRY_INVALID', path, `PiPluginVTable.abi_major is ${vtMajor}, expected ${ABI.major}.`);
  const missing = (
    [
      ['create', EntryBit.CREATE],
      ['destroy', EntryBit.DESTROY],
      ['free_string', EntryBit.FREE_STRING],
    ] as const
  ).filter(([, bit]) => (mask & bit) === 0);
  if (missing.length > 0) {
    fail('ENTRY_INVALID', path, `required vtable entries are NULL: ${missing.map(([n]) => n).join(', ')}.`);
  }
  const entries = new Set<OptionalEntry>(ENTRY_BITS.filter(([, bit]) => (mask & bit) !== 0).map(([n]) => n));
  const info: LibraryInfo = {
    path,
    abiMajor: entry.abi_major,
    abiMinor: entry.abi_minor,
    fingerprint: entry.abi_fingerprint ?? '',
    sdk: entry.sdk ?? 'unknown',
    entries,
  };
  return { info, vtable: vt };
}

function checkLayout(path: string, entry: PiPluginEntryValue): void {
  const t = abiTypes();
  const count = entry.layout_count;
  const ptr = entry.layout as bigint | null;
  if (count > MAX_LAYOUT_ROWS || (count > 0 && !ptr)) {
    fail('ENTRY_INVALID', path, `the layout descriptor is malformed (${count} rows at ${ptr ?? 'NULL'}).`);
  }
  const raw = (count > 0 && ptr ? koffi.decode(ptr, t.PiLayoutRecord, count) : []) as PiLayoutRecordValue[];
  const actual: LayoutRow[] = raw.map((r, i) => {
    if (r.name === null) fail('ENTRY_INVALID', path, `layout row ${i} has no name.`);
    return { name: r.name, size: r.size, align: r.align, offset: r.offset };
  });
  expectedRows ??= layoutRows(spec);
  let diffs = diffLayouts(expectedRows, actual);
  // An older minor only knows a prefix of today's tables: rows it lacks are not differences.
  if (entry.abi_minor < ABI.minor) diffs = diffs.filter((d) => d.actual !== null);
  if (diffs.length > 0) {
    throw new HostError(
      'LAYOUT_MISMATCH',
      `${path} lays out the ABI structs differently from this host: ${describeLayoutDiff(diffs)}. Rebuild the plugin with the current headers and default packing.`,
      { location: { file: path }, detail: diffs },
    );
  }
  if (entry.abi_minor === ABI.minor && entry.abi_fingerprint !== ABI.fingerprint) {
    throw new HostError(
      'LAYOUT_MISMATCH',
      `${path} carries ABI fingerprint "${entry.abi_fingerprint}", this host "${ABI.fingerprint}" (same ABI ${ABI.major}.${ABI.minor}): the headers differ. Rebuild with the current SDK.`,
      { location: { file: path }, detail: { plugin: entry.abi_fingerprint, host: ABI.fingerprint } },
    );
  }
}
