import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';
import { lendToBundle } from './launcher-hooks.js';

/**
 * V8 code cache for the plugin process bundle. Compiling the ~380 KB bundle costs a plugin process
 * tens of milliseconds on every start; with V8's cached data next to the bundle the compiled code
 * is deserialised instead. The cache file starts with one header line naming what it was made
 * for (this format, the bundle's SHA-256, Node's and V8's versions, the platform and the
 * architecture) and the length of the data that follows; a cache whose header differs, that is
 * cut short, that V8 rejects or that cannot be read is ignored and rewritten, never fatal. It is
 * written under a temporary name and renamed into place.
 */
const FORMAT = 'pi-code-cache-1';

/** The header line a valid cache for this bundle and this Node starts with (without the newline). */
export function cacheHeader(bundleSha256: string): string {
  return JSON.stringify([
    FORMAT,
    bundleSha256,
    process.version,
    process.versions.v8,
    process.platform,
    process.arch,
  ]);
}

/** The cached data in `file` when its header is `header`, else undefined (missing, stale, unreadable). */
export function readCodeCache(file: string, header: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const end = bytes.indexOf(0x0a);
  if (end < 0 || bytes.toString('utf8', 0, end) !== `${header} ${bytes.length - end - 1}`) return undefined;
  return bytes.subarray(end + 1);
}

/** Write `data` under `header` atomically; failures (read-only folder, a rename race) are ignored. */
export function writeCodeCache(file: string, header: string, data: Buffer): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, Buffer.concat([Buffer.from(`${header} ${data.length}\n`), data]));
    renameSync(tmp, file);
    return true;
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    return false;
  }
}

/**
 * Run a CommonJS bundle as the main module of this process, compiled from the code cache next to
 * it when one fits. Without one (or when V8 rejects it), a cache is written just before the first
 * plugin library is loaded, or at exit when none was: never from a process that ran plugin code.
 */
export function runBundle(bundle: string, bundleSha256: string): void {
  const cacheFile = `${bundle}.v8cache`;
  const header = cacheHeader(bundleSha256);
  const cachedData = readCodeCache(cacheFile, header);
  const source = readFileSync(bundle, 'utf8');
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
  });
  // A cache V8 rejects (other V8 flags) is replaced; a missing one is written unless another
  // process wrote it meanwhile.
  const rejected = cachedData !== undefined && script.cachedDataRejected === true;
  let pending = cachedData === undefined || rejected;
  const write = (): void => {
    if (!pending) return;
    pending = false;
    process.off('exit', write);
    if (!rejected && readCodeCache(cacheFile, header) !== undefined) return;
    writeCodeCache(cacheFile, header, script.createCachedData());
  };
  if (pending) process.on('exit', write);
  lendToBundle((specifier) => import(specifier), write);
  const main = { exports: {} };
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void;
  run(main.exports, createRequire(bundle), main, bundle, dirname(bundle));
}
