import { parseArgs } from 'node:util';
import { runDoctor } from './doctor.js';
import { formatReport } from './format-report.js';

const USAGE = `usage: pi-doctor <plugin-folder> [--strict] [--app-version <x.y.z>] [--no-smoke] [--json]
Checks a plugin folder (config.toml, library, architecture, checksum, permissions, settings,
entry symbol, ABI, layout) and runs a lifecycle smoke test in a child process.
Exit code: 0 healthy (warnings allowed), 1 a check failed, 2 bad usage.
`;

/** The `pi-doctor` command: run the doctor on one folder, print the report, return the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const folder = positionals[0];
  if (folder === undefined || positionals.length > 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const report = await runDoctor(folder, {
    strict: values.strict === true,
    noSmokeTest: values['no-smoke'] === true,
    ...(values['app-version'] === undefined ? {} : { appVersion: values['app-version'] }),
  });
  process.stdout.write(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.ok ? 0 : 1;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      strict: { type: 'boolean' },
      json: { type: 'boolean' },
      'no-smoke': { type: 'boolean' },
      'app-version': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
