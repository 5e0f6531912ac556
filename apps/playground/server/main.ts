import { parseArgs } from './args.js';
import { startPlayground } from './playground.js';

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
  });
  console.log(`\nPlayground: ${playground.url}\n`);
  const stop = (): void => {
    console.log('stopping…');
    playground.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE')
    console.error(`error: port ${options.port} is in use; pick another with --port <n> or PORT=<n>.`);
  else console.error(`error: ${err.message}`);
  process.exit(1);
}
