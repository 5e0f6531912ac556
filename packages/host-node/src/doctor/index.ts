export { runDoctor } from './doctor.js';
export { formatReport } from './format-report.js';
export type { CheckResult, CheckStatus, DoctorOptions, DoctorReport } from './types.js';
