import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the public index', () => {
  it('exports only values the README documents', () => {
    const undocumented = Object.keys(api).filter((name) => !readme.includes(`\`${name}`));
    expect(undocumented).toEqual([]);
  });

  it('does not export internals (native runtime, recorder, driver instances, IPC, process helpers)', () => {
    const internals = [
      'UiRecorder',
      'InProcessInstance',
      'InProcessLibrary',
      'loadNativeRuntime',
      'buildNativeRuntime',
      'locateNativeRuntime',
      'readRssBytes',
      'HostEmitter',
      'PROTOCOL_VERSION',
      'CrashWindow',
      'loadPluginLibrary',
      'shadowDir',
      'withFolderLock',
    ];
    expect(internals.filter((name) => name in api)).toEqual([]);
  });
});
