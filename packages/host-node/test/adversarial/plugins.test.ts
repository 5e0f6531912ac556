import { join } from 'node:path';
import { LIMITS } from '@plugin-interfaces/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PiStatus } from '../../src/generated/abi.js';
import { createPluginHost, type IsolationMode, type PluginHost } from '../../src/index.js';
import { compilePlugin, pluginFolder, rssAfterGcMiB, scratch, settle, witnessAnswers } from './support.js';

/**
 * Plugins that attack their host through the C ABI (fixtures/adversary.c), in both modes. Each
 * case checks (a) the host (this process) is alive – the test keeps running and the host keeps
 * answering, (b) the healthy neighbour answers within 200 ms, (c) the refusal is a typed spec code
 * whose text names the cause – as the rejection of the message, as the `code` of the host log
 * line that reports a refused plugin call, or as the error of a `plugin-status` event – and (d) for floods, that RSS after a GC stays within
 * a budget and what the host keeps stays within its limits.
 */

/** The code and text the host produced for an attack: a rejection, or a coded log line. */
interface Observed {
  readonly code?: string | undefined;
  readonly text: string;
  readonly reply?: string | undefined;
}

interface Ctx {
  readonly host: PluginHost;
  /** Log lines with their `code` field and `plugin-status` errors, since the case started. */
  readonly logs: readonly { code: string | undefined; message: string }[];
  readonly mode: IsolationMode;
}

interface PluginCase {
  readonly name: string;
  /** Modes the case runs in (a segfault can only be contained in isolated mode). */
  readonly modes: readonly IsolationMode[];
  /** `adv` (and `adv2`) are ordinary instances; `crasher` has a plugin process of its own. */
  readonly instance: 'adv' | 'adv2' | 'crasher';
  readonly message: string;
  /** Sent first (must succeed), when the attack needs a state to hit. */
  readonly before?: string;
  readonly timeoutMs?: number;
  /** How the host refused it: the spec code and the text naming the cause. */
  readonly error?: { readonly code: string; readonly cause: RegExp };
  /** When the call itself succeeds: its reply. */
  readonly reply?: RegExp;
  /** What the host keeps must stay within its limits. */
  readonly bounded?: (ctx: Ctx) => void;
  /** `bounded` reads the tree: draw the frame that follows the message first. */
  readonly frame?: true;
  /** For floods: the most RSS may grow (after a GC), in MiB. */
  readonly rssBudgetMiB?: number;
}

const both: readonly IsolationMode[] = ['in-process', 'isolated'];

/** Entries and UTF-8 bytes of history the host still keeps for an instance, and how many it dropped. */
function kept(host: PluginHost, instanceId: string) {
  let before: string | undefined;
  let entries = 0;
  let bytes = 0;
  let dropped = 0;
  for (;;) {
    const page = host.history(instanceId, { before, limit: 2000 });
    entries += page.messages.length;
    for (const m of page.messages) bytes += Buffer.byteLength(m.content);
    dropped = page.dropped;
    if (page.more === 0 || page.messages.length === 0) break;
    before = page.messages[0]?.id;
  }
  return { entries, bytes, dropped };
}

const CASES: readonly PluginCase[] = [
  {
    name: 'flood: 12,000 chat messages of 1 KiB at once (over the history byte bound)',
    modes: both,
    instance: 'adv',
    message: 'msgs:12000',
    reply: /^ok=12000 refused=0/,
    bounded: ({ host }) => {
      const k = kept(host, 'adv');
      expect(k.entries).toBeLessThanOrEqual(LIMITS.maxHistoryEntries);
      expect(k.bytes).toBeLessThanOrEqual(LIMITS.maxHistoryBytes);
      expect(k.dropped).toBeGreaterThan(0);
    },
    rssBudgetMiB: 96,
  },
  {
    name: 'flood again: 12,000 more chat messages do not grow the host again (bounded, not leaking)',
    modes: both,
    instance: 'adv',
    message: 'msgs:12000',
    reply: /^ok=12000 refused=0/,
    bounded: ({ host }) => {
      const k = kept(host, 'adv');
      expect(k.bytes).toBeLessThanOrEqual(LIMITS.maxHistoryBytes);
      expect(k.dropped).toBeGreaterThan(12_000);
    },
    rssBudgetMiB: 24,
  },
  {
    name: 'flood: 8 chat messages of 2 MiB (over the string limit)',
    modes: both,
    instance: 'adv',
    message: 'big_msgs:8',
    reply: /^ok=0 refused=8 last=-9$/,
    error: { code: 'PAYLOAD_TOO_LARGE', cause: /send_message|message/ },
    rssBudgetMiB: 64,
  },
  {
    name: 'flood: 10,000 log lines of 1 KiB',
    modes: both,
    instance: 'adv',
    message: 'logs:10000',
    reply: /^ok=10000 refused=0/,
    rssBudgetMiB: 48,
  },
  {
    name: 'flood: 20,000 stream chunks of 4 KiB without waiting for credit',
    modes: both,
    instance: 'adv',
    message: 'chunks:20000',
    // Exactly one credit window is accepted; every other chunk gets PI_STATUS_BACKPRESSURE (-8).
    reply: new RegExp(
      `^ok=${LIMITS.streamCreditWindow} refused=${20_000 - LIMITS.streamCreditWindow} last=-8$`,
    ),
    bounded: ({ host }) => {
      const streams = host.instance('adv').streams ?? [];
      for (const s of streams)
        expect(Buffer.byteLength(s.content)).toBeLessThanOrEqual(LIMITS.maxStreamBytes);
    },
    rssBudgetMiB: 64,
  },
  {
    name: 'flood: 5,000 streams of 4 KiB opened and never ended (all past maxOpenStreams refused)',
    modes: both,
    instance: 'adv2',
    message: 'streams:5000',
    reply: new RegExp(
      `^ok=${LIMITS.maxOpenStreams} refused=${5000 - LIMITS.maxOpenStreams} last=${PiStatus.LIMIT_EXCEEDED}`,
    ),
    bounded: ({ host }) => {
      const view = host.instance('adv2');
      const shown = view.streams ?? [];
      // The view still shows the newest open streams (not none), within the frame cap.
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.at(-1)?.state).toBe('active');
      expect(Buffer.byteLength(JSON.stringify(view))).toBeLessThanOrEqual(LIMITS.maxSnapshotBytes);
      expect(Buffer.byteLength(JSON.stringify(host.snapshot()))).toBeLessThanOrEqual(LIMITS.maxSnapshotBytes);
    },
    // Open streams are capped by LIMITS.maxOpenStreams, so 5,000 attempts cost what the cap allows.
    rssBudgetMiB: 24,
  },
  {
    name: 'flood: 20,000 custom frontend events of 1 KiB',
    modes: both,
    instance: 'adv2',
    message: 'events:20000',
    reply: /^ok=20000 refused=0/,
    rssBudgetMiB: 64,
  },
  {
    name: 'a 20 MiB reply',
    modes: both,
    instance: 'adv',
    message: 'reply:20',
    error: { code: 'PAYLOAD_TOO_LARGE', cause: /larger than 1048576 bytes/ },
    rssBudgetMiB: 64,
  },
  {
    name: 'a 2 MiB reply',
    modes: both,
    instance: 'adv',
    message: 'reply:2',
    error: { code: 'PAYLOAD_TOO_LARGE', cause: /larger than 1048576 bytes/ },
  },
  {
    name: 'invalid UTF-8 in a message, a log line, a stream title, chunk and error, custom events, an app-config key and inter-plugin calls',
    modes: both,
    instance: 'adv',
    message: 'bad_utf8',
    reply: /^ok=0 refused=10 last=-2$/,
    error: { code: 'INVALID_UTF8', cause: /send_message refused: content is not valid UTF-8/ },
  },
  {
    name: 'a UI label that is not UTF-8, in every frame (shown with U+FFFD, as documented)',
    modes: both,
    instance: 'adv2',
    message: 'bad_ui',
    reply: /^ok=0 refused=0/,
    frame: true,
    bounded: ({ host }) => {
      const labels = (host.instance('adv2').tree ?? []).flatMap((w) => (w.type === 'label' ? [w.text] : []));
      expect(labels).toContain('bad \uFFFD( label');
    },
  },
  {
    name: 'a reply that is not UTF-8',
    modes: both,
    instance: 'adv',
    message: 'bad_reply',
    error: { code: 'INVALID_UTF8', cause: /reply of instance .* is not valid UTF-8/ },
  },
  {
    name: 'recursion: a plugin calls itself',
    modes: both,
    instance: 'adv',
    message: 'recurse:adv',
    reply: /^call status=-9$/,
    error: { code: 'CALL_DEPTH_EXCEEDED', cause: /adv → adv is a cycle/ },
  },
  {
    name: 'recursion: A calls B, which calls A back',
    modes: both,
    instance: 'adv',
    message: 'recurse:adv2',
    reply: /^call status=0$/,
    error: { code: 'CALL_DEPTH_EXCEEDED', cause: /adv → adv2 → adv is a cycle/ },
  },
  {
    name: 'a deferred reply that never comes',
    modes: both,
    instance: 'adv',
    message: 'never_reply',
    timeoutMs: 300,
    error: { code: 'TIMEOUT', cause: /did not answer request \d+ in time/ },
  },
  {
    name: 'refresh requested 100,000 times in a tight loop (coalesced)',
    modes: both,
    instance: 'adv',
    message: 'refresh:100000',
    reply: /^ok=100000 refused=0/,
    rssBudgetMiB: 32,
  },
  {
    name: 'a hang in handle_message (in-process blocks the event loop: documented, not run)',
    modes: ['isolated'],
    instance: 'crasher',
    message: 'hang',
    timeoutMs: 500,
    error: { code: 'TIMEOUT', cause: /did not finish within 500 ms; its process was killed/ },
  },
  {
    name: 'a crash during a stream (in-process it ends the host: documented, not run)',
    modes: ['isolated'],
    instance: 'crasher',
    before: 'stream_open',
    message: 'segv',
    error: { code: 'PLUGIN_CRASHED', cause: /killed by SIGSEGV/ },
  },
];

/**
 * Wait (polling, with a deadline) until a restarted instance is connected and answers again: right
 * after a kill its state may still read connected while the driver already refuses the call.
 */
async function connected(host: PluginHost, instanceId: string): Promise<void> {
  const end = Date.now() + 8000;
  for (;;) {
    if (host.instance(instanceId).state === 'connected') {
      const probe = await settle(host.handleMessage(instanceId, 'ping', { timeoutMs: 2000 }));
      if (probe.code === undefined) return;
    }
    if (Date.now() > end) throw new Error(`${instanceId} did not come back`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const counts = (mode: IsolationMode) => CASES.filter((c) => c.modes.includes(mode)).length;

for (const mode of both) {
  describe(`adversarial plugins (${mode}): the host stays up, the neighbour answers, errors are typed`, () => {
    const tmp = scratch(`plugins-${mode}`);
    const logs: { code: string | undefined; message: string }[] = [];
    let host: PluginHost;
    const streamEnds: { stream: string; success: boolean; error: string | null }[] = [];
    let n = 0;

    beforeAll(async () => {
      compilePlugin(join(tmp.dir, 'adversary.so'), 'adversary');
      compilePlugin(join(tmp.dir, 'healthy.so'), 'healthy');
      const root = join(tmp.dir, 'plugins');
      const calls = ['[permissions]', 'call_plugins = ["adv", "adv2"]'];
      pluginFolder(root, 'adv', join(tmp.dir, 'adversary.so'), calls);
      pluginFolder(root, 'adv2', join(tmp.dir, 'adversary.so'), calls);
      pluginFolder(root, 'crasher', join(tmp.dir, 'adversary.so'));
      pluginFolder(root, 'healthy', join(tmp.dir, 'healthy.so'));
      host = await createPluginHost({
        pluginDirs: [root],
        isolation: mode,
        isolatedDriver: { backoff: { baseMs: 20, maxMs: 50 } },
        logger: { log: (_l, message, f) => logs.push({ code: f.code as string | undefined, message }) },
      });
      // A frame that fails is reported on the instance's status, not as a rejection.
      host.on('plugin-status', (e) => {
        const error = e.payload.error;
        if (error != null) logs.push({ code: error.code, message: error.message });
      });
      host.on('plugin-stream', (e) => {
        if (e.payload.type === 'stream_end') {
          const d = e.payload.data as { stream_id: string; success: boolean; error: string | null };
          streamEnds.push({ stream: d.stream_id, success: d.success, error: d.error });
        }
      });
      const ids = mode === 'isolated' ? ['adv', 'adv2', 'crasher', 'healthy'] : ['adv', 'adv2', 'healthy'];
      for (const id of ids) {
        await host.load(id, { instanceId: id });
        await host.connect(id);
      }
    }, 60_000);
    afterAll(async () => {
      await host?.close();
      tmp.dispose();
    });

    it('has its cases', () => expect(counts(mode)).toBeGreaterThanOrEqual(mode === 'isolated' ? 18 : 16));

    const mine = CASES.filter((c) => c.modes.includes(mode));
    it.each(mine.map((c) => [c.name, c] as const))('%s', async (_name, attack) => {
      if (attack.instance === 'crasher') await connected(host, 'crasher');
      const flood = attack.rssBudgetMiB !== undefined;
      const rssBefore = flood ? rssAfterGcMiB() : 0;
      const logMark = logs.length;
      const endMark = streamEnds.length;
      if (attack.before !== undefined)
        expect((await host.handleMessage(attack.instance, attack.before)).reply).toMatch(/^ok=\d+ refused=0/);
      const r = await settle(
        host.handleMessage(attack.instance, attack.message, {
          ...(attack.timeoutMs === undefined ? {} : { timeoutMs: attack.timeoutMs }),
        }),
      );
      const rssGrowth = flood ? rssAfterGcMiB() - rssBefore : 0;
      const value = r.value as { reply?: string | null } | undefined;
      const observed: Observed = { code: r.code, text: r.text, reply: value?.reply ?? undefined };

      // (c) typed: either the call's rejection or a coded log line for a refused plugin call.
      if (attack.reply !== undefined) expect(observed.reply).toMatch(attack.reply);
      if (attack.error !== undefined) {
        const { code, cause } = attack.error;
        const fromLogs = logs.slice(logMark).filter((l) => l.code === code);
        const texts = [...(observed.code === code ? [observed.text] : []), ...fromLogs.map((l) => l.message)];
        expect(
          texts.length,
          `no ${code} in the rejection (${observed.code} ${observed.text}) or the logs`,
        ).toBeGreaterThan(0);
        expect(texts.join('\n')).toMatch(cause);
      } else expect(observed.code).toBeUndefined();
      // The frame that follows the message, for checks on the tree it drew.
      if (attack.frame === true) await host.refresh(attack.instance);
      attack.bounded?.({ host, logs: logs.slice(logMark), mode });
      // (d) RSS stays within the case's budget.
      if (attack.rssBudgetMiB !== undefined) expect(rssGrowth).toBeLessThan(attack.rssBudgetMiB);

      // A crash during a stream ends that stream with the reason (no stream stays active).
      if (attack.before === 'stream_open') {
        const end = Date.now() + 3000;
        while (streamEnds.length === endMark && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
        const ended = streamEnds.slice(endMark);
        expect(ended).toHaveLength(1);
        expect(ended[0]).toMatchObject({ success: false, error: expect.stringMatching(/died/) });
      }

      // (a) + (b): the host is alive and the neighbour answers within 200 ms.
      n++;
      await witnessAnswers(host, 'healthy', n);
      expect(host.snapshot().instances.length).toBeGreaterThan(0);
    });
  });
}
