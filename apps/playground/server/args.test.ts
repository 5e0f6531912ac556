import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.js';

describe('playground arguments', () => {
  it('defaults to port 5173, production page, isolated plugins and Rust examples', () => {
    expect(parseArgs([], {})).toEqual({
      port: 5173,
      dev: false,
      isolated: true,
      rust: true,
      pluginDirs: [],
      fresh: false,
      watch: true,
    });
  });

  it('takes the port from PORT, and --port wins', () => {
    expect(parseArgs([], { PORT: '8080' }).port).toBe(8080);
    expect(parseArgs(['--port', '9000'], { PORT: '8080' }).port).toBe(9000);
    expect(parseArgs(['--port=0'], {}).port).toBe(0);
  });

  it('reads the flags and ignores the "--" pnpm passes through', () => {
    expect(parseArgs(['--', '--dev', '--in-process', '--no-rust'], {})).toEqual({
      port: 5173,
      dev: true,
      isolated: false,
      rust: false,
      pluginDirs: [],
      fresh: false,
      watch: true,
    });
    expect(parseArgs(['--isolated'], {}).isolated).toBe(true);
  });

  it('refuses unknown arguments and bad ports with the usage text', () => {
    expect(() => parseArgs(['--bogus'], {})).toThrow(/Unknown argument "--bogus"[\s\S]*Usage/);
    expect(() => parseArgs(['--port', 'x'], {})).toThrow(/Bad port/);
    expect(() => parseArgs(['--port', '70000'], {})).toThrow(/Bad port/);
  });

  it('takes extra plugin folders (repeatable, resolved against the working folder) and --fresh', () => {
    const o = parseArgs(['--plugins', 'mine', '--plugins=/abs/other', '--fresh'], {}, '/work');
    expect(o.pluginDirs).toEqual(['/work/mine', '/abs/other']);
    expect(o.fresh).toBe(true);
    expect(parseArgs(['--no-watch'], {}).watch).toBe(false);
    expect(() => parseArgs(['--plugins'], {})).toThrow(/--plugins needs a folder/);
  });
});
