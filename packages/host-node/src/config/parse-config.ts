import { PLUGIN_ID_PATTERN, type PluginConfig, validators } from '@plugin-interfaces/spec';
import { parse, TomlError } from 'smol-toml';
import { HostError } from '../errors.js';
import { findKeyPosition } from './key-location.js';
import { pointerToKeyPath } from './key-path.js';
import { humanizeSchemaMessage, recordKeyProblems } from './problem-text.js';

/** One schema problem in a config.toml, with the TOML key path and where it is written. */
export interface ConfigProblem {
  /** TOML key path, e.g. `plugin.version`. */
  readonly key: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

const MAX_PROBLEMS = 50;

/**
 * Parse and validate the text of a `config.toml`. TOML syntax errors throw `CONFIG_PARSE` with the
 * exact line and column; schema violations throw `CONFIG_INVALID` listing every problem by its key
 * path (and line, when the key can be found in the text); an id outside the allowed pattern throws
 * `PLUGIN_ID_INVALID`. Unknown tables and keys are kept: plugins read their own.
 *
 * @param text the file's contents
 * @param file the path shown in messages and error locations
 */
export function parsePluginConfig(text: string, file: string): PluginConfig {
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
        { location: { file, line: e.line, column: e.column }, detail: { codeblock: e.codeblock }, cause: e },
      );
    }
    throw new HostError('CONFIG_PARSE', `${file}: could not be parsed as TOML: ${String(e)}`, {
      location: { file },
      cause: e,
    });
  }

  const validator = validators.config;
  const extra = recordKeyProblems(value);
  if (validator.check(value) && extra.length === 0) return value;

  const problems = describeProblems([...validator.errors(value, MAX_PROBLEMS), ...extra], source);
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

function describeProblems(errors: readonly string[], text: string): ConfigProblem[] {
  const seen = new Set<string>();
  const out: ConfigProblem[] = [];
  for (const err of errors) {
    const split = err.indexOf(': ');
    const pointer = split < 0 ? '' : err.slice(0, split);
    const { path, segments } = pointerToKeyPath(pointer);
    // One problem per key: TypeBox often reports "required" and "expected object" for one key.
    if (seen.has(path)) continue;
    seen.add(path);
    const message = humanizeSchemaMessage(path, split < 0 ? err : err.slice(split + 2));
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
