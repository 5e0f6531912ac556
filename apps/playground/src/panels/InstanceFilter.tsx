import { useSnapshot } from '@plugin-interfaces/ui-react';
import type { ReactNode } from 'react';

/** A labelled "Instance" select: all instances, or one of the snapshot's (the inspector and log filters). */
export function InstanceFilter({
  id,
  value,
  onChange,
}: {
  readonly id: string;
  readonly value: string | null;
  readonly onChange: (instanceId: string | null) => void;
}): ReactNode {
  const { instances } = useSnapshot();
  return (
    <>
      <label htmlFor={id} className="pg-label">
        Instance
      </label>
      <select
        id={id}
        className="pg-input"
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
      >
        <option value="">All instances</option>
        {instances.map((i) => (
          <option key={i.instance_id} value={i.instance_id}>
            {i.instance_id}
          </option>
        ))}
      </select>
    </>
  );
}
