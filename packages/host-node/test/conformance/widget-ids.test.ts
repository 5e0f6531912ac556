import { describe, expect, it } from 'vitest';
import { conformanceHost, nodes } from './harness.js';
import { MATRIX, type MatrixCase } from './matrix.js';
import { usePlugins } from './suite.js';

const inProcess = (lang: MatrixCase['lang']) =>
  MATRIX.find((c) => c.lang === lang && c.mode === 'in-process')!;

/** The widget ids of the first frame of `example`, in tree order. */
async function firstFrameIds(c: MatrixCase, root: string, example: string): Promise<string[]> {
  await using t = await conformanceHost(c, root);
  const { instance_id } = await t.host.load(example);
  return nodes(t.host.instance(instance_id).tree).map((n) => n.id);
}

describe('widget ids are the same whichever SDK built the UI', () => {
  const c = usePlugins(inProcess('c'), ['ui-demo']);
  const rust = usePlugins(inProcess('rust'), ['ui-demo']);

  it('the C and the Rust ui-demo, which declare the same UI, get identical ids', async (ctx) => {
    const fromC = await firstFrameIds(inProcess('c'), c.root(ctx), c.id('ui-demo'));
    const fromRust = await firstFrameIds(inProcess('rust'), rust.root(ctx), rust.id('ui-demo'));
    expect(fromC.length).toBeGreaterThan(10);
    // Labels echo state in words that differ between the two examples; every other id is equal.
    const widgets = (ids: string[]) => ids.filter((id) => !id.startsWith('label:'));
    expect(widgets(fromRust)).toEqual(widgets(fromC));
    expect(fromC).toEqual(expect.arrayContaining(['increment', 'name', 'color', 'enabled', 'reset']));
    expect(fromC).toContain('button:Send greeting'); // the auto id inside a row carries no group prefix
  });
});
