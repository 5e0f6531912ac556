/**
 * What a plugin process runs first: the bundle beside it, compiled from its V8 code cache (see
 * `code-cache.ts`). The build (`child-bundle.ts`) bundles this file into CommonJS with the
 * bundle's file name and SHA-256 filled in, so the process starts on Node's CommonJS loader
 * without initialising the ES module loader.
 */
import { join } from 'node:path';
import { runBundle } from './code-cache.js';

declare const __PI_CHILD_BUNDLE__: string;
declare const __PI_CHILD_BUNDLE_SHA256__: string;

runBundle(join(__dirname, __PI_CHILD_BUNDLE__), __PI_CHILD_BUNDLE_SHA256__);
