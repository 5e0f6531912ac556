import { PiStatus } from './generated/abi.js';

export { PiStatus };

/** A PiStatus member name (`OK`, `PERMISSION_DENIED`, …), from the spec. */
export type PiStatusName = keyof typeof PiStatus;

const NAMES = new Map<number, PiStatusName>(
  (Object.entries(PiStatus) as [PiStatusName, number][]).map(([name, value]) => [value, name]),
);

/**
 * The spec name of a PiStatus value (`-5` → `PERMISSION_DENIED`), or `STATUS_<n>` for a value the
 * spec does not have. The one place a status number becomes a name.
 */
export function statusName(status: number): string {
  return NAMES.get(status) ?? `STATUS_${status}`;
}
