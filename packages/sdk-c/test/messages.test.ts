import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMockHost, buildSanitizedExample, CLEAN_END, runScript } from './mock-host.js';
import { tempDir } from './toolchain.js';

let dir: { path: string } & AsyncDisposable;
let host: string;
const libraries: Record<string, string> = {};

beforeAll(async () => {
  dir = await tempDir('pi-messages-');
  host = await buildMockHost(dir.path);
  for (const id of ['echo', 'config-caller', 'history'])
    libraries[id] = await buildSanitizedExample(dir.path, id);
}, 60_000);

afterAll(async () => {
  await dir?.[Symbol.asyncDispose]();
});

const run = (id: string, script: string[], requireHistory = false) =>
  runScript(host, libraries[id]!, script, requireHistory);

describe('echo', () => {
  it('echoes, refuses "fail", answers "later" through host->reply and counts messages', async () => {
    const lines = await run('echo', ['msg hello', 'msg fail', 'msg later', 'await-replies 1', 'ui']);
    expect(lines).toEqual([
      'created 0',
      'reply 1 0 Echo: hello',
      'reply 2 -2 (none)',
      'error -2 echo refuses to echo fail',
      'reply 3 1 (none)',
      'async-reply 3 0 Echo (later): later',
      'frame',
      'heading Echo',
      'label Messages: 3',
      'end-frame 0',
      ...CLEAN_END,
    ]);
  });

  it('joins a pending "later" worker on destroy without calling the host again', async () => {
    const lines = await run('echo', ['msg later', 'destroy']);
    // On a loaded machine the 20 ms reply may come before destroy does; never after it.
    const early = lines.indexOf('async-reply 1 0 Echo (later): later');
    if (early >= 0) expect(early).toBeLessThan(lines.indexOf('destroyed'));
    expect(lines.filter((_, i) => i !== early)).toEqual(['created 0', 'reply 1 1 (none)', ...CLEAN_END]);
  });
});

describe('config-caller', () => {
  it('answers "config <key>" with the value or the host status', async () => {
    const lines = await run('config-caller', ['msg config theme', 'msg config secret']);
    expect(lines).toEqual([
      'created 0',
      'reply 1 0 dark',
      'reply 2 -5 (none)',
      'error -5 config secret failed: PERMISSION_DENIED',
      ...CLEAN_END,
    ]);
  });

  it('answers "call <plugin> <text>" later with the other plugin\'s reply or failure', async () => {
    const lines = await run('config-caller', [
      'msg call echo hi there',
      'await-replies 1',
      'msg call nobody x',
      'await-replies 2',
    ]);
    expect(lines).toEqual([
      'created 0',
      'reply 1 1 (none)',
      'async-reply 1 0 echo said: Echo: hi there',
      'reply 2 1 (none)',
      'async-reply 2 -4 call nobody failed: NOT_FOUND',
      ...CLEAN_END,
    ]);
  });

  it('reads the theme when "Read theme" is clicked', async () => {
    const lines = await run('config-caller', ['ui', 'click read-theme', 'ui']);
    expect(lines.filter((line) => line.startsWith('label'))).toEqual(['label Theme: dark']);
    expect(lines.filter((line) => line.startsWith('button'))).toEqual([
      'button read-theme "Read theme" flags=0',
      'button read-theme "Read theme" flags=0',
    ]);
  });
});

describe('history', () => {
  it('counts the messages of the last history, which may contain braces in strings', async () => {
    const history = '[{"role":"user","content":"x {\\"y\\": [1]}"},{"role":"plugin","content":"}"}]';
    const script = ['msg a', `history ${history}`, 'msg b', 'history-null', 'msg c', 'history []', 'msg d'];
    const lines = await run('history', script, true);
    expect(lines.filter((line) => line.startsWith('reply'))).toEqual([
      'reply 1 0 history has 0 messages',
      'reply 2 0 history has 2 messages',
      'reply 3 0 history has 0 messages',
      'reply 4 0 history has 0 messages',
    ]);
    expect(lines.slice(-3)).toEqual(CLEAN_END);
  });
});
