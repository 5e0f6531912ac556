import {
  type ConfigWarning,
  PLUGIN_ID_PATTERN,
  type PluginConfig,
  validators,
} from '@plugin-interfaces/spec';
import { parse, TomlError } from 'smol-toml';
import { HostError } from '../errors.js';
import { findKeyPosition } from './key-location.js';
import { pointerToKeyPath } from './key-path.js';
import { humanizeSchemaMessage, recordKeyProblems } from './problem-text.js';
import { findUnknownKeys, type UnknownKey } from './unknown-keys.js';
import { deliverUserTable } from './user-table.js';

/** One schema problem in a config.toml, with the TOML key path and where it is written. */
export interface ConfigProblem {
  /** TOML key path, e.g. `plugin.version`. */
  readonly key: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

const MAX_PROBLEMS = 50;

/** A parsed config and the warnings found in it. */
export interface ParsedConfig {
  readonly config: PluginConfig;
  readonly warnings: readonly ConfigWarning[];
}

/**
 * Parse and validate the text of a `config.toml`, non-strict (unknown keys are only warned about,
 * see {@link parseConfigText}); returns the config alone.
 *
 * @param text the file's contents
 * @param file the path shown in messages and error locations
 */
export function parsePluginConfig(text: string, file: string): PluginConfig {
  return parseConfigText(text, file, false).config;
}

function unknownKeyText(u: UnknownKey): string {
  const hint =
    u.suggestion === undefined ? `known keys: ${u.known.join(', ')}` : `did you mean "${u.suggestion}"?`;
  return `unknown key, ignored by the host (${hint})`;
}

/**
 * Parse and validate the text of a `config.toml`. TOML syntax errors throw `CONFIG_PARSE` with the
 * exact line and column; schema violations throw `CONFIG_INVALID` listing every problem by its key
 * path (and line, when the key can be found in the text); an id outside the allowed pattern throws
 * `PLUGIN_ID_INVALID`. Unknown keys in the host's tables (`libary`, `require_histroy`, a
 * `[permisions]` table) become warnings with "did you mean …" and file:line, or one
 * `CONFIG_UNKNOWN_KEY` error listing them all when `strict`. Root tables the host does not know
 * (`[connection]`) are kept for the plugin; `[user]` values are delivered as settings (see
 * `deliverUserTable`), with a warning.
 */
export function parseConfigText(text: string, file: string, strict: boolean): ParsedConfig {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let value: unknown;
  try {
    value = parse(source);
  } catch (e) {
    if (e instanceof TomlError) {
      const reason = (e.message.split('\n')[0] ?? e.message).replace(/^Invalid TOML document:\s*/, '');
      throw new HostError(
        'CONFIG_PARSE',
        `${file}:${e.line}:${e.column}: ${reason}. Fix the TOML syntax at that position.`,
        // No code block in the error: what reaches snapshots is the position, never the file's lines.
        { location: { file, line: e.line, column: e.column }, cause: e },
      );
    }
    throw new HostError('CONFIG_PARSE', `${file}: could not be parsed as TOML: ${String(e)}`, {
      location: { file },
      cause: e,
    });
  }

  const validator = validators.config;
  const extra = recordKeyProblems(value);
  const unknown = findUnknownKeys(value);
  if (validator.check(value) && extra.length === 0) return finish(value, unknown, source, file, strict);

  const problems = describeProblems([...validator.errors(value, MAX_PROBLEMS), ...extra], source, unknown);
  const id = idOf(value);
  const badId = typeof id === 'string' && !new RegExp(PLUGIN_ID_PATTERN).test(id);
  const first = problems[0];
  const list = problems.map(
    (p) => `  ${p.line === undefined ? '' : `line ${p.line}: `}${p.key}: ${p.message}`,
  );
  const message = badId
    ? `${file}: plugin id ${JSON.stringify(id)} is not allowed: use 1-64 characters of a-z, 0-9, '_', '-', '.', starting with a letter or digit.\n${list.join('\n')}`
    : `${file}: config.toml does not match the schema (${problems.length} problem${problems.length === 1 ? '' : 's'}); fix these keys:\n${list.join('\n')}`;
  const location =
    first?.line === undefined
      ? { file }
      : { file, line: first.line, ...(first.column === undefined ? {} : { column: first.column }) };
  throw new HostError(badId ? 'PLUGIN_ID_INVALID' : 'CONFIG_INVALID', message, {
    ...(typeof id === 'string' && !badId ? { pluginId: id } : {}),
    location,
    detail: { problems },
  });
}

function locate(text: string, path: readonly string[]): { line: number; column: number } | undefined {
  return findKeyPosition(text, path);
}

function finish(
  value: PluginConfig,
  unknown: readonly UnknownKey[],
  text: string,
  file: string,
  strict: boolean,
): ParsedConfig {
  const warnings: ConfigWarning[] = unknown.map((u) => {
    const pos = locate(text, u.path);
    return {
      key: u.path.join('.'),
      message: unknownKeyText(u),
      ...(u.suggestion === undefined ? {} : { suggestion: u.suggestion }),
      location: pos === undefined ? { file } : { file, line: pos.line, column: pos.column },
    };
  });
  if (strict && warnings.length > 0) {
    const first = warnings[0]?.location ?? { file };
    const list = warnings.map(
      (w) => `  ${w.location?.line === undefined ? '' : `line ${w.location.line}: `}${w.key}: ${w.message}`,
    );
    throw new HostError(
      'CONFIG_UNKNOWN_KEY',
      `${file}: ${warnings.length} unknown key${warnings.length === 1 ? '' : 's'} (strict mode); fix or remove:\n${list.join('\n')}`,
      { pluginId: value.plugin.id, location: first, detail: { warnings } },
    );
  }
  const user = deliverUserTable(value);
  for (const note of user.notes) {
    const pos = locate(text, note.key.split('.'));
    warnings.push({
      key: note.key,
      message: note.message,
      location: pos === undefined ? { file } : { file, line: pos.line, column: pos.column },
    });
  }
  return { config: user.config, warnings };
}

function describeProblems(
  errors: readonly string[],
  text: string,
  unknown: readonly UnknownKey[],
): ConfigProblem[] {
  const seen = new Set<string>();
  const out: ConfigProblem[] = [];
  for (const err of errors) {
    const split = err.indexOf(': ');
    const pointer = split < 0 ? '' : err.slice(0, split);
    const { path, segments } = pointerToKeyPath(pointer);
    // One problem per key: TypeBox often reports "required" and "expected object" for one key.
    if (seen.has(path)) continue;
    seen.add(path);
    // A setting table with a misspelt key fails the whole union: name the key instead.
    const slip = unknown.find(
      (u) => u.path[0] === 'settings' && u.path.slice(0, 2).join('.') === segments.join('.'),
    );
    const message =
      slip === undefined
        ? humanizeSchemaMessage(path, split < 0 ? err : err.slice(split + 2))
        : `${slip.path.at(-1)}: ${unknownKeyText(slip).replace(', ignored by the host', '')}`;
    const pos = segments.length > 0 ? findKeyPosition(text, segments) : undefined;
    out.push(
      pos === undefined ? { key: path, message } : { key: path, message, line: pos.line, column: pos.column },
    );
  }
  return out.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
}

function idOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  const plugin = (value as { plugin?: unknown }).plugin;
  if (typeof plugin !== 'object' || plugin === null) return undefined;
  return (plugin as { id?: unknown }).id;
}
