import { PluginConfig } from '@plugin-interfaces/spec';
import { didYouMean } from './did-you-mean.js';

/** A key the host does not know, inside one of the host's own tables (or a root key or table close to one). */
export interface UnknownKey {
  /** Key path segments, e.g. `['plugin', 'libary']`. */
  readonly path: readonly string[];
  /** The known key it most likely means, when one is close. */
  readonly suggestion?: string;
  /** The keys that are known in that table. */
  readonly known: readonly string[];
}

type Schema = {
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly patternProperties?: Readonly<Record<string, Schema>>;
  readonly anyOf?: readonly Schema[];
  readonly const?: unknown;
};

const ROOT = PluginConfig as unknown as Schema;

function propsOf(schema: Schema | undefined): Readonly<Record<string, Schema>> {
  return schema?.properties ?? {};
}

/** The value schema of a record (`[checksums]`, `[download]`, `[settings]`). */
function recordValue(schema: Schema | undefined): Schema | undefined {
  const pattern = schema?.patternProperties;
  return pattern === undefined ? undefined : Object.values(pattern)[0];
}

function asTable(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date)
    ? (v as Record<string, unknown>)
    : undefined;
}

function check(
  table: Record<string, unknown>,
  known: readonly string[],
  path: readonly string[],
  out: UnknownKey[],
): void {
  for (const key of Object.keys(table)) {
    if (known.includes(key)) continue;
    const suggestion = didYouMean(key, known);
    out.push(
      suggestion === undefined
        ? { path: [...path, key], known }
        : { path: [...path, key], suggestion, known },
    );
  }
}

/** Known keys of one `[settings.<key>]` table: those of the variant its `type` selects, else of every variant. */
function settingKeys(setting: Record<string, unknown>, spec: Schema | undefined): string[] {
  const variants = spec?.anyOf ?? [];
  const matching = variants.filter((v) => {
    const t = propsOf(v).type;
    const literals = t?.anyOf?.map((x) => x.const) ?? [t?.const];
    return literals.includes(setting.type);
  });
  const chosen = matching.length > 0 ? matching : variants;
  return [...new Set(chosen.flatMap((v) => Object.keys(propsOf(v))))];
}

/**
 * Every key of a parsed config.toml that the host does not know, with the closest known key.
 * Checked: root keys, `[plugin]`, `[permissions]`, each `[download.<platform>]` and each
 * `[settings.<key>]`. Not checked: `[metadata]` and `[user]` (free-form), and root tables that
 * resemble no known table (a plugin's own `[connection]`): those belong to the plugin.
 */
export function findUnknownKeys(value: unknown): UnknownKey[] {
  const out: UnknownKey[] = [];
  const root = asTable(value);
  if (root === undefined) return out;
  const rootSchema = propsOf(ROOT);
  const rootKnown = Object.keys(rootSchema);
  for (const key of Object.keys(root)) {
    if (rootKnown.includes(key)) continue;
    const suggestion = didYouMean(key, rootKnown);
    // A root table unlike any of the host's is the plugin's own; a scalar at the root is a slip.
    if (suggestion === undefined && asTable(root[key]) !== undefined) continue;
    out.push(
      suggestion === undefined
        ? { path: [key], known: rootKnown }
        : { path: [key], suggestion, known: rootKnown },
    );
  }
  for (const table of ['plugin', 'permissions'] as const) {
    const t = asTable(root[table]);
    if (t !== undefined) check(t, Object.keys(propsOf(rootSchema[table])), [table], out);
  }
  const downloadKeys = Object.keys(propsOf(recordValue(rootSchema.download)));
  for (const [platform, entry] of Object.entries(asTable(root.download) ?? {})) {
    const t = asTable(entry);
    if (t !== undefined) check(t, downloadKeys, ['download', platform], out);
  }
  const settingSpec = recordValue(rootSchema.settings);
  for (const [name, entry] of Object.entries(asTable(root.settings) ?? {})) {
    const t = asTable(entry);
    if (t !== undefined) check(t, settingKeys(t, settingSpec), ['settings', name], out);
  }
  return out;
}
