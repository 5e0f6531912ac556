import { UI_LIMITS, type UiEvent } from '@plugin-interfaces/spec';

/** FNV-1a 32-bit, hex: a short stable digest for ids derived from long labels. */
function fnv32(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Keep an id within the schema's limit: an over-long id becomes a digest of it plus its tail. */
function fit(id: string): string {
  if (id.length <= UI_LIMITS.maxIdLength) return id;
  return `${fnv32(id)}~${id.slice(id.length - (UI_LIMITS.maxIdLength - 9))}`;
}

/**
 * What the recorder knows about one id string. Slots outlive frames (each field is stamped with
 * the frame it belongs to), so a steady UI claims its ids without rebuilding maps every frame and
 * the `#n` ids of repeated widgets are the same (already hashed) strings frame after frame.
 */
export interface IdSlot {
  /** The id itself (the map key). */
  readonly key: string;
  /** Frame that last claimed this id for a widget. */
  used: number;
  /** Occurrences of this string as an auto-id base in frame `nFrame`. */
  n: number;
  nFrame: number;
  /** `#n` ids derived from this base, by n (slots of the same map). */
  next: IdSlot[] | null;
  /** The UI event addressed to this id in frame `eventFrame`, and the frame that matched it. */
  event: UiEvent | null;
  eventFrame: number;
  matched: number;
}

/** Widget kinds that get auto ids (index into a scope's base tables). */
const KIND_INDEX: Record<string, number> = {
  label: 0,
  heading: 1,
  separator: 2,
  button: 3,
  text_edit: 4,
  combo_box: 5,
  toggle: 6,
  horizontal: 7,
  vertical: 8,
};

/** Slots kept across frames before the table is started afresh (labels that change every frame). */
const MAX_SLOTS = 4 * UI_LIMITS.maxNodes;

/**
 * Widget ids of one frame, by the rules in the spec's `PiUi` doc ("How widget ids are formed"): an
 * explicit id is the id itself; an auto id is `kind:label` under the enclosing push_id scopes, with
 * `#n` for the n-th occurrence of the same base in that scope and frame. Rows and columns are layout
 * only and never change the ids inside them, so ids never depend on the position of unrelated
 * widgets or groups. `claim` also detects two widgets with the same id.
 */
export class IdScopes {
  private readonly scopes: string[] = [];
  private readonly kinds: ('group' | 'id')[] = [];
  private readonly slots = new Map<string, IdSlot>();
  /**
   * Auto-id base slots by scope prefix, then kind (KIND_INDEX), then label part: a widget finds its base by
   * hashing its label only (the `prefix kind:label` string is built once, when the slot is new).
   */
  private readonly bases = new Map<string, Map<string, IdSlot>[]>();
  private readonly scopeBases: Map<string, IdSlot>[][] = [];
  private current_: Map<string, IdSlot>[] = [];
  private frame = 0;
  private prefix = '';

  /** Start a frame. */
  reset(): void {
    this.scopes.length = 0;
    this.kinds.length = 0;
    this.scopeBases.length = 0;
    this.prefix = '';
    this.frame++;
    if (this.slots.size > MAX_SLOTS || this.bases.size > MAX_SLOTS) {
      this.slots.clear();
      this.bases.clear();
    }
    this.current_ = this.basesOf('');
  }

  private basesOf(prefix: string): Map<string, IdSlot>[] {
    let b = this.bases.get(prefix);
    if (b === undefined) {
      b = [];
      this.bases.set(prefix, b);
    }
    return b;
  }

  /** The current frame number (slot stamps compare against it). */
  get current(): number {
    return this.frame;
  }

  /** The slot of an id string, created on first sight. */
  slot(key: string): IdSlot {
    let s = this.slots.get(key);
    if (s === undefined) {
      s = { key, used: 0, n: 0, nFrame: 0, next: null, event: null, eventFrame: 0, matched: 0 };
      this.slots.set(key, s);
    }
    return s;
  }

  /**
   * The slot of a widget's id: explicit (scoped) or derived from kind + label + occurrence. The
   * caller checks `used === current` (a duplicate) before marking it used.
   */
  claim(kind: string, explicit: string | null, label: string): IdSlot {
    if (explicit) return this.slot(fit(explicit));
    const part = label.length > 64 ? `${label.slice(0, 32)}~${fnv32(label)}` : label;
    const k = KIND_INDEX[kind] ?? 9;
    let byLabel = this.current_[k];
    if (byLabel === undefined) {
      byLabel = new Map();
      this.current_[k] = byLabel;
    }
    let base = byLabel.get(part);
    if (base === undefined) {
      base = this.slot(part === '' ? this.prefix + kind : `${this.prefix}${kind}:${part}`);
      byLabel.set(part, base);
    }
    if (base.nFrame !== this.frame) {
      base.nFrame = this.frame;
      base.n = 0;
    }
    const n = ++base.n;
    if (n === 1) return base.key.length <= UI_LIMITS.maxIdLength ? base : this.slot(fit(base.key));
    if (base.next === null) base.next = [];
    let id = base.next[n];
    if (id === undefined) {
      id = this.slot(fit(`${base.key}#${n}`));
      base.next[n] = id;
    }
    return id;
  }

  /**
   * Open a group (layout only: ids inside keep the current scope) or a push_id scope (auto ids
   * inside get `scope/` in front).
   */
  push(kind: 'group' | 'id', scope: string): void {
    this.scopes.push(kind === 'id' ? scope : (this.scopes[this.scopes.length - 1] ?? ''));
    this.kinds.push(kind);
    this.scopeBases.push(this.current_);
    if (kind === 'group') return;
    this.prefix = `${scope}/`;
    this.current_ = this.basesOf(this.prefix);
  }

  /** Close the innermost group or scope; returns false when it is not of `kind`. */
  pop(kind: 'group' | 'id'): boolean {
    if (this.kinds[this.kinds.length - 1] !== kind) return false;
    this.kinds.pop();
    this.scopes.pop();
    this.current_ = this.scopeBases.pop()!;
    const top = this.scopes[this.scopes.length - 1];
    this.prefix = top === undefined || top === '' ? '' : `${top}/`;
    return true;
  }

  /** The innermost scope's kind, or null at the root. */
  top(): 'group' | 'id' | null {
    return this.kinds[this.kinds.length - 1] ?? null;
  }

  /** A scope salt for push_id: the current prefix plus the salt. */
  salted(salt: string): string {
    return this.prefix + salt;
  }

  static tooLong(id: string): boolean {
    return id.length > UI_LIMITS.maxIdLength;
  }
}
