import { usePluginClient, useSnapshot } from '@plugin-interfaces/ui-react';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { isSecretKey, REDACTED } from '../connection/redact.js';
import { useAction } from './use-action.js';

/** How the value box is read. */
export type ValueMode = 'json' | 'text';

/** Read the value box: JSON in JSON mode (an error when it does not parse), the text as a string in text mode. */
export function parseConfigValue(
  text: string,
  mode: ValueMode,
): { ok: true; value: unknown } | { ok: false; error: string } {
  if (mode === 'text') return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return {
      ok: false,
      error: `Not valid JSON (${e instanceof Error ? e.message : String(e)}). Quote text ("like this") or choose Text.`,
    };
  }
}

/**
 * The host's app config (what plugins read with get_app_config): each key with its value
 * (secret-looking keys redacted) and a Delete button, and a form to set a key to a JSON value or
 * to text. The page updates as soon as the host accepted a change.
 */
export function AppConfigEditor(): ReactNode {
  const client = usePluginClient();
  const config = useSnapshot().app_config;
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [mode, setMode] = useState<ValueMode>('json');
  const [saved, setSaved] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction();
  const id = useId();
  const write = (k: string, v: unknown, done: string): Promise<void> =>
    action.run(async () => {
      await client.request('set_app_config', { key: k, value: v });
      // The host does not announce app config changes; a snapshot brings them to the page.
      await client.request('snapshot', {});
      setSaved(done);
    });
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    const k = key.trim();
    if (k === '') return;
    setSaved(null);
    const parsed = parseConfigValue(value, mode);
    if (!parsed.ok) {
      setProblem(parsed.error);
      return;
    }
    setProblem(null);
    void write(k, parsed.value, `Saved ${k}`);
  };
  const entries = Object.entries(config);
  return (
    <section className="pg-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>App config</h2>
      {entries.length === 0 ? (
        <p className="pg-hint">Empty.</p>
      ) : (
        <dl className="pg-config">
          {entries.map(([k, v]) => (
            <div key={k} className="pg-config-row">
              <dt>{k}</dt>
              <dd>
                <code>{isSecretKey(k, new Set()) ? REDACTED : JSON.stringify(v)}</code>
                <button
                  type="button"
                  className="pi-button"
                  data-variant="danger"
                  aria-label={`Delete ${k}`}
                  disabled={action.busy}
                  onClick={() => void write(k, null, `Deleted ${k}`)}
                >
                  Delete
                </button>
              </dd>
            </div>
          ))}
        </dl>
      )}
      <form className="pg-config-form" onSubmit={onSubmit} noValidate>
        <label htmlFor={`${id}-key`} className="pg-label">
          Key
        </label>
        <input id={`${id}-key`} className="pg-input" value={key} onChange={(e) => setKey(e.target.value)} />
        <fieldset className="pg-mode">
          <legend className="pg-label">Value is</legend>
          <label>
            <input
              type="radio"
              name={`${id}-mode`}
              checked={mode === 'json'}
              onChange={() => setMode('json')}
            />{' '}
            JSON
          </label>
          <label>
            <input
              type="radio"
              name={`${id}-mode`}
              checked={mode === 'text'}
              onChange={() => setMode('text')}
            />{' '}
            Text
          </label>
        </fieldset>
        <label htmlFor={`${id}-value`} className="pg-label">
          Value
        </label>
        <input
          id={`${id}-value`}
          className="pg-input"
          value={value}
          aria-invalid={problem !== null || undefined}
          aria-describedby={problem !== null ? `${id}-problem` : undefined}
          onChange={(e) => setValue(e.target.value)}
        />
        <p className="pg-hint">Deleting sets the key to null, which the playground treats as removing it.</p>
        <button type="submit" className="pi-button" disabled={action.busy || key.trim() === ''}>
          Set
        </button>
        {problem !== null && (
          <p id={`${id}-problem`} role="alert" className="pi-error">
            {problem}
          </p>
        )}
        {saved !== null && <span role="status">{saved}</span>}
        {action.error !== null && (
          <span role="alert" className="pi-error">
            {action.error}
          </span>
        )}
      </form>
    </section>
  );
}
