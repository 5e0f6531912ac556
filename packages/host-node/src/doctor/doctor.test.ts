import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFixture } from '../../test/support/compile.js';
import { pluginFolder, sha256Of } from '../../test/support/plugin-folders.js';
import { main } from './cli.js';
import { runDoctor } from './doctor.js';
import { formatReport } from './format-report.js';
import type { DoctorReport } from './types.js';

let root: string;
let lib: Record<'healthy' | 'fault' | 'noEntry' | 'wrongAbi' | 'packed', string>;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pi-doctor-'));
  const out = (n: string) => join(root, `${n}.so`);
  compileFixture(out('healthy'), 'healthy.c');
  compileFixture(out('fault'), 'fault.c');
  compileFixture(out('noEntry'), 'broken.c', ['-DVARIANT=3']);
  compileFixture(out('wrongAbi'), 'broken.c', ['-DVARIANT=1']);
  // Packed structs with the header's layout asserts compiled out: what an author gets from -fpack-struct=1.
  compileFixture(out('packed'), 'healthy.c', ['-fpack-struct=1', '-D_Static_assert(c,m)=']);
  lib = {
    healthy: out('healthy'),
    fault: out('fault'),
    noEntry: out('noEntry'),
    wrongAbi: out('wrongAbi'),
    packed: out('packed'),
  };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const statusOf = (r: DoctorReport) => Object.fromEntries(r.checks.map((c) => [c.check, c.status]));
const check = (r: DoctorReport, name: string) => r.checks.find((c) => c.check === name);

describe('pi-doctor', () => {
  it('passes a good folder: every static check, then create, mount, a frame, a message and dispose in a child', async () => {
    const dir = pluginFolder(
      root,
      'good',
      lib.healthy,
      `[checksums]\nlinux-${process.arch} = "${sha256Of(lib.healthy)}"`,
    );
    const report = await runDoctor(dir);
    expect(statusOf(report)).toEqual({
      config: 'pass',
      library: 'pass',
      architecture: 'pass',
      checksum: 'pass',
      permissions: 'pass',
      settings: 'pass',
      entry: 'pass',
      abi: 'pass',
      layout: 'pass',
      lifecycle: 'pass',
    });
    expect(report.ok).toBe(true);
    expect(check(report, 'lifecycle')?.detail).toMatch(
      /^create → on_mount → update_ui .* → on_connect → handle_message → on_disconnect → on_dispose → destroy$/,
    );
    expect(await main([dir])).toBe(0);
  });

  it('warns about a misspelt key with did-you-mean and its line, without failing', async () => {
    const report = await runDoctor(pluginFolder(root, 'typo', lib.healthy, 'require_histroy = true'));
    expect(check(report, 'config')).toMatchObject({ status: 'warn' });
    expect(check(report, 'config')?.detail).toBe(
      'line 6: plugin.require_histroy: unknown key, ignored by the host (did you mean "require_history"?)',
    );
    expect(report.ok).toBe(true);
  });

  it('fails a config that does not match the schema and skips the rest', async () => {
    const dir = pluginFolder(root, 'badconfig', lib.healthy);
    writeFileSync(join(dir, 'config.toml'), '[plugin]\nid = "badconfig"\nname = "x"\ndescription = ""\n');
    const report = await runDoctor(dir);
    expect(check(report, 'config')).toMatchObject({ status: 'fail', code: 'CONFIG_INVALID' });
    expect(report.checks.filter((c) => c.status === 'skip')).toHaveLength(9);
    expect(report.ok).toBe(false);
  });

  it('fails a folder without its library, listing where it looked', async () => {
    const report = await runDoctor(pluginFolder(root, 'nolib', null));
    expect(check(report, 'library')).toMatchObject({ status: 'fail', code: 'LIBRARY_NOT_FOUND' });
    expect(check(report, 'library')?.detail).toContain('libnolib.so');
  });

  it('fails a library built for another architecture', async () => {
    const dir = pluginFolder(root, 'arm', null);
    const elf = Buffer.alloc(64);
    elf.writeUInt32BE(0x7f454c46, 0);
    elf[4] = 2;
    elf[5] = 1;
    elf.writeUInt16LE(process.arch === 'arm64' ? 62 : 183, 18);
    writeFileSync(join(dir, 'libarm.so'), elf);
    const report = await runDoctor(dir);
    expect(check(report, 'architecture')).toMatchObject({ status: 'fail', code: 'LIBRARY_LOAD_FAILED' });
    expect(check(report, 'architecture')?.detail).toMatch(/was built for (arm64|x64)/);
  });

  it('fails a library whose checksum differs from [checksums]', async () => {
    const report = await runDoctor(
      pluginFolder(root, 'sum', lib.healthy, `[checksums]\nlinux = "${'0'.repeat(64)}"`),
    );
    expect(check(report, 'checksum')).toMatchObject({ status: 'fail', code: 'CHECKSUM_MISMATCH' });
  });

  it('fails permissions that name no plugin', async () => {
    const report = await runDoctor(
      pluginFolder(root, 'perm', lib.healthy, '[permissions]\ncall_plugins = ["Not An Id"]'),
    );
    expect(check(report, 'permissions')).toMatchObject({ status: 'fail' });
    expect(check(report, 'permissions')?.detail).toContain('"Not An Id" is not a plugin id');
  });

  it('fails a setting whose default breaks its own declaration', async () => {
    const report = await runDoctor(
      pluginFolder(
        root,
        'settings',
        lib.healthy,
        '[settings.model]\ntype = "select"\noptions = ["a", "b"]\ndefault = "c"',
      ),
    );
    expect(check(report, 'settings')).toMatchObject({ status: 'fail', code: 'SETTINGS_INVALID' });
  });

  it('fails a library without the entry symbol, in a child process', async () => {
    const report = await runDoctor(pluginFolder(root, 'noentry', lib.noEntry));
    expect(check(report, 'entry')).toMatchObject({ status: 'fail', code: 'ENTRY_SYMBOL_MISSING' });
    expect([check(report, 'abi')?.status, check(report, 'lifecycle')?.status]).toEqual(['skip', 'skip']);
  });

  it('fails a library built for another ABI major', async () => {
    const report = await runDoctor(pluginFolder(root, 'wrongabi', lib.wrongAbi));
    expect(statusOf(report)).toMatchObject({ entry: 'pass', abi: 'fail', layout: 'skip' });
    expect(check(report, 'abi')?.code).toBe('ABI_MAJOR_MISMATCH');
  });

  it('fails a library built with packed structs, with the field-level layout diff', async () => {
    const report = await runDoctor(pluginFolder(root, 'packed', lib.packed));
    expect(statusOf(report)).toMatchObject({ entry: 'pass', abi: 'pass', layout: 'fail' });
    expect(check(report, 'layout')?.code).toBe('LAYOUT_MISMATCH');
    expect(check(report, 'layout')?.detail).toContain(
      'PiPluginEntry.vtable: offset 36 in the plugin, 40 in the host',
    );
    expect(check(report, 'layout')?.detail).toContain(
      'PiLayoutRecord: size 20 in the plugin, 24 in the host',
    );
  });

  it('fails the lifecycle smoke test of a plugin that aborts in on_mount, naming the step, and the doctor survives', async () => {
    const settings =
      '[settings.at]\ntype = "string"\ndefault = "on_mount"\n[settings.do]\ntype = "string"\ndefault = "abort"';
    const report = await runDoctor(pluginFolder(root, 'aborts', lib.fault, settings));
    expect(check(report, 'lifecycle')).toMatchObject({ status: 'fail', code: 'PLUGIN_CRASHED' });
    expect(check(report, 'lifecycle')?.detail).toMatch(/^on_mount failed: .*SIGABRT.*\(passed: create\)/);
    expect(formatReport(report)).toMatch(/FAILED: lifecycle\n$/);
  });

  it('is a bin: `pi-doctor <folder>` prints the report and exits 1 on a failure, 2 on bad usage', () => {
    const bin = join(import.meta.dirname, '../../bin/pi-doctor.mjs');
    const bad = spawnSync(process.execPath, [bin, join(root, 'noentry'), '--no-smoke'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/FAIL {2}entry .*\[ENTRY_SYMBOL_MISSING\]/);
    expect(spawnSync(process.execPath, [bin], { encoding: 'utf8' }).status).toBe(2);
  }, 30_000);
});
