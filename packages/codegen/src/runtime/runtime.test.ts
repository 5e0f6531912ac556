import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runtimeAbi } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { renderRuntimeHeader } from './c-header.js';
import { renderRuntimeTs } from './ts.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

describe('runtime ABI generators', () => {
  it('emit a C header that compiles and whose layout asserts hold', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pi-rt-header-'));
    try {
      writeFileSync(join(dir, 'pi_host_rt_abi.h'), renderRuntimeHeader(runtimeAbi));
      writeFileSync(
        join(dir, 'main.c'),
        '#include "pi_host_rt_abi.h"\nint main(void) { return PI_RT_VERSION == 0; }\n',
      );
      const r = spawnSync(
        process.env.CC ?? 'cc',
        [
          '-std=c11',
          '-Wall',
          '-Werror',
          '-I',
          dir,
          '-I',
          join(root, 'packages/sdk-c/include'),
          '-fsyntax-only',
          join(dir, 'main.c'),
        ],
        { encoding: 'utf8' },
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('declare every exported function in TypeScript with its C name', () => {
    const ts = renderRuntimeTs(runtimeAbi);
    for (const f of runtimeAbi.functions) expect(ts).toContain(`lib.func('${f.name}',`);
    expect(ts).toContain(`export const RT_VERSION = ${runtimeAbi.version};`);
  });
});
