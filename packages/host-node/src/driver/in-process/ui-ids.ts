import { UI_LIMITS } from '@plugin-interfaces/spec';

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
 * Widget ids of one frame. An id is `scope/part` where the scope comes from push_id salts and
 * enclosing groups. Auto ids are `kind:label` (the label, hint or placeholder), with `#n` for the
 * n-th occurrence of the same base in the frame, so ids stay stable across frames and never depend
 * on a counter over all widgets.
 */
export class IdScopes {
  private readonly scopes: string[] = [];
  private readonly kinds: ('group' | 'id')[] = [];
  private readonly seen = new Map<string, number>();
  private prefix = '';

  reset(): void {
    this.scopes.length = 0;
    this.kinds.length = 0;
    this.seen.clear();
    this.prefix = '';
  }

  /** The id for a widget: explicit (scoped) or derived from kind + label + occurrence. */
  id(kind: string, explicit: string | null, label: string): string {
    if (explicit) return fit(this.prefix + explicit);
    const part = label.length > 64 ? `${label.slice(0, 32)}~${fnv32(label)}` : label;
    const base = `${this.prefix}${kind}${part === '' ? '' : `:${part}`}`;
    const n = (this.seen.get(base) ?? 0) + 1;
    this.seen.set(base, n);
    return fit(n === 1 ? base : `${base}#${n}`);
  }

  /** Open a scope for a group (its id) or a push_id salt. */
  push(kind: 'group' | 'id', scope: string): void {
    this.scopes.push(scope);
    this.kinds.push(kind);
    this.prefix = `${scope}/`;
  }

  /** Close the innermost scope; returns false when it is not of `kind`. */
  pop(kind: 'group' | 'id'): boolean {
    if (this.kinds[this.kinds.length - 1] !== kind) return false;
    this.kinds.pop();
    this.scopes.pop();
    const top = this.scopes[this.scopes.length - 1];
    this.prefix = top === undefined ? '' : `${top}/`;
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
