import type { PluginConfig, SettingSpec } from '@plugin-interfaces/spec';

const SETTING_KEY = /^[a-z][a-z0-9_]{0,63}$/;
/** Names that hold credentials: such a `[user]` value becomes a `secret` setting. */
const SECRET_NAME = /(key|token|secret|password|passwd)$/i;

/** What became of the seed's `[user]` table. */
export interface UserTableResult {
  /** The config with every deliverable `[user]` value added as a setting. */
  readonly config: PluginConfig;
  /** Keys delivered as settings, keys that could not be, and secrets written in the file. */
  readonly notes: readonly { readonly key: string; readonly message: string }[];
}

function specFor(key: string, value: unknown): SettingSpec | undefined {
  if (typeof value === 'string') {
    return SECRET_NAME.test(key)
      ? { type: 'string', label: key, default: value, secret: true }
      : { type: 'string', label: key, default: value };
  }
  if (typeof value === 'boolean') return { type: 'boolean', label: key, default: value };
  if (typeof value === 'number' && Number.isFinite(value))
    return { type: Number.isInteger(value) ? 'integer' : 'number', label: key, default: value };
  return undefined;
}

/**
 * Deliver the seed's `[user]` table the way settings are delivered. Seed plugins kept user values
 * (an LLM plugin's `api_key`, `api_url`) in `[user]` and read them from config.toml themselves;
 * here each string, number or boolean becomes a setting of the same name whose default is the
 * value (names ending in key/token/secret/password become `secret` settings), so the plugin gets
 * it in `settings_json` and `apply_settings`, and the user can change it like any setting. A key
 * that `[settings]` already declares keeps its declaration. Other values (arrays, tables, dates)
 * and keys outside the setting-key pattern are not delivered; each gets a note.
 */
export function deliverUserTable(config: PluginConfig): UserTableResult {
  const user = config.user;
  if (user === undefined) return { config, notes: [] };
  const settings: Record<string, SettingSpec> = { ...config.settings };
  const delivered: string[] = [];
  const notes: { key: string; message: string }[] = [];
  for (const [key, value] of Object.entries(user)) {
    if (settings[key] !== undefined) continue;
    const spec = SETTING_KEY.test(key) ? specFor(key, value) : undefined;
    if (spec === undefined) {
      notes.push({
        key: `user.${key}`,
        message: SETTING_KEY.test(key)
          ? 'is not delivered to the plugin: only strings, numbers and booleans of [user] become settings'
          : 'is not delivered to the plugin: setting keys use a-z, 0-9 and _, starting with a letter',
      });
      continue;
    }
    settings[key] = spec;
    delivered.push(key);
    if ('secret' in spec && spec.secret === true && spec.default !== '') {
      notes.push({
        key: `user.${key}`,
        message:
          'holds a secret in config.toml, readable by anyone who can read the plugin folder: leave it empty there and set it as a setting',
      });
    }
  }
  if (delivered.length > 0) {
    notes.unshift({
      key: 'user',
      message: `the seed's [user] table is delivered as settings (${delivered.join(', ')}), the values being their defaults; migrate each to a [settings.<key>] table to give it a type, label and validation`,
    });
  }
  return { config: { ...config, settings }, notes };
}
