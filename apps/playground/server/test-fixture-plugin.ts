import { spawnSync } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'test-fixtures', 'dispose-recorder');

/**
 * Compile the `dispose-recorder` test plugin (it echoes messages and records its lifecycle in
 * `$PI_LIFECYCLE_LOG`) into `<pluginsDir>/dispose-recorder/`. Returns the plugin id.
 */
export async function buildRecorderPlugin(pluginsDir: string): Promise<string> {
  const dir = join(pluginsDir, 'dispose-recorder');
  await mkdir(dir, { recursive: true });
  await copyFile(join(fixture, 'config.toml'), join(dir, 'config.toml'));
  compileRecorder(join(dir, 'libdispose-recorder.so'));
  return 'dispose-recorder';
}

/** Compile the `dispose-recorder` library into `out`; `-DMOUNT_FAILS` builds one whose on_mount fails. */
export function compileRecorder(out: string, flags: readonly string[] = []): string {
  const include = join(
    dirname(createRequire(import.meta.url).resolve('@plugin-interfaces/sdk-c/package.json')),
    'include',
  );
  const cc = spawnSync(
    process.env.CC ?? 'cc',
    ['-std=c11', '-shared', '-fPIC', '-I', include, ...flags, '-o', out, join(fixture, 'dispose-recorder.c')],
    { encoding: 'utf8' },
  );
  if (cc.status !== 0) throw new Error(`compiling the test plugin failed: ${cc.stderr || String(cc.error)}`);
  return out;
}
