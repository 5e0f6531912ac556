import { resolve } from 'node:path';

/** Command-line options of the playground server. */
export interface CliOptions {
  readonly port: number;
  readonly dev: boolean;
  readonly isolated: boolean;
  readonly rust: boolean;
  /** Extra plugin folders (`--plugins DIR`, repeatable), absolute. */
  readonly pluginDirs: readonly string[];
  /** Start with no instances and an empty app config instead of restoring the last session. */
  readonly fresh: boolean;
  /** Reload a plugin when its library or config.toml changes (`--no-watch` turns it off). */
  readonly watch: boolean;
}

const USAGE = `Usage: playground [--port <n>] [--dev] [--in-process] [--no-rust] [--plugins <dir>]… [--fresh] [--no-watch]
  --port <n>       port on 127.0.0.1 (default $PORT or 5173; 0 picks a free one)
  --dev            serve the page through Vite with hot reload
  --in-process     run plugins inside the server process (default: each plugin library in a
                   child process of its own, so a crashing plugin cannot take the server down)
  --isolated       the default, accepted for scripts that pass it
  --no-rust        do not build the Rust example plugins
  --plugins <dir>  also scan this plugin folder (one subfolder per plugin); repeatable
  --fresh          do not restore the last session (instances, settings, app config)
  --no-watch       do not reload plugins whose library or config.toml changed`;

/** Parse argv (without node and the script); throws with the usage text on a bad argument. */
export function parseArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): CliOptions {
  let port = env.PORT === undefined ? 5173 : Number(env.PORT);
  let dev = false;
  let isolated = true;
  let rust = true;
  let fresh = false;
  let watch = true;
  const pluginDirs: string[] = [];
  const dirArg = (value: string | undefined): void => {
    if (value === undefined || value === '' || value.startsWith('--'))
      throw new Error(`--plugins needs a folder.\n${USAGE}`);
    pluginDirs.push(resolve(cwd, value));
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') continue;
    if (arg === '--dev') dev = true;
    else if (arg === '--isolated') isolated = true;
    else if (arg === '--in-process') isolated = false;
    else if (arg === '--no-rust') rust = false;
    else if (arg === '--fresh') fresh = true;
    else if (arg === '--no-watch') watch = false;
    else if (arg === '--plugins') dirArg(argv[++i]);
    else if (arg?.startsWith('--plugins=')) dirArg(arg.slice('--plugins='.length));
    else if (arg === '--port') port = Number(argv[++i]);
    else if (arg?.startsWith('--port=')) port = Number(arg.slice('--port='.length));
    else if (arg === '--help' || arg === '-h') throw new Error(USAGE);
    else throw new Error(`Unknown argument "${arg}".\n${USAGE}`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Bad port "${port}".\n${USAGE}`);
  return { port, dev, isolated, rust, pluginDirs, fresh, watch };
}
