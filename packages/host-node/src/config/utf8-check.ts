import { isUtf8 } from 'node:buffer';

/** Where the first invalid UTF-8 sequence of a byte buffer starts, as a byte offset and a 1-based line and column. */
export interface Utf8Fault {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** Length of the sequence a lead byte starts, or 0 when it cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** True when the continuation byte at index 1 is in range for this lead byte (no overlongs, no surrogates, ≤ U+10FFFF). */
function secondByteOk(lead: number, second: number): boolean {
  if (lead === 0xe0) return second >= 0xa0 && second <= 0xbf;
  if (lead === 0xed) return second >= 0x80 && second <= 0x9f;
  if (lead === 0xf0) return second >= 0x90 && second <= 0xbf;
  if (lead === 0xf4) return second >= 0x80 && second <= 0x8f;
  return second >= 0x80 && second <= 0xbf;
}

function invalidAt(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    const n = sequenceLength(lead);
    if (n === 0 || i + n > bytes.length) return i;
    if (n > 1 && !secondByteOk(lead, bytes[i + 1] ?? 0)) return i;
    for (let k = 2; k < n; k++) {
      const c = bytes[i + k] ?? 0;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += n;
  }
  return -1;
}

/**
 * Find the first byte that is not part of a valid UTF-8 sequence; undefined when the whole buffer
 * is valid. The line and column count characters of the valid text before it, so they point at
 * the place an editor shows.
 */
export function findInvalidUtf8(bytes: Uint8Array): Utf8Fault | undefined {
  if (isUtf8(bytes)) return undefined;
  const offset = invalidAt(bytes);
  if (offset < 0) return undefined;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = Buffer.from(bytes.subarray(lineStart, offset)).toString('utf8').length + 1;
  return { offset, line, column };
}
