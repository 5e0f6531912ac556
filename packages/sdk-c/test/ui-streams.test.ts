import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMockHost, buildSanitizedExample, CLEAN_END, runScript } from './mock-host.js';
import { tempDir } from './toolchain.js';

let dir: { path: string } & AsyncDisposable;
let host: string;
const libraries: Record<string, string> = {};

beforeAll(async () => {
  dir = await tempDir('pi-ui-streams-');
  host = await buildMockHost(dir.path);
  for (const id of ['ui-demo', 'streamer']) libraries[id] = await buildSanitizedExample(dir.path, id);
}, 60_000);

afterAll(async () => {
  await dir?.[Symbol.asyncDispose]();
});

const run = (id: string, script: string[]) => runScript(host, libraries[id]!, script);

/** The lines of the n-th UI frame (0-based) in a mock-host transcript. */
function frame(lines: string[], n: number): string[] {
  const starts = lines.flatMap((line, index) => (line === 'frame' ? [index] : []));
  const start = starts[n]!;
  return lines.slice(start + 1, lines.indexOf('end-frame 0', start));
}

const chunksOf = (lines: string[], stream: number) =>
  lines
    .filter((line) => line.startsWith(`stream-data ${stream} `))
    .map((line) => line.slice(`stream-data ${stream} `.length));

const counting = (n: number) => Array.from({ length: n }, (_, i) => `chunk ${i + 1}\\n`);

describe('ui-demo', () => {
  it('declares every widget with stable ids', async () => {
    const lines = await run('ui-demo', ['ui']);
    expect(frame(lines, 0)).toEqual([
      'heading UI demo',
      'button increment "Increment" flags=0',
      'label Count: 0',
      'text_edit name value="" hint="Your name" flags=0',
      'label Hello, stranger!',
      'combo_box color placeholder="Color" options=Red|Green|Blue selected=-1 flags=0',
      'label Color: none',
      'toggle enabled label="Enabled" value=0 flags=0',
      'label Enabled: no',
      'begin_horizontal',
      'button reset "Reset" flags=0',
      'button - "Send greeting" flags=0',
      'end_group',
      'begin_vertical',
      'label Column A',
      'label Column B',
      'end_group',
      'separator',
      'text_edit api_key value="" hint="API key" flags=2',
      'label API key set: no',
      'button disabled "Can\'t touch this" flags=1',
    ]);
  });

  it('applies the events of a frame to the labels of that frame and reports its state', async () => {
    const events = ['click increment', 'edit name Ada', 'select color 1', 'flip enabled 1', 'edit api_key k'];
    const lines = await run('ui-demo', ['ui', ...events, 'ui', 'msg state', 'msg hi']);
    expect(frame(lines, 1).filter((line) => line.startsWith('label'))).toEqual([
      'label Count: 1',
      'label Hello, Ada!',
      'label Color: Green',
      'label Enabled: yes',
      'label Extras are on', // the row the toggle inserts (ids after it stay the same)
      'label Column A',
      'label Column B',
      'label API key set: yes',
    ]);
    expect(lines).toContain('reply 1 0 count=1 name=Ada color=Green enabled=yes');
    expect(lines).toContain('reply 2 0 ui-demo got: hi');
  });

  it('resets the count, asks for a new frame, and sends the greeting as a success message', async () => {
    const lines = await run('ui-demo', [
      'click increment',
      'edit name Ada',
      'ui',
      'click reset',
      'click Send greeting',
      'ui',
      'msg state',
    ]);
    expect(frame(lines, 1)).toContain('request-refresh');
    expect(frame(lines, 1)).toContain('message 1 Hello, Ada!');
    expect(lines).toContain('reply 1 0 count=0 name=Ada color=none enabled=no');
  });

  it('greets a stranger when no name is set', async () => {
    const lines = await run('ui-demo', ['click Send greeting', 'ui']);
    expect(frame(lines, 0)).toContain('message 1 Hello, stranger!');
  });
});

describe('streamer', () => {
  it('streams n chunks, resending the same chunk after back-pressure, and fails on request', async () => {
    const lines = await run('streamer', [
      'backpressure 3',
      'msg stream 7',
      'await-ended 1',
      'msg stream-fail 2',
      'await-ended 2',
    ]);
    expect(lines.filter((line) => line.startsWith('reply'))).toEqual([
      'reply 1 0 streaming 7 chunks',
      'reply 2 0 streaming 2 chunks',
    ]);
    expect(lines).toContain('stream-start 1 Counting to 7');
    expect(chunksOf(lines, 1)).toEqual(counting(7));
    expect(lines).toContain('stream-end 1 success=1 error=(null) refusals=2');
    expect(chunksOf(lines, 2)).toEqual(counting(2));
    expect(lines).toContain('stream-end 2 success=0 error=simulated failure refusals=0');
    expect(lines.slice(-3)).toEqual(CLEAN_END);
  });

  it('runs streams concurrently', async () => {
    const lines = await run('streamer', [
      'msg stream 30 1',
      'msg stream 30 1',
      'msg stream 30 1',
      'await-ended 3',
    ]);
    for (const stream of [1, 2, 3]) expect(chunksOf(lines, stream)).toEqual(counting(30));
  });

  it('stops while paused, logs the controls, and finishes after resume', async () => {
    const script = [
      'msg stream 20 2',
      'await-chunks 3',
      'pause 1',
      'chunks 1',
      'sleep 100',
      'chunks 1',
      'resume 1',
    ];
    const lines = await run('streamer', [...script, 'await-ended 1']);
    const counts = lines.filter((line) => line.startsWith('chunks 1 '));
    expect(counts[0]).toBe(counts[1]);
    expect(lines.filter((line) => line.startsWith('log'))).toEqual([
      'log 3 control pause',
      'log 3 control resume',
    ]);
    expect(chunksOf(lines, 1)).toEqual(counting(20));
    expect(lines).toContain('stream-end 1 success=1 error=(null) refusals=0');
  });

  it('stops quietly when the user cancels, without ending the stream itself', async () => {
    const lines = await run('streamer', ['msg stream 1000 2', 'await-chunks 2', 'cancel 1', 'sleep 50']);
    const cancelled = lines.indexOf('log 3 control cancel');
    expect(cancelled).toBeGreaterThan(0);
    // The worker, woken by the stream's cancel token, says why it stopped (before or after the
    // control log line) and never ends the stream itself.
    expect(lines).toContain("log 3 stream 1: worker stopped by the user's cancel");
    expect(lines.some((line) => line.startsWith('stream-end 1'))).toBe(false);
    expect(lines.slice(-CLEAN_END.length)).toEqual(CLEAN_END);
  });

  it('stops and joins running streams on destroy', async () => {
    const lines = await run('streamer', [
      'msg stream 100000 1',
      'msg stream 100000 1',
      'await-chunks 1',
      'destroy',
    ]);
    expect(lines.some((line) => line.startsWith('stream-end'))).toBe(false);
    expect(lines.slice(-3)).toEqual(CLEAN_END);
  });

  it('refuses malformed commands', async () => {
    const lines = await run('streamer', ['msg stream', 'msg stream 0', 'msg stream-fail 3 5', 'msg hello']);
    expect(lines.filter((line) => line.startsWith('reply')).map((line) => line.split(' ')[2])).toEqual([
      '-2',
      '-2',
      '-2',
      '-2',
    ]);
  });
});
