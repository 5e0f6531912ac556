import { UI_LIMITS, type UiEvent, type UiNode, type UiTree } from '@plugin-interfaces/spec';
import koffi, { type TypeObject } from 'koffi';
import { HostError } from '../../errors.js';
import { abiTypes, PiStatus, PiUiFlags } from '../../generated/abi.js';
import { UI_CALLBACK_ORDER } from '../../generated/runtime.js';
import type { NativeRuntime } from '../../native/runtime.js';
import type { PluginEvent } from '../types.js';
import { IdScopes, type IdSlot } from './ui-ids.js';

type Group = { node: Extract<UiNode, { type: 'horizontal' | 'vertical' }> | null; children: UiNode[] };

/** The outcome of recording one frame. */
export interface RecordedFrame {
  readonly status: number;
  /** The new tree; absent when the frame broke a rule (the previous tree stays). */
  readonly tree: UiTree | null;
  readonly error: HostError | null;
  /** Events that matched no widget of this frame, and other non-fatal problems. */
  readonly violations: PluginEvent[];
}

let active: UiRecorder | null = null;
let callbacks: bigint[] | undefined;

/** Register the PiUi functions once per process; they forward to the recorder of the running frame. */
function uiCallbacks(): bigint[] {
  if (callbacks) return callbacks;
  const t = abiTypes();
  const reg = (fn: (...args: never[]) => unknown, proto: TypeObject): bigint =>
    koffi.register(fn, koffi.pointer(proto));
  const on = (ui: bigint): UiRecorder | null => (active !== null && active.ui === ui ? active : null);
  const byName: Record<(typeof UI_CALLBACK_ORDER)[number], bigint> = {
    label: reg((ui: bigint, text: string | null) => on(ui)?.text('label', text), t.PiUiTextFn),
    heading: reg((ui: bigint, text: string | null) => on(ui)?.text('heading', text), t.PiUiTextFn),
    separator: reg((ui: bigint) => on(ui)?.separator(), t.PiUiVoidFn),
    button: reg(
      (ui: bigint, id: string | null, text: string | null, flags: number) =>
        on(ui)?.button(id, text, flags) ?? 0,
      t.PiUiButtonFn,
    ),
    text_edit: reg(
      (
        ui: bigint,
        id: string | null,
        value: string | null,
        hint: string | null,
        flags: number,
        out: bigint | null,
      ) => on(ui)?.textEdit(id, value, hint, flags, out) ?? 0,
      t.PiUiTextEditFn,
    ),
    combo_box: reg(
      (
        ui: bigint,
        id: string | null,
        ph: string | null,
        opts: bigint | null,
        n: number,
        sel: number,
        flags: number,
        out: bigint | null,
      ) => on(ui)?.comboBox(id, ph, opts, n, sel, flags, out) ?? 0,
      t.PiUiComboBoxFn,
    ),
    toggle: reg(
      (
        ui: bigint,
        id: string | null,
        label: string | null,
        value: number,
        flags: number,
        out: bigint | null,
      ) => on(ui)?.toggle(id, label, value, flags, out) ?? 0,
      t.PiUiToggleFn,
    ),
    begin_horizontal: reg((ui: bigint) => on(ui)?.begin('horizontal'), t.PiUiVoidFn),
    begin_vertical: reg((ui: bigint) => on(ui)?.begin('vertical'), t.PiUiVoidFn),
    end_group: reg((ui: bigint) => on(ui)?.endGroup(), t.PiUiVoidFn),
    push_id: reg((ui: bigint, salt: string | null) => on(ui)?.pushId(salt), t.PiUiPushIdFn),
    pop_id: reg((ui: bigint) => on(ui)?.popId(), t.PiUiVoidFn),
  };
  callbacks = UI_CALLBACK_ORDER.map((name) => byName[name]);
  return callbacks;
}

let nextFrameKey = 1n;

/**
 * Records one instance's immediate-mode frames into the spec's UiTree. The PiUi table handed to
 * update_ui holds koffi-registered functions (update_ui always runs synchronously on the event
 * loop thread); the frame's UI events become the widgets' return values, matched by widget id.
 * A frame that breaks the rules (unbalanced groups or id scopes, limits, duplicate ids) fails
 * with UI_TREE_INVALID and the previous tree stays. Validation happens while recording (one pass);
 * ids, duplicate detection and event matching go through {@link IdScopes} slots that persist
 * across frames, so a frame allocates little more than its nodes.
 */
export class UiRecorder {
  readonly ui: bigint;
  private tree: UiTree = [];
  private readonly ids = new IdScopes();
  private groups: Group[] = [];
  /** The children array of the innermost open group. */
  private into: UiNode[] = [];
  /** Whether this frame has UI events (else no widget looks one up). */
  private hasEvents = false;
  private frameStrings: bigint[] = [];
  private nodes = 0;
  private problem: string | null = null;

  constructor(private readonly rt: NativeRuntime) {
    const fns = new BigUint64Array(uiCallbacks());
    const ui = rt.uiNew(nextFrameKey++, fns, fns.length);
    if (ui === null) throw new HostError('INTERNAL', 'The native runtime is out of memory.');
    this.ui = ui;
  }

  /** The last successfully recorded tree. */
  get lastTree(): UiTree {
    return this.tree;
  }

  /** Run one frame: `run` calls the plugin's update_ui with this recorder's PiUi table. */
  record(events: readonly UiEvent[], run: (ui: bigint) => number): RecordedFrame {
    if (active !== null)
      throw new HostError('INTERNAL', 'A UI frame is already being recorded on this thread.');
    const ids = this.ids;
    ids.reset();
    const frame = ids.current;
    // The last event for an id wins (as a Map built from the list would).
    for (const e of events) {
      const slot = ids.slot(e.widget_id);
      slot.event = e;
      slot.eventFrame = frame;
    }
    this.hasEvents = events.length > 0;
    const root: UiNode[] = [];
    this.groups = [{ node: null, children: root }];
    this.into = root;
    this.nodes = 0;
    this.problem = null;
    active = this;
    let status: number;
    try {
      status = run(this.ui);
    } finally {
      active = null;
      if (this.frameStrings.length > 0) {
        for (const p of this.frameStrings) this.rt.free(p);
        this.frameStrings = [];
      }
    }
    const violations: PluginEvent[] = [];
    for (const e of events) {
      const slot = ids.slot(e.widget_id);
      // Report each unmatched id once, for the event that was in effect (the last one).
      if (slot.event !== e || slot.eventFrame !== frame) continue;
      slot.eventFrame = 0;
      if (slot.matched !== frame) {
        violations.push({
          kind: 'violation',
          code: 'UI_EVENT_INVALID',
          message: `UI event ${e.kind} for "${e.widget_id}" matches no widget of the frame.`,
        });
      }
      slot.event = null;
    }
    if (this.problem === null && this.groups.length > 1)
      this.problem = `${this.groups.length - 1} group(s) not closed with end_group`;
    if (this.problem === null && ids.top() !== null) this.problem = 'push_id without pop_id';
    if (this.problem !== null) {
      return {
        status,
        tree: null,
        violations,
        error: new HostError('UI_TREE_INVALID', `The UI frame is invalid: ${this.problem}.`),
      };
    }
    if (status !== PiStatus.OK) return { status, tree: null, violations, error: null };
    this.tree = root;
    return { status, tree: root, violations, error: null };
  }

  /** Remember the first rule the frame broke; later widget calls are ignored. Returns false. */
  private fail(message: string): false {
    this.problem ??= message;
    return false;
  }

  private text_(what: string, s: string | null, id: string): string {
    if (s === null) return '';
    if (s.length > UI_LIMITS.maxTextLength)
      this.fail(`${what} of "${id}" is longer than ${UI_LIMITS.maxTextLength} characters`);
    return s;
  }

  /**
   * Append a widget (its values already checked) under its id: the checks of the original order
   * (earlier failure, id length, duplicate, node count). False when the frame has failed.
   */
  private add(slot: IdSlot, node: UiNode): boolean {
    if (this.problem !== null) return false;
    const id = slot.key;
    if (IdScopes.tooLong(id))
      return this.fail(`widget id "${id.slice(0, 64)}…" is longer than ${UI_LIMITS.maxIdLength}`);
    const frame = this.ids.current;
    if (slot.used === frame) return this.fail(`two widgets have the id "${id}"`);
    if (++this.nodes > UI_LIMITS.maxNodes) return this.fail(`more than ${UI_LIMITS.maxNodes} widgets`);
    slot.used = frame;
    this.into.push(node);
    return true;
  }

  private event(slot: IdSlot, kind: UiEvent['kind'], enabled: boolean): UiEvent | null {
    if (!this.hasEvents || slot.eventFrame !== this.ids.current) return null;
    const e = slot.event;
    if (e === null || e.kind !== kind || !enabled) return null;
    slot.matched = this.ids.current;
    return e;
  }

  text(type: 'label' | 'heading', s: string | null): void {
    if (this.problem !== null) return;
    const slot = this.ids.claim(type, null, s === null ? '' : s.length > 200 ? s.slice(0, 200) : s);
    const id = slot.key;
    this.add(slot, { id, type, text: this.text_('text', s, id) });
  }

  separator(): void {
    if (this.problem !== null) return;
    const slot = this.ids.claim('separator', null, '');
    this.add(slot, { id: slot.key, type: 'separator' });
  }

  button(explicit: string | null, text: string | null, flags: number): number {
    if (this.problem !== null) return 0;
    const slot = this.ids.claim('button', explicit, text ?? '');
    const id = slot.key;
    const enabled = (flags & PiUiFlags.DISABLED) === 0;
    if (!this.add(slot, { id, type: 'button', text: this.text_('text', text, id), enabled })) return 0;
    return this.event(slot, 'click', enabled) ? 1 : 0;
  }

  textEdit(
    explicit: string | null,
    value: string | null,
    hint: string | null,
    flags: number,
    out: bigint | null,
  ): number {
    if (this.problem !== null) return 0;
    const slot = this.ids.claim('text_edit', explicit, hint ?? '');
    const id = slot.key;
    const enabled = (flags & PiUiFlags.DISABLED) === 0;
    const e = this.event(slot, 'text', enabled);
    const next = e?.kind === 'text' ? e.value : value;
    const node: UiNode = {
      id,
      type: 'text_edit',
      value: this.text_('value', next, id),
      hint: this.text_('hint', hint, id),
      password: (flags & PiUiFlags.PASSWORD) !== 0,
      multiline: (flags & PiUiFlags.MULTILINE) !== 0,
      enabled,
    };
    if (!this.add(slot, node) || e?.kind !== 'text') return 0;
    if (out) {
      const p = this.rt.strdup(e.value) ?? 0n;
      this.frameStrings.push(p);
      koffi.encode(out, 'void *', p);
    }
    return 1;
  }

  comboBox(
    explicit: string | null,
    placeholder: string | null,
    opts: bigint | null,
    n: number,
    selected: number,
    flags: number,
    out: bigint | null,
  ): number {
    if (this.problem !== null) return 0;
    const slot = this.ids.claim('combo_box', explicit, placeholder ?? '');
    const id = slot.key;
    if (n > UI_LIMITS.maxOptions)
      return Number(this.fail(`combo box "${id}" has ${n} options (limit ${UI_LIMITS.maxOptions})`));
    if (n > 0 && !opts)
      return Number(this.fail(`combo box "${id}" has ${n} options but a NULL options array`));
    const raw = (n > 0 && opts ? koffi.decode(opts, 'const char *', n) : []) as (string | null)[];
    const options = raw.map((o) => this.text_('option', o, id));
    const enabled = (flags & PiUiFlags.DISABLED) === 0;
    const e = this.event(slot, 'select', enabled);
    const pick = e?.kind === 'select' && e.value < n ? e.value : null;
    const shown = pick ?? selected;
    const node: UiNode = {
      id,
      type: 'combo_box',
      options,
      selected: shown >= 0 && shown < n ? shown : null,
      placeholder: this.text_('placeholder', placeholder, id),
      enabled,
    };
    if (!this.add(slot, node) || pick === null) return 0;
    if (out) koffi.encode(out, 'int32_t', pick);
    return 1;
  }

  toggle(
    explicit: string | null,
    label: string | null,
    value: number,
    flags: number,
    out: bigint | null,
  ): number {
    if (this.problem !== null) return 0;
    const slot = this.ids.claim('toggle', explicit, label ?? '');
    const id = slot.key;
    const enabled = (flags & PiUiFlags.DISABLED) === 0;
    const e = this.event(slot, 'toggle', enabled);
    const next = e?.kind === 'toggle' ? e.value : value !== 0;
    if (
      !this.add(slot, { id, type: 'toggle', label: this.text_('label', label, id), value: next, enabled }) ||
      e?.kind !== 'toggle'
    )
      return 0;
    if (out) koffi.encode(out, 'uint8_t', next ? 1 : 0);
    return 1;
  }

  begin(type: 'horizontal' | 'vertical'): void {
    if (this.problem !== null) return;
    if (this.groups.length + 1 > UI_LIMITS.maxDepth) {
      this.fail(`groups nest deeper than ${UI_LIMITS.maxDepth} levels`);
      return;
    }
    const slot = this.ids.claim(type, null, '');
    const id = slot.key;
    const node = { id, type, children: [] as UiNode[] };
    if (!this.add(slot, node)) return;
    this.groups.push({ node, children: node.children });
    this.into = node.children;
    this.ids.push('group', id);
  }

  endGroup(): void {
    if (this.problem !== null) return;
    if (this.groups.length <= 1) {
      this.fail('end_group without an open group');
      return;
    }
    if (!this.ids.pop('group')) {
      this.fail('end_group closes a push_id scope (call pop_id first)');
      return;
    }
    this.groups.pop();
    this.into = this.groups[this.groups.length - 1]!.children;
  }

  pushId(salt: string | null): void {
    if (this.problem !== null) return;
    if (!salt) {
      this.fail('push_id with an empty salt');
      return;
    }
    this.ids.push('id', this.ids.salted(salt));
  }

  popId(): void {
    if (this.problem !== null) return;
    if (!this.ids.pop('id'))
      this.fail(
        this.ids.top() === 'group'
          ? 'pop_id closes a group (call end_group first)'
          : 'pop_id without push_id',
      );
  }
}
