/** How one doctor check ended: `warn` does not fail the run, `skip` means it could not apply. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** One line of the doctor's report. */
export interface CheckResult {
  /** Stable name: `config`, `library`, `architecture`, `checksum`, `permissions`, `settings`, `entry`, `abi`, `layout`, `lifecycle`. */
  readonly check: string;
  readonly status: CheckStatus;
  /** What was found, in one or more sentences (a did-you-mean, a layout diff, the failing step). */
  readonly detail: string;
  /** The spec error code behind a failure, when there is one. */
  readonly code?: string;
}

/** The whole report: every check in order; `ok` is false when any check failed. */
export interface DoctorReport {
  readonly folder: string;
  readonly pluginId: string | null;
  readonly checks: readonly CheckResult[];
  readonly ok: boolean;
}

/** Options of {@link runDoctor}. */
export interface DoctorOptions {
  /** Unknown config keys fail the config check instead of warning (default false). */
  readonly strict?: boolean;
  /** Application version for `min_app_version` (default: not checked). */
  readonly appVersion?: string;
  /** Skip the lifecycle smoke test (static checks only). */
  readonly noSmokeTest?: boolean;
  /** Deadline of each smoke-test step, ms (default 5000). */
  readonly stepTimeoutMs?: number;
}
