import koffi from 'koffi';
import { ABI, abiTypes } from '../../generated/abi.js';
import type { NativeRuntime } from '../../native/runtime.js';
import type { InstanceMetadata } from '../types.js';

/**
 * Build a PiPluginMetadata in host memory for one create call. Strings are copied into native
 * memory that stays alive until `free()` is called after create returns.
 */
export function buildMetadata(
  rt: NativeRuntime,
  meta: InstanceMetadata,
): { buffer: Uint8Array; free(): void } {
  const t = abiTypes().PiPluginMetadata;
  const buffer = new Uint8Array(koffi.sizeof(t));
  const view = new DataView(buffer.buffer);
  const owned: bigint[] = [];
  const put = (field: string, value: string | null) => {
    const p = value === null ? 0n : (rt.strdup(value) ?? 0n);
    if (p !== 0n) owned.push(p);
    view.setBigUint64(koffi.offsetof(t, field), p, true);
  };
  view.setUint32(koffi.offsetof(t, 'struct_size'), buffer.length, true);
  view.setUint16(koffi.offsetof(t, 'abi_major'), ABI.major, true);
  view.setUint16(koffi.offsetof(t, 'abi_minor'), ABI.minor, true);
  put('id', meta.id);
  put('name', meta.name);
  put('description', meta.description);
  put('version', meta.version);
  put('author', meta.author);
  put('plugin_dir', meta.pluginDir);
  put('library_path', meta.libraryPath);
  put('config_path', meta.configPath);
  put('instance_id', meta.instanceId);
  put('settings_json', meta.settingsJson);
  view.setUint8(koffi.offsetof(t, 'require_history'), meta.requireHistory ? 1 : 0);
  return {
    buffer,
    free: () => {
      for (const p of owned) rt.free(p);
    },
  };
}
