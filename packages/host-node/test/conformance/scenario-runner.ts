import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConformanceScenario,
  type ConformanceStep,
  createValidator,
  type FrontendEvent,
  type InstanceInfo,
  matchPattern,
  substituteIdsDeep,
  type UiNode,
  type UiTree,
} from '@plugin-interfaces/spec';
import type { PluginHost } from '../../src/index.js';
import { nodes, texts } from './harness.js';

/** The scenario folder of the spec package. */
export const SCENARIO_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'spec',
  'conformance',
);

/** Every scenario file, parsed and schema-checked (a bad file throws, naming it). */
export function loadScenarios(dir = SCENARIO_DIR): ConformanceScenario[] {
  const validator = createValidator(ConformanceScenario);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const value: unknown = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      if (!validator.check(value)) throw new Error(`${f}: ${validator.errors(value).join('; ')}`);
      return value;
    });
}

/** What the runner drives: a started host and the events it recorded since it was created. */
export interface ScenarioTarget {
  readonly host: PluginHost;
  readonly events: readonly FrontendEvent[];
}

type Outcome = ConformanceStep extends infer S ? (S extends { expect?: infer E } ? E : never) : never;

/** Poll `check` (null = holds, else why not) until it holds or `ms` passes; throws the last reason. */
async function until(ms: number, check: () => string | null): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const why = check();
    if (why === null) return;
    if (Date.now() > end) throw new Error(`after ${ms} ms: ${why}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function hasText(n: UiNode): n is Extract<UiNode, { text: string }> {
  return 'text' in n;
}

/**
 * Run one scenario against a host. `pluginId(example)` maps the scenario's example names to
 * plugin ids of the language under test. Throws an Error naming the failing step; resolves with
 * the last frame of every instance still loaded, by alias (the merged table compares them across
 * hosts).
 */
export async function runScenario(
  scenario: ConformanceScenario,
  target: ScenarioTarget,
  pluginId: (example: string) => string,
): Promise<Record<string, UiTree>> {
  const { host } = target;
  const { waitMs, quietMs } = scenario.tolerances;
  const alias = new Map<string, string>();
  const idOf = (a: string): string => {
    const id = alias.get(a);
    if (id === undefined) throw new Error(`alias ${a} is not loaded`);
    return id;
  };
  const info = (a: string): InstanceInfo => host.instance(idOf(a));
  const eventsOf = (name: string, a: string | undefined, where: unknown) =>
    target.events
      .filter((e) => e.event === name)
      .map((e) => e.payload as Record<string, unknown>)
      .filter((p) => a === undefined || p.instance_id === idOf(a))
      .filter((p) => where === undefined || matchPattern(where, p) === null);
  const widget = (tree: UiTree, ref: { id: string } | { text: string }): UiNode | undefined =>
    nodes(tree).find((n) => ('id' in ref ? n.id === ref.id : hasText(n) && n.text === ref.text));

  async function act(expect: Outcome | undefined, run: () => Promise<unknown>): Promise<void> {
    let result: unknown;
    let error: unknown;
    try {
      result = await run();
    } catch (e) {
      error = e;
    }
    if (expect !== undefined && 'error' in expect) {
      if (error === undefined)
        throw new Error(`expected error ${expect.error.code}, got ${JSON.stringify(result)}`);
      const e = error as { code?: string; message?: string; detail?: { status?: string } };
      if (e.code !== expect.error.code)
        throw new Error(`expected ${expect.error.code}, got ${e.code}: ${e.message}`);
      if (expect.error.messageContains !== undefined && !e.message?.includes(expect.error.messageContains))
        throw new Error(`error message ${JSON.stringify(e.message)} lacks ${expect.error.messageContains}`);
      if (expect.error.status !== undefined && e.detail?.status !== expect.error.status)
        throw new Error(`expected status ${expect.error.status}, got ${JSON.stringify(e.detail)}`);
      return;
    }
    if (error !== undefined) throw error;
    if (expect !== undefined && expect.reply !== undefined) {
      const bad = matchPattern(expect.reply, (result as { reply?: unknown }).reply);
      if (bad !== null) throw new Error(`reply: ${bad}`);
    }
  }

  const steps = substituteIdsDeep(scenario.steps, pluginId) as ConformanceStep[];
  /** Instances sent a chat message: a frame follows each burst of them. */
  const messaged = new Set<string>();
  for (const [index, step] of steps.entries()) {
    try {
      await runStep(step);
    } catch (e) {
      throw new Error(`step ${index} (${step.op}): ${(e as Error).message}`);
    }
  }
  const frames: Record<string, UiTree> = {};
  for (const [a, id] of alias) {
    const live = host.snapshot().instances.find((i) => i.instance_id === id);
    if (live === undefined) continue;
    // A frame follows a burst of messages once the event loop turns: draw it now (the frame asked
    // for and not started yet is this one) so the last frame shows the state the steps left.
    if (messaged.has(id) && ['mounted', 'connected', 'disconnected'].includes(live.state))
      await host.refresh(id).catch(() => undefined);
    frames[a] = host.instance(id).tree;
  }
  return frames;

  async function runStep(step: ConformanceStep): Promise<void> {
    switch (step.op) {
      case 'load':
        return act(step.expect, async () => {
          const inst = await host.load(pluginId(step.plugin), {
            ...(step.instanceId === undefined ? {} : { instanceId: step.instanceId }),
            ...(step.settings === undefined ? {} : { settings: step.settings }),
          });
          alias.set(step.as, inst.instance_id);
          return inst;
        });
      case 'connect':
        return act(step.expect, () => host.connect(idOf(step.instance)));
      case 'disconnect':
        return act(step.expect, () => host.disconnect(idOf(step.instance)));
      case 'unload':
        return act(step.expect, () => host.unload(idOf(step.instance)));
      case 'refresh':
        return act(step.expect, () => host.refresh(idOf(step.instance)));
      case 'reload':
        return act(step.expect, () => host.reload(pluginId(step.plugin)));
      case 'message':
        messaged.add(idOf(step.instance));
        return act(step.expect, () => host.handleMessage(idOf(step.instance), step.text));
      case 'set_settings':
        return act(step.expect, () => host.setSettings(idOf(step.instance), step.values));
      case 'stream_control':
        return act(step.expect, async () => {
          const s = info(step.instance).streams[step.stream];
          if (s === undefined) throw new Error(`no stream #${step.stream}`);
          return host.controlStream(idOf(step.instance), s.stream_id, step.action);
        });
      case 'ui_event':
        return act(step.expect, async () => {
          const tree = info(step.instance).tree;
          const found = widget(tree, step.widget);
          const widgetId = 'id' in step.widget ? step.widget.id : found?.id;
          if (widgetId === undefined) throw new Error(`no widget ${JSON.stringify(step.widget)}`);
          const ev = step.event;
          if (ev.kind === 'select') {
            const options = found?.type === 'combo_box' ? found.options : [];
            const value = options.indexOf(ev.option);
            if (value < 0) throw new Error(`no option ${ev.option} in ${JSON.stringify(found)}`);
            return host.dispatchUiEvent(idOf(step.instance), { widget_id: widgetId, kind: 'select', value });
          }
          return host.dispatchUiEvent(idOf(step.instance), { widget_id: widgetId, ...ev });
        });
      case 'wait_for':
        return until(waitMs, () => {
          const n = eventsOf(step.event, step.instance, step.match).length;
          return n >= (step.count ?? 1)
            ? null
            : `${n} ${step.event} event(s) match ${JSON.stringify(step.match)}`;
        });
      case 'expect_events': {
        const got = eventsOf(step.event, step.instance, step.where);
        if (step.order === 'exact') {
          const bad = matchPattern(step.items, got);
          if (bad !== null) throw new Error(`${step.event}: ${bad}`);
          return;
        }
        let i = 0;
        for (const p of got) if (i < step.items.length && matchPattern(step.items[i], p) === null) i++;
        if (i < step.items.length)
          throw new Error(`${step.event}: item ${i} ${JSON.stringify(step.items[i])} not found in order`);
        return;
      }
      case 'expect_quiet': {
        const before = eventsOf(step.event, step.instance, step.where).length;
        await new Promise((r) => setTimeout(r, quietMs));
        const after = eventsOf(step.event, step.instance, step.where).length;
        if (after !== before)
          throw new Error(`${after - before} new ${step.event} event(s) in ${quietMs} ms`);
        return;
      }
      case 'expect_ui':
        return until(waitMs, () => {
          const inst = info(step.instance);
          const shown = texts(inst.tree);
          if (step.texts?.equals !== undefined) {
            const bad = matchPattern(step.texts.equals, shown);
            if (bad !== null) return `texts ${JSON.stringify(shown)}: ${bad}`;
          }
          for (const t of step.texts?.contains ?? [])
            if (!shown.includes(t)) return `texts ${JSON.stringify(shown)} lack ${JSON.stringify(t)}`;
          for (const w of step.widgets ?? []) {
            const bad = matchPattern(w.match, widget(inst.tree, w.ref));
            if (bad !== null) return `widget ${JSON.stringify(w.ref)}: ${bad}`;
          }
          if (step.revisionIsLatestEvent) {
            const last = eventsOf('plugin-ui-updated', step.instance, undefined).at(-1);
            if (last?.revision !== inst.revision)
              return `revision ${inst.revision}, last event ${last?.revision}`;
          }
          return null;
        });
      case 'expect_history':
        return until(waitMs, () => {
          const history = info(step.instance).history;
          if (step.entries !== undefined) {
            const bad = matchPattern(step.entries, history);
            if (bad !== null) return `history: ${bad}`;
          }
          if (step.length !== undefined && history.length !== step.length)
            return `history has ${history.length} entries, expected ${step.length}`;
          for (const p of step.includes ?? [])
            if (!history.some((h) => matchPattern(p, h) === null))
              return `no history entry ${JSON.stringify(p)}`;
          return null;
        });
      case 'expect_stream':
        return until(waitMs, () => {
          const inst = info(step.instance);
          const s = inst.streams[step.stream];
          if (s === undefined) return `no stream #${step.stream}`;
          if (step.match !== undefined) {
            const bad = matchPattern(step.match, s);
            if (bad !== null) return `stream: ${bad}`;
          }
          const c = step.chunks;
          if (c === undefined) return null;
          const chunks = eventsOf('plugin-stream', step.instance, { type: 'stream_data' })
            .map((p) => p.data as { stream_id: string; chunk: string })
            .filter((d) => d.stream_id === s.stream_id)
            .map((d) => d.chunk);
          const first = c.firstIn.find((n) => chunks[0] === c.format.replace('{n}', String(n)));
          if (first === undefined)
            return `first chunk ${JSON.stringify(chunks[0])} is not ${c.format} with ${c.firstIn}`;
          const want = Array.from({ length: c.count }, (_, i) => c.format.replace('{n}', String(i + first)));
          const bad = matchPattern(want, chunks);
          if (bad !== null) return `chunks: ${bad}`;
          if (c.contentIsChunks) {
            const all = chunks.join('');
            if (s.content !== all) return 'stream content is not the chunks joined';
            const entry = inst.history.find((h) => h.id === s.stream_id);
            if (entry?.type !== 'streaming' || entry.content !== all || entry.status !== s.state)
              return `history entry of the stream: ${JSON.stringify(entry)}`;
          }
          return null;
        });
      case 'expect_state': {
        const state = info(step.instance).state;
        if (state !== step.state) throw new Error(`state ${state}, expected ${step.state}`);
        return;
      }
      case 'expect_instances': {
        const n = host.snapshot().instances.length;
        if (n !== step.count) throw new Error(`${n} instances, expected ${step.count}`);
        return;
      }
    }
  }
}
