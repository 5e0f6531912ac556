import { type Static, Type } from '@sinclair/typebox';
import { PLUGIN_ID_PATTERN } from './common.js';

const sha256 = Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'SHA-256 as 64 hex digits.' });
const SEMVER = '^\\d+\\.\\d+\\.\\d+(?:[-+][0-9A-Za-z.+-]+)?$';

/** Platform keys used by `[checksums]` and `[download.<os>]`: `<os>-<arch>` or just `<os>`. */
export const PLATFORM_KEY_PATTERN = '^(linux|macos|windows)(-(x64|arm64))?$';

/** One typed setting a plugin declares in `[settings.<key>]`; the host validates values against it. */
export const SettingSpec = Type.Union([
  Type.Object(
    {
      type: Type.Literal('string'),
      label: Type.Optional(Type.String()),
      description: Type.Optional(Type.String()),
      default: Type.Optional(Type.String()),
      required: Type.Optional(Type.Boolean()),
      pattern: Type.Optional(Type.String()),
      min_length: Type.Optional(Type.Integer({ minimum: 0 })),
      max_length: Type.Optional(Type.Integer({ minimum: 0 })),
      secret: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Union([Type.Literal('number'), Type.Literal('integer')]),
      label: Type.Optional(Type.String()),
      description: Type.Optional(Type.String()),
      default: Type.Optional(Type.Number()),
      required: Type.Optional(Type.Boolean()),
      min: Type.Optional(Type.Number()),
      max: Type.Optional(Type.Number()),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('boolean'),
      label: Type.Optional(Type.String()),
      description: Type.Optional(Type.String()),
      default: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('select'),
      label: Type.Optional(Type.String()),
      description: Type.Optional(Type.String()),
      options: Type.Array(Type.String(), { minItems: 1 }),
      default: Type.Optional(Type.String()),
      required: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
]);
export type SettingSpec = Static<typeof SettingSpec>;

/**
 * Root tables whose content is free-form: the host checks no keys inside them. `[metadata]` is the
 * plugin's own data; `[user]` is the seed's table of user values (an API key, a URL), which the host
 * delivers to the plugin as settings (each key becomes a setting whose default is the value, unless
 * `[settings.<key>]` declares it).
 */
export const FREE_FORM_TABLES = ['metadata', 'user'] as const;

/**
 * `config.toml`. The seed's `[plugin]` keys are kept (author is optional here), including the keys
 * seed plugins use (`category`, `tags`, `min_app_version`), plus the ABI the plugin was built for,
 * per-platform SHA-256 checksums, permissions and typed settings. Root tables the host does not
 * know (a WebSocket plugin's `[connection]`) are kept for the plugin to read. Unknown keys inside
 * the host's own tables are reported by the host as warnings with a suggestion (errors in strict
 * mode); this schema lists every key the host knows.
 */
export const PluginConfig = Type.Object({
  plugin: Type.Object({
    id: Type.String({ pattern: PLUGIN_ID_PATTERN, description: 'Unique plugin id.' }),
    name: Type.String({ minLength: 1, maxLength: 128 }),
    version: Type.String({ pattern: SEMVER, description: 'Semantic version, e.g. 1.2.0.' }),
    description: Type.String({ maxLength: 1024 }),
    author: Type.Optional(Type.String()),
    library: Type.Optional(
      Type.String({ minLength: 1, description: 'Library base name or relative path; default <id>.' }),
    ),
    disabled: Type.Optional(Type.Boolean()),
    require_history: Type.Optional(Type.Boolean()),
    abi: Type.Optional(
      Type.String({ pattern: '^\\d+\\.\\d+$', description: 'ABI major.minor the plugin targets.' }),
    ),
    avatar: Type.Optional(Type.String()),
    homepage: Type.Optional(Type.String()),
    repository: Type.Optional(Type.String()),
    license: Type.Optional(Type.String()),
    min_client_version: Type.Optional(Type.String()),
    max_client_version: Type.Optional(Type.String()),
    keywords: Type.Optional(Type.Array(Type.String())),
    platform: Type.Optional(Type.Array(Type.String())),
    dependencies: Type.Optional(Type.Array(Type.String())),
    category: Type.Optional(Type.String({ maxLength: 64, description: 'Catalogue category (seed key).' })),
    tags: Type.Optional(
      Type.Array(Type.String({ maxLength: 64 }), { description: 'Catalogue tags (seed key).' }),
    ),
    min_app_version: Type.Optional(
      Type.String({
        pattern: SEMVER,
        description: 'Oldest application version the plugin runs on; checked against the host appVersion.',
      }),
    ),
  }),
  checksums: Type.Optional(
    Type.Record(Type.String({ pattern: PLATFORM_KEY_PATTERN }), sha256, { additionalProperties: false }),
  ),
  download: Type.Optional(
    Type.Record(
      Type.String({ pattern: PLATFORM_KEY_PATTERN }),
      Type.Object({ download_url: Type.String({ minLength: 1 }), checksum: sha256 }),
      { additionalProperties: false },
    ),
  ),
  permissions: Type.Optional(
    Type.Object(
      {
        app_config: Type.Optional(
          Type.Array(Type.String(), { description: 'App config keys the plugin may read.' }),
        ),
        call_plugins: Type.Optional(
          Type.Array(Type.String(), { description: 'Plugin ids the plugin may call ("*" = any).' }),
        ),
      },
      { description: 'Unknown keys are reported by the host with a suggestion (and grant nothing).' },
    ),
  ),
  settings: Type.Optional(
    Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }), SettingSpec, {
      additionalProperties: false,
    }),
  ),
  metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  user: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), {
      description: 'Seed user values; delivered to the plugin as settings (see FREE_FORM_TABLES).',
    }),
  ),
});
export type PluginConfig = Static<typeof PluginConfig>;
