import { describe, expect, it } from 'vitest';
import { spawnRetrying } from './connection.js';
import { childEnv, childNodeOptions } from './spawn-child.js';

describe('NODE_OPTIONS of a plugin process', () => {
  it('drops module loaders in both spellings and keeps every other option', () => {
    expect(
      childNodeOptions('--import tsx --max-old-space-size=4096 --require=./hook.cjs -r x --use-openssl-ca'),
    ).toBe('--max-old-space-size=4096 --use-openssl-ca');
    expect(childNodeOptions('--loader ts-node/esm --experimental-loader="a b.mjs" --trace-warnings')).toBe(
      '--trace-warnings',
    );
  });

  it('is left out when nothing remains', () => {
    expect(childNodeOptions('--import tsx')).toBeUndefined();
    expect(childNodeOptions(undefined)).toBeUndefined();
  });
});

describe('childEnv', () => {
  it('passes the environment on without NODE_EXTRA_CA_CERTS and without module loaders', () => {
    const env = childEnv({
      PATH: '/usr/bin',
      NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
      NODE_OPTIONS: '--import tsx --trace-warnings',
      PLUGIN_SETTING: 'kept',
    });
    expect(env).toEqual({ PATH: '/usr/bin', NODE_OPTIONS: '--trace-warnings', PLUGIN_SETTING: 'kept' });
    expect(childEnv({ NODE_OPTIONS: '-r x' })).toEqual({});
  });
});

describe('spawnRetrying', () => {
  it('tries again when the system refuses a process, and gives a typed error after the last try', async () => {
    let calls = 0;
    const flaky = () => {
      calls++;
      if (calls < 3) throw new Error('spawn UNKNOWN');
      return 'child';
    };
    await expect(spawnRetrying(flaky)).resolves.toBe('child');
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      spawnRetrying(() => {
        calls++;
        throw new Error('spawn EAGAIN');
      }),
    ).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/refused .* 3 times: spawn EAGAIN/),
    });
    expect(calls).toBe(3);
  });
});
