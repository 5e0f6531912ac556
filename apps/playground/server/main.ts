import { parseArgs } from './args.js';
import { startPlayground } from './playground.js';
import { shutDownOnSignals } from './shutdown-signals.js';

let options: ReturnType<typeof parseArgs>;
try {
  options = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}

try {
  const playground = await startPlayground({
    port: options.port,
    dev: options.dev,
    isolated: options.isolated,
    rust: options.rust,
    extraPluginDirs: options.pluginDirs,
    fresh: options.fresh,
    watch: options.watch,
  });
  console.log(`\nPlayground: ${playground.url}\n`);
  shutDownOnSignals(
    () => playground.close(),
    (line) => console.log(line),
  );
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE')
    console.error(`error: port ${options.port} is in use; pick another with --port <n> or PORT=<n>.`);
  else console.error(`error: ${err.message}`);
  process.exit(1);
}
