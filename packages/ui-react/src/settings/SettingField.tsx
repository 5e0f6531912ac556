import type { SettingSpec } from '@plugin-interfaces/spec';
import type { ReactNode } from 'react';
import type { RawValue } from './form-values.js';

/** Props of {@link SettingField}. */
export interface SettingFieldProps {
  readonly id: string;
  readonly name: string;
  readonly spec: SettingSpec;
  readonly value: RawValue;
  readonly error: string | undefined;
  readonly onChange: (value: RawValue) => void;
  /** A secret the host has a value for (it never sends it): an empty field keeps that value. */
  readonly secretSet?: boolean;
}

/** One labelled control for one declared setting, with its description, default and error. */
export function SettingField({
  id,
  name,
  spec,
  value,
  error,
  onChange,
  secretSet = false,
}: SettingFieldProps): ReactNode {
  const label = spec.label ?? name;
  const descId = `${id}-desc`;
  const errId = `${id}-error`;
  const format =
    spec.type === 'string' && spec.pattern !== undefined
      ? `Format: ${spec.pattern} (the whole value)`
      : undefined;
  const shownDefault = spec.type === 'string' && spec.secret ? undefined : spec.default;
  const kept = secretSet ? 'A value is set; leave this empty to keep it.' : undefined;
  const hint = [
    spec.description,
    format,
    kept,
    shownDefault !== undefined ? `Default: ${String(shownDefault)}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  const describedBy = [hint ? descId : '', error ? errId : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, name, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy };
  const text = typeof value === 'string' ? value : '';

  let control: ReactNode;
  switch (spec.type) {
    case 'boolean':
      control = (
        <input
          {...common}
          type="checkbox"
          checked={value === true}
          onChange={(e) => onChange(e.target.checked)}
        />
      );
      break;
    case 'number':
    case 'integer':
      control = (
        <input
          {...common}
          type="number"
          inputMode={spec.type === 'integer' ? 'numeric' : 'decimal'}
          step={spec.type === 'integer' ? 1 : 'any'}
          min={spec.min}
          max={spec.max}
          required={spec.required}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    case 'select':
      control = (
        <select {...common} required={spec.required} value={text} onChange={(e) => onChange(e.target.value)}>
          {(text === '' || !spec.options.includes(text)) && (
            <option value="" disabled={spec.required}>
              Choose…
            </option>
          )}
          {spec.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
      break;
    case 'string':
      control = (
        <input
          {...common}
          type={spec.secret ? 'password' : 'text'}
          autoComplete={spec.secret ? 'off' : undefined}
          placeholder={secretSet ? '(set)' : undefined}
          required={spec.required}
          pattern={spec.pattern}
          minLength={spec.min_length}
          maxLength={spec.max_length}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
  }

  return (
    <div className="pi-field" data-setting-type={spec.type} data-invalid={error ? true : undefined}>
      {spec.type === 'boolean' ? (
        <label htmlFor={id} className="pi-field-check">
          {control}
          <span>{label}</span>
        </label>
      ) : (
        <>
          <label htmlFor={id}>
            {label}
            {'required' in spec && spec.required && <span aria-hidden="true"> *</span>}
          </label>
          {control}
        </>
      )}
      {hint && (
        <p id={descId} className="pi-field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errId} className="pi-field-error">
          {error}
        </p>
      )}
    </div>
  );
}
