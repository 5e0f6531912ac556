import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import koffi from 'koffi';
import { afterAll, describe, expect, it } from 'vitest';
import { isHostError } from '../errors.js';
import { RT_VERSION } from '../generated/runtime.js';
import { bindCheckedRuntime, loadNativeRuntime } from './runtime.js';

const dir = mkdtempSync(join(tmpdir(), 'pi-rt-version-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A shared library exporting only `pi_rt_version` returning `version`. */
function fakeRuntime(version: number): string {
  const src = join(dir, `v${version}.c`);
  const out = join(dir, `v${version}.so`);
  writeFileSync(src, `int pi_rt_version(void) { return ${version}; }\n`);
  const r = spawnSync(process.env.CC ?? 'cc', ['-shared', '-fPIC', '-o', out, src], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return out;
}

describe('native runtime version check', () => {
  it('loads the runtime of this build and reports its runtime ABI version', () => {
    const rt = loadNativeRuntime();
    expect(rt.version()).toBe(RT_VERSION);
  });

  it.skipIf(process.platform === 'win32')(
    'refuses a runtime library of another runtime ABI version with NATIVE_RUNTIME_MISMATCH',
    () => {
      const path = fakeRuntime(RT_VERSION + 1);
      let caught: unknown;
      try {
        bindCheckedRuntime(koffi.load(path), path);
      } catch (e) {
        caught = e;
      }
      expect(isHostError(caught) && caught.code).toBe('NATIVE_RUNTIME_MISMATCH');
      expect((caught as Error).message).toContain(`speaks runtime ABI ${RT_VERSION + 1}`);
    },
  );
});
