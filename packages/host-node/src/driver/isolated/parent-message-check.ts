import { createValidator, IsolatedParentMessage, validators } from '@plugin-interfaces/spec';
import type { ParentMessage } from './ipc-protocol.js';

/**
 * The child's check of a message from the parent, compiled per kind on first use. Compiling the
 * whole `IsolatedParentMessage` union costs a starting plugin process several milliseconds for
 * message kinds it may never get; each member of the union is told apart by its literal `t` (and,
 * for calls, `op`), so a message is checked against the members of its own kind only, which
 * accepts exactly what the union accepts. Should the spec's union ever lose that shape, the
 * whole union is compiled as before.
 */
type TSchema = Parameters<typeof createValidator>[0];
type Check = (v: unknown) => boolean;
type Keyed = Map<string, readonly TSchema[]>;

function literal(schema: TSchema, key: string): string | null {
  const prop = (schema as { properties?: Record<string, { const?: unknown }> }).properties?.[key];
  return typeof prop?.const === 'string' ? prop.const : null;
}

function keyOf(t: string, op: string | null): string {
  return op === null ? t : `${t}:${op}`;
}

/** Members of the union by kind, or null when some member has no literal `t`. */
function byKind(): Keyed | null {
  const members = (IsolatedParentMessage as { anyOf?: readonly TSchema[] }).anyOf;
  if (!Array.isArray(members)) return null;
  const out = new Map<string, TSchema[]>();
  for (const m of members) {
    const t = literal(m, 't');
    if (t === null) return null;
    const key = keyOf(t, t === 'call' ? literal(m, 'op') : null);
    out.set(key, [...(out.get(key) ?? []), m]);
  }
  return out;
}

let kinds: Keyed | null | undefined;
const compiled = new Map<string, readonly Check[]>();

/** True when `v` is a valid message from the parent (the spec's `IsolatedParentMessage`). */
export function isParentMessageLazy(v: unknown): v is ParentMessage {
  kinds ??= byKind();
  if (kinds === null) return validators.isolatedParentMessage.check(v);
  if (typeof v !== 'object' || v === null) return false;
  const { t, op } = v as { t?: unknown; op?: unknown };
  if (typeof t !== 'string') return false;
  const key = keyOf(t, t === 'call' ? (typeof op === 'string' ? op : '') : null);
  let checks = compiled.get(key);
  if (checks === undefined) {
    const members = kinds.get(key);
    if (members === undefined) return false;
    checks = members.map((schema) => {
      const validator = createValidator(schema);
      return (value: unknown) => validator.check(value);
    });
    compiled.set(key, checks);
  }
  return checks.some((check) => check(v));
}
