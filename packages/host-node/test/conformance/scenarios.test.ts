import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConformanceResult } from '@plugin-interfaces/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltRoot, buildPlugins } from './build-plugins.js';
import { conformanceHost } from './harness.js';
import { LANGUAGES, MATRIX } from './matrix.js';
import { loadScenarios, runScenario, SCENARIO_DIR } from './scenario-runner.js';

// Every scenario file of packages/spec/conformance, in every language it names and both driver
// modes. Results go to <spec>/conformance/.test-results/host-node.json for the merged table
// (packages/host-rust/scripts/conformance-table.mjs).
const scenarios = loadScenarios();
const results: ConformanceResult[] = [];
const roots = new Map<string, BuiltRoot>();

beforeAll(async () => {
  for (const language of LANGUAGES) {
    // Unpinned plugins of the scenarios in this language, and plugins pinned to it anywhere.
    const examples = new Set(
      scenarios.flatMap((s) =>
        s.plugins
          .filter((p) =>
            p.lang === undefined ? s.languages.includes(language.lang) : p.lang === language.lang,
          )
          .map((p) => p.example),
      ),
    );
    roots.set(language.lang, await buildPlugins(language, [...examples]));
  }
}, 600_000);

afterAll(() => {
  const dir = process.env.PI_CONFORMANCE_RESULTS ?? join(SCENARIO_DIR, '.test-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'host-node.json'), `${JSON.stringify(results, null, 2)}\n`);
});

describe.each(MATRIX)('conformance scenarios ($name)', (c) => {
  const applicable = scenarios.filter((s) => s.languages.includes(c.lang));
  for (const scenario of applicable)
    it(scenario.name, async (ctx) => {
      const needed = new Set(scenario.plugins.map((p) => p.lang ?? c.lang));
      const dirs: string[] = [];
      for (const lang of needed) {
        const built = roots.get(lang);
        if (built?.root == null) return ctx.skip(built?.skip ?? `no ${lang} plugins`);
        dirs.push(built.root);
      }
      const prefixOf = (lang: string) => LANGUAGES.find((l) => l.lang === lang)?.prefix ?? '';
      const pluginId = (example: string) => {
        const p = scenario.plugins.find((x) => x.example === example);
        return `${prefixOf(p?.lang ?? c.lang)}${example}`;
      };
      const started = performance.now();
      await using t = await conformanceHost(c, dirs, scenario.appConfig ?? {});
      let error: string | null = null;
      let frames: Record<string, unknown> = {};
      try {
        frames = await runScenario(scenario, { host: t.host, events: t.recorded.events }, pluginId);
        if (t.recorded.invalid.length > 0) error = `invalid events: ${t.recorded.invalid.join('; ')}`;
      } catch (e) {
        error = (e as Error).message;
      }
      results.push({
        scenario: scenario.name,
        lang: c.lang,
        host: 'host-node',
        mode: c.mode,
        ok: error === null,
        error,
        ms: Math.round(performance.now() - started),
        frames,
      });
      expect(error).toBeNull();
    });
});
