import { type SettingSpec, validateSettings } from '@plugin-interfaces/spec';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useInstance, usePluginClient, useSnapshot } from '../hooks.js';
import { userMessage } from '../user-message.js';
import { fromRaw, initialRaw, isSecretMarker, keptSecrets, type RawValue } from './form-values.js';
import { problemText } from './problem-text.js';
import { SettingField } from './SettingField.js';

/** Props of {@link SettingsForm}. */
export interface SettingsFormProps {
  /** The instance whose settings are edited. */
  readonly instanceId: string;
  /** The declared settings; defaults to the instance's plugin's `settings` from the snapshot. */
  readonly specs?: Readonly<Record<string, SettingSpec>>;
  /** The current values; default to the instance's saved settings. Missing keys show their default. */
  readonly values?: Readonly<Record<string, unknown>>;
  /** Called with the values the host accepted. */
  readonly onSaved?: (values: Record<string, unknown>) => void;
  /**
   * Where valid values go instead of `set_settings` (e.g. a `load` with settings, before there
   * is an instance); its rejection is shown like a refused save.
   */
  readonly submit?: (values: Record<string, unknown>) => Promise<unknown>;
  /** The submit button's text; default "Save settings". */
  readonly submitLabel?: string;
  /** The form's accessible name; default "Plugin settings". */
  readonly label?: string;
}

type Outcome = { readonly kind: 'saved' } | { readonly kind: 'failed'; readonly message: string } | null;

/**
 * A form generated from a plugin's declared settings. Values are checked with the spec's
 * `validateSettings` (the same check the host runs) before `set_settings` is sent; problems are
 * shown next to their fields, and the first invalid field gets the focus.
 */
export function SettingsForm({
  instanceId,
  specs,
  values,
  onSaved,
  submit,
  submitLabel = 'Save settings',
  label = 'Plugin settings',
}: SettingsFormProps): ReactNode {
  const client = usePluginClient();
  const instance = useInstance(instanceId);
  const plugin = useSnapshot().plugins.find((p) => p.id === instance?.plugin_id);
  const declared = specs ?? plugin?.settings ?? {};
  const current = values ?? instance?.settings ?? {};
  const [raw, setRaw] = useState(() => initialRaw(declared, current));
  const [touched, setTouched] = useState(false);
  const savedKey = JSON.stringify(current);
  // Saved values that arrive later (e.g. with a resync) fill the form while the user has not typed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-read only when the saved values change
  useEffect(() => {
    if (!touched) setRaw(initialRaw(declared, current));
  }, [savedKey]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  const formId = useId();
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    const first = Object.keys(errors)[0];
    if (first === undefined) return;
    form.current?.ownerDocument.getElementById(`${formId}-${first}`)?.focus();
  }, [errors, formId]);

  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    // Secrets the host keeps (shown as "set") and the user left empty go back as their marker.
    const kept = keptSecrets(declared, current, raw);
    const checked = Object.fromEntries(Object.entries(declared).filter(([k]) => !kept.includes(k)));
    const result = validateSettings(checked, fromRaw(checked, raw));
    setOutcome(null);
    if (!result.ok) {
      const next: Record<string, string> = {};
      for (const p of result.problems) next[p.key] ??= problemText(p.key, declared[p.key], p.message);
      setErrors(next);
      return;
    }
    setErrors({});
    setBusy(true);
    const values: Record<string, unknown> = { ...result.values };
    for (const key of kept) values[key] = { secret: 'set' };
    const saving =
      submit !== undefined
        ? submit(values)
        : client.request('set_settings', { instance_id: instanceId, settings: values });
    saving
      .then(
        () => {
          setOutcome({ kind: 'saved' });
          onSaved?.(values);
        },
        (err: unknown) => setOutcome({ kind: 'failed', message: userMessage(err) }),
      )
      .finally(() => setBusy(false));
  };

  const entries = Object.entries(declared);
  return (
    <form ref={form} className="pi-settings" noValidate onSubmit={onSubmit} aria-label={label}>
      {entries.length === 0 && <p className="pi-field-hint">This plugin has no settings.</p>}
      {entries.map(([key, spec]) => (
        <SettingField
          key={key}
          id={`${formId}-${key}`}
          name={key}
          spec={spec}
          value={raw[key] ?? ''}
          secretSet={isSecretMarker(current[key]) && current[key].secret === 'set'}
          error={errors[key]}
          onChange={(v: RawValue) => {
            setTouched(true);
            setRaw((r) => ({ ...r, [key]: v }));
          }}
        />
      ))}
      <div className="pi-settings-actions">
        <button
          type="submit"
          className="pi-button"
          data-variant="primary"
          disabled={busy || entries.length === 0}
        >
          {submitLabel}
        </button>
        {Object.keys(errors).length > 0 && (
          <span role="alert" className="pi-error">
            Please fix the highlighted settings.
          </span>
        )}
        {outcome?.kind === 'saved' && <span role="status">Saved</span>}
        {outcome?.kind === 'failed' && (
          <span role="alert" className="pi-error">
            {outcome.message}
          </span>
        )}
      </div>
    </form>
  );
}
