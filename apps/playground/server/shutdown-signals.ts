/** The process surface {@link shutDownOnSignals} uses (the real `process` by default). */
export interface SignalTarget {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  exit(code: number): void;
}

/**
 * On the first SIGINT or SIGTERM, run `close` (the playground's orderly shutdown: the bridge, then
 * every instance through `host.close()` within its deadline, so on_disconnect and on_dispose run)
 * and exit 0 (1 when it failed). A second signal while closing forces exit 130 at once.
 */
export function shutDownOnSignals(
  close: () => Promise<void>,
  log: (line: string) => void,
  target: SignalTarget = process,
): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => (): void => {
    if (closing) {
      log(`${signal} again: exiting without waiting for the plugins`);
      target.exit(130);
      return;
    }
    closing = true;
    log(`${signal}: stopping (disposing every plugin instance; press Ctrl-C again to force)…`);
    close().then(
      () => target.exit(0),
      (e: unknown) => {
        log(`stopping failed: ${e instanceof Error ? e.message : String(e)}`);
        target.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) target.on(signal, onSignal(signal));
}
