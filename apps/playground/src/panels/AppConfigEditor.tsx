import { usePluginClient, useSnapshot } from '@plugin-interfaces/ui-react';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useAction } from './use-action.js';

/** Parse the value box: JSON when it parses, otherwise the text as a string. */
export function parseConfigValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The host's app config (what plugins read with get_app_config) and a form to set one key. */
export function AppConfigEditor(): ReactNode {
  const client = usePluginClient();
  const config = useSnapshot().app_config;
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const action = useAction();
  const id = useId();
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    const k = key.trim();
    if (k === '') return;
    setSaved(null);
    void action.run(async () => {
      await client.request('set_app_config', { key: k, value: parseConfigValue(value) });
      setSaved(k);
    });
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
            <div key={k}>
              <dt>{k}</dt>
              <dd>
                <code>{JSON.stringify(v)}</code>
              </dd>
            </div>
          ))}
        </dl>
      )}
      <form className="pg-config-form" onSubmit={onSubmit}>
        <label htmlFor={`${id}-key`} className="pg-label">
          Key
        </label>
        <input id={`${id}-key`} className="pg-input" value={key} onChange={(e) => setKey(e.target.value)} />
        <label htmlFor={`${id}-value`} className="pg-label">
          Value (JSON, or plain text)
        </label>
        <input
          id={`${id}-value`}
          className="pg-input"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="pi-button" disabled={action.busy || key.trim() === ''}>
          Set
        </button>
        {saved !== null && <span role="status">Saved {saved}</span>}
        {action.error !== null && (
          <span role="alert" className="pi-error">
            {action.error}
          </span>
        )}
      </form>
    </section>
  );
}
