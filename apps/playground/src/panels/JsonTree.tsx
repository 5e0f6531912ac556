import { type ReactNode, useState } from 'react';

/** Props of {@link JsonTree}. */
export interface JsonTreeProps {
  readonly value: unknown;
  /** Objects and arrays this deep or less start open. */
  readonly openDepth?: number;
}

function summary(value: unknown): string {
  if (Array.isArray(value)) return `[${value.length}]`;
  if (typeof value === 'object' && value !== null) return `{${Object.keys(value).length}}`;
  return '';
}

function Scalar({ value }: { readonly value: unknown }): ReactNode {
  const kind = value === null ? 'null' : typeof value;
  return (
    <span className="pg-json-scalar" data-kind={kind}>
      {JSON.stringify(value)}
    </span>
  );
}

function Node({
  name,
  value,
  depth,
  openDepth,
}: {
  readonly name: string | null;
  readonly value: unknown;
  readonly depth: number;
  readonly openDepth: number;
}): ReactNode {
  const label = name === null ? null : <span className="pg-json-key">{JSON.stringify(name)}: </span>;
  if (typeof value !== 'object' || value === null)
    return (
      <div className="pg-json-row">
        {label}
        <Scalar value={value} />
      </div>
    );
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value);
  if (entries.length === 0)
    return (
      <div className="pg-json-row">
        {label}
        <span className="pg-json-scalar">{Array.isArray(value) ? '[]' : '{}'}</span>
      </div>
    );
  return (
    <Disclosure
      initiallyOpen={depth <= openDepth}
      head={
        <>
          {label}
          <span className="pg-meta">{summary(value)}</span>
        </>
      }
    >
      {() => (
        <div className="pg-json-children">
          {entries.map(([k, v]) => (
            <Node
              key={k}
              name={Array.isArray(value) ? null : k}
              value={v}
              depth={depth + 1}
              openDepth={openDepth}
            />
          ))}
        </div>
      )}
    </Disclosure>
  );
}

/**
 * A `<details>` whose body is only rendered while it is open, so hundreds of closed frames cost
 * one line each.
 */
export function Disclosure({
  head,
  children,
  initiallyOpen = false,
}: {
  readonly head: ReactNode;
  readonly children: () => ReactNode;
  readonly initiallyOpen?: boolean;
}): ReactNode {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <details className="pg-json-node" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{head}</summary>
      {open && children()}
    </details>
  );
}

/** A value as pretty, collapsible JSON: every object and array is a disclosure. */
export function JsonTree({ value, openDepth = 1 }: JsonTreeProps): ReactNode {
  return (
    <div className="pg-json">
      <Node name={null} value={value} depth={0} openDepth={openDepth} />
    </div>
  );
}
