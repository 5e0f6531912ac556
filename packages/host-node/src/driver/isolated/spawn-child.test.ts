import { describe, expect, it } from 'vitest';
import { childNodeOptions } from './spawn-child.js';

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
