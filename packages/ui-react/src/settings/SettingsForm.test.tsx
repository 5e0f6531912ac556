import type { SettingSpec } from '@plugin-interfaces/spec';
import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { PluginClientProvider } from '../hooks.js';
import { FakeClient } from '../test-support/fake-client.js';
import { instance, snapshotWith } from '../test-support/fixtures.js';
import { SettingsForm } from './SettingsForm.js';

const specs: Record<string, SettingSpec> = {
  api_key: { type: 'string', label: 'API key', secret: true, required: true },
  handle: { type: 'string', label: 'Handle', pattern: '[a-z]+', default: 'bot' },
  retries: { type: 'integer', label: 'Retries', min: 0, max: 5, default: 3 },
  verbose: { type: 'boolean', label: 'Verbose' },
  model: { type: 'select', label: 'Model', options: ['small', 'large'], default: 'small' },
};

function setup(values: Record<string, unknown> = {}) {
  const client = new FakeClient(snapshotWith(instance({ settings: values })));
  render(
    <PluginClientProvider client={client}>
      <SettingsForm instanceId="echo-1" specs={specs} />
    </PluginClientProvider>,
  );
  return client;
}

const field = (name: string) => screen.getByLabelText(name, { exact: false }) as HTMLInputElement;

describe('SettingsForm', () => {
  it('generates a control per setting with defaults and HTML constraints', () => {
    setup();
    expect(field('API key').type).toBe('password');
    expect(field('API key').required).toBe(true);
    expect(field('Handle').value).toBe('bot');
    expect(field('Handle').pattern).toBe('[a-z]+');
    expect(field('Retries').type).toBe('number');
    expect(field('Retries').value).toBe('3');
    expect([field('Retries').min, field('Retries').max]).toEqual(['0', '5']);
    expect(screen.getByRole('checkbox', { name: 'Verbose' })).toBeDefined();
    expect((screen.getByRole('combobox', { name: 'Model' }) as HTMLSelectElement).value).toBe('small');
    expect(screen.getByText('Default: 3')).toBeDefined();
  });

  it('blocks invalid values, shows the problem next to each field and sends nothing', async () => {
    const client = setup();
    await userEvent.clear(field('Handle'));
    await userEvent.type(field('Handle'), 'BAD!');
    await userEvent.clear(field('Retries'));
    await userEvent.type(field('Retries'), '9');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(client.sent('set_settings')).toEqual([]);
    expect(screen.getByText('API key is required')).toBeDefined();
    expect(
      screen.getByText('Handle does not match the required format: the whole value must match [a-z]+'),
    ).toBeDefined();
    expect(screen.getByText('Retries must be at most 5')).toBeDefined();
    expect(field('Retries').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(field('API key'));
  });

  it('sends typed values with set_settings once they are valid', async () => {
    const client = setup({ retries: 1 });
    await userEvent.type(field('API key'), 'k-123');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Verbose' }));
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Model' }), 'large');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(client.sent('set_settings')).toEqual([
      {
        instance_id: 'echo-1',
        settings: { api_key: 'k-123', handle: 'bot', retries: 1, verbose: true, model: 'large' },
      },
    ]);
    expect(await screen.findByRole('status')).toHaveProperty('textContent', 'Saved');
  });

  it('shows the host error when the host refuses the settings', async () => {
    const client = setup({ api_key: 'k' });
    client.answer = () => Promise.reject(new Error('settings rejected by host'));
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect((await screen.findByRole('alert')).textContent).toBe('settings rejected by host');
  });

  it('hands valid values to `submit` instead of set_settings (settings before load)', async () => {
    const client = new FakeClient(snapshotWith());
    const submitted: Record<string, unknown>[] = [];
    render(
      <PluginClientProvider client={client}>
        <SettingsForm
          instanceId=""
          specs={specs}
          submitLabel="Load with these settings"
          submit={async (v) => {
            submitted.push(v);
          }}
        />
      </PluginClientProvider>,
    );
    await userEvent.type(field('API key'), 'k-1');
    await userEvent.click(screen.getByRole('button', { name: 'Load with these settings' }));
    expect(submitted).toEqual([
      { api_key: 'k-1', handle: 'bot', retries: 3, verbose: false, model: 'small' },
    ]);
    expect(client.sent('set_settings')).toEqual([]);
  });

  it('shows the expected format of a patterned setting and never a secret default', () => {
    setup();
    expect(screen.getByText(/Format: \[a-z\]\+ \(the whole value\)/)).toBeDefined();
  });
});

describe('SettingsForm with a secret the host masks', () => {
  it('shows a set secret as an empty field and sends the marker back so the host keeps it', async () => {
    const client = setup({ api_key: { secret: 'set' }, retries: 2 });
    expect(field('API key').value).toBe('');
    expect(screen.getByText('A value is set; leave this empty to keep it.')).toBeDefined();
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(client.sent('set_settings')).toEqual([
      {
        instance_id: 'echo-1',
        settings: { api_key: { secret: 'set' }, handle: 'bot', retries: 2, verbose: false, model: 'small' },
      },
    ]);
  });

  it('sends a new secret typed over a set one', async () => {
    const client = setup({ api_key: { secret: 'set' } });
    await userEvent.type(field('API key'), 'k-new');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect((client.sent('set_settings')[0] as { settings: Record<string, unknown> }).settings.api_key).toBe(
      'k-new',
    );
  });

  it('still requires an unset required secret', async () => {
    const client = setup({ api_key: { secret: 'unset' } });
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(client.sent('set_settings')).toEqual([]);
    expect(screen.getByText('API key is required')).toBeDefined();
  });
});
