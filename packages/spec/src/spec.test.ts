import { describe, expect, it } from 'vitest';
import { checkAbi } from './abi/check.js';
import { abiFingerprint } from './abi/fingerprint.js';
import { abi } from './abi/index.js';
import { computeLayouts, diffLayouts, layoutRows } from './abi/layout.js';
import type { AbiSpec } from './abi/model.js';
import { t } from './abi/model.js';
import { validators } from './validators.js';

describe('ABI spec', () => {
  it('is sound', () => {
    expect(checkAbi(abi)).toEqual([]);
  });

  it('reports a duplicate field by name', () => {
    const bad: AbiSpec = {
      ...abi,
      structs: abi.structs.map((s) =>
        s.name === 'PiHostApi' ? { ...s, fields: [...s.fields, s.fields[4]!] } : s,
      ),
    };
    expect(checkAbi(bad).map((p) => p.item)).toContain('PiHostApi.send_message');
  });

  it('reports an unknown type by name', () => {
    const bad: AbiSpec = {
      ...abi,
      structs: [
        ...abi.structs,
        {
          name: 'PiBroken',
          doc: 'x',
          versioned: false,
          fields: [{ name: 'f', type: t.fn('PiNopeFn'), ownership: 'static', doc: 'x' }],
        },
      ],
    };
    expect(checkAbi(bad)).toEqual([
      { item: 'PiBroken.f', message: 'PiBroken.f uses unknown function type "PiNopeFn"' },
    ]);
  });

  it('computes natural C layouts for 64-bit targets', () => {
    const l = computeLayouts(abi);
    const err = l.get('PiError')!;
    expect(err.fields.map((f) => f.offset)).toEqual([0, 4, 8, 9, 521]);
    expect(err.size).toBe(2572);
    const host = l.get('PiHostApi')!;
    expect(host.fields[3]).toMatchObject({ name: 'host_data', offset: 8, size: 8 });
    expect(host.size).toBe(8 + 8 * 17);
  });

  it('changes the fingerprint when a layout changes and not when a doc changes', () => {
    const base = abiFingerprint(abi);
    const docOnly: AbiSpec = { ...abi, structs: abi.structs.map((s) => ({ ...s, doc: `${s.doc}!` })) };
    expect(abiFingerprint(docOnly)).toBe(base);
    const reordered: AbiSpec = {
      ...abi,
      structs: abi.structs.map((s) =>
        s.name === 'PiLayoutRecord' ? { ...s, fields: [...s.fields].reverse() } : s,
      ),
    };
    expect(abiFingerprint(reordered)).not.toBe(base);
  });

  it('diffs layout descriptors field by field', () => {
    const rows = layoutRows(abi);
    const tampered = rows.map((r) => (r.name === 'PiHostApi.log' ? { ...r, offset: r.offset + 8 } : r));
    expect(diffLayouts(rows, rows)).toEqual([]);
    const d = diffLayouts(rows, tampered);
    expect(d).toHaveLength(1);
    expect(d[0]!.name).toBe('PiHostApi.log');
  });
});

describe('schemas', () => {
  it('accepts a nested UI tree and rejects unknown node types', () => {
    const tree = [
      { id: 'a', type: 'label', text: 'hi' },
      { id: 'row', type: 'horizontal', children: [{ id: 'b', type: 'button', text: 'Go', enabled: true }] },
    ];
    expect(validators.uiTree.check(tree)).toBe(true);
    expect(validators.uiTree.check([{ id: 'x', type: 'iframe', src: 'javascript:alert(1)' }])).toBe(false);
  });

  it('validates config.toml content and names the failing path', () => {
    const good = { plugin: { id: 'echo', name: 'Echo', version: '1.0.0', description: 'Echoes' } };
    expect(validators.config.check(good)).toBe(true);
    const bad = { plugin: { id: 'Bad Id', name: 'Echo', version: '1', description: 'x' } };
    const errors = validators.config.errors(bad);
    expect(errors.some((e) => e.startsWith('/plugin/id'))).toBe(true);
    expect(errors.some((e) => e.startsWith('/plugin/version'))).toBe(true);
  });

  it('validates UI events by kind', () => {
    expect(validators.uiEvent.check({ widget_id: 'w', kind: 'toggle', value: true })).toBe(true);
    expect(validators.uiEvent.check({ widget_id: 'w', kind: 'toggle', value: 'true' })).toBe(false);
  });
});

describe('config schema keys', () => {
  it('refuses an unknown platform key in [checksums]', () => {
    const base = { plugin: { id: 'echo', name: 'Echo', version: '1.0.0', description: 'Echoes' } };
    expect(validators.config.check({ ...base, checksums: { 'linux-x64': 'a'.repeat(64) } })).toBe(true);
    expect(validators.config.check({ ...base, checksums: { 'linux-x86': 'a'.repeat(64) } })).toBe(false);
  });
});
