// Child process for locate.test.ts: load the native runtime the way a host does, print the outcome.
import { isHostError } from '../errors.js';
import { loadNativeRuntime } from './runtime.js';

try {
  const rt = loadNativeRuntime();
  process.stdout.write(
    `${JSON.stringify({ path: rt.path, version: rt.version(), wakeMode: rt.wakeMode })}\n`,
  );
} catch (e) {
  process.stdout.write(
    `${JSON.stringify({ code: isHostError(e) ? e.code : 'THROWN', message: (e as Error).message })}\n`,
  );
}
