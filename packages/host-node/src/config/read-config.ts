import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type ConfigWarning, LIMITS, type PluginConfig } from '@plugin-interfaces/spec';
import { isInside } from '../discovery/inside.js';
import { HostError } from '../errors.js';
import { parseConfigText } from './parse-config.js';
import { findInvalidUtf8 } from './utf8-check.js';

/** The file name every plugin folder carries. */
export const CONFIG_FILE_NAME = 'config.toml';

/** A parsed config together with where it came from and what was found odd in it. */
export interface LoadedConfig {
  readonly config: PluginConfig;
  /** Absolute or root-relative path of the config.toml that was read. */
  readonly configPath: string;
  /** Unknown keys (with suggestions) and `[user]` values delivered as settings. */
  readonly warnings: readonly ConfigWarning[];
}

/** How a config.toml is read. */
export interface ReadConfigOptions {
  /** Largest file accepted, in bytes (default `LIMITS.maxConfigBytes`). */
  readonly maxConfigBytes?: number;
  /** Unknown keys are errors (CONFIG_UNKNOWN_KEY) instead of warnings. */
  readonly strict?: boolean;
}

function refuse(configPath: string, why: string, detail: unknown, cause?: unknown): never {
  throw new HostError('CONFIG_INVALID', `${configPath} was refused: ${why}`, {
    location: { file: configPath },
    detail,
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Read the bytes of `<dir>/config.toml` safely: the file (after symlinks) must lie inside the
 * plugin folder and be a regular file of at most `maxBytes`; at most `maxBytes + 1` bytes are ever
 * read, so a huge or growing file costs nothing. Errors never carry the file's content.
 */
async function readBounded(dir: string, configPath: string, maxBytes: number): Promise<Uint8Array> {
  let real: string;
  try {
    real = await realpath(configPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new HostError(
        'CONFIG_NOT_FOUND',
        `${configPath} does not exist: every plugin folder needs a config.toml with a [plugin] table.`,
        { location: { file: configPath }, cause: e },
      );
    }
    throw new HostError(
      'CONFIG_PARSE',
      `${configPath} could not be read (${code ?? String(e)}); check its permissions.`,
      {
        location: { file: configPath },
        cause: e,
      },
    );
  }
  const realDir = await realpath(resolve(dir));
  if (!isInside(realDir, real)) {
    refuse(
      configPath,
      `it is a symlink to ${real}, outside the plugin folder ${dir}. Keep config.toml (and any symlink target) inside the plugin folder.`,
      { target: real },
    );
  }
  // A FIFO or device would block open() (and the whole scan) until a writer appears: refuse
  // anything but a regular file before opening, and open without blocking in case it is swapped.
  const kind = await stat(real).catch(() => undefined);
  if (kind !== undefined && !kind.isFile()) refuse(configPath, 'it is not a regular file.', { target: real });
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK).catch((e: unknown) =>
    refuse(
      configPath,
      `it cannot be opened (${(e as NodeJS.ErrnoException).code ?? String(e)}).`,
      undefined,
      e,
    ),
  );
  try {
    const info = await handle.stat();
    if (!info.isFile()) refuse(configPath, 'it is not a regular file.', { target: real });
    if (info.size > maxBytes) {
      refuse(configPath, `it is ${info.size} bytes; the limit is ${maxBytes} (LIMITS.maxConfigBytes).`, {
        bytes: info.size,
        limit: maxBytes,
      });
    }
    const buf = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buf.length) {
      const { bytesRead } = await handle.read(buf, length, buf.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) {
      refuse(
        configPath,
        `it grew past the limit of ${maxBytes} bytes (LIMITS.maxConfigBytes) while being read.`,
        {
          limit: maxBytes,
        },
      );
    }
    return buf.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/**
 * Read `<dir>/config.toml` and validate it (see {@link parseConfigText}). A missing file throws
 * `CONFIG_NOT_FOUND`; a file that is a symlink leading outside the folder, not a regular file, or
 * larger than `LIMITS.maxConfigBytes` throws `CONFIG_INVALID` without reading its content; bytes
 * that are not UTF-8 throw `CONFIG_PARSE` at the line and column where they start. Paths inside
 * the config are the caller's business and are resolved against `dir`, never against the process
 * working directory.
 */
export async function readPluginConfig(dir: string, options: ReadConfigOptions = {}): Promise<LoadedConfig> {
  const configPath = join(dir, CONFIG_FILE_NAME);
  const bytes = await readBounded(dir, configPath, options.maxConfigBytes ?? LIMITS.maxConfigBytes);
  const bad = findInvalidUtf8(bytes);
  if (bad !== undefined) {
    throw new HostError(
      'CONFIG_PARSE',
      `${configPath}:${bad.line}:${bad.column}: the file is not valid UTF-8 (byte ${bad.offset}). Save it as UTF-8.`,
      { location: { file: configPath, line: bad.line, column: bad.column }, detail: { offset: bad.offset } },
    );
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const parsed = parseConfigText(text, configPath, options.strict === true);
  return { config: parsed.config, configPath, warnings: parsed.warnings };
}
