import { readSync, writeSync } from 'node:fs';
import { HostError } from '../../errors.js';

/**
 * A second pipe between parent and child (the child's fd 4) for requests the child must answer
 * synchronously on its JavaScript thread (`get_app_config` made inside a plugin call). The child
 * writes a frame and blocks in `readSync` until the parent, whose event loop is free, writes the
 * answer. Frames are a 4-byte little-endian length followed by UTF-8 JSON.
 */
export const SYNC_FD = 4;

/** Largest frame either side accepts. */
export const MAX_SYNC_FRAME = 4 * 1024 * 1024;

/** Encode one frame. */
export function encodeFrame(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length, 0);
  return Buffer.concat([head, body]);
}

function readExactly(fd: number, size: number): Buffer {
  const buf = Buffer.alloc(size);
  let got = 0;
  while (got < size) {
    const n = readSync(fd, buf, got, size - got, null);
    if (n === 0) throw new HostError('HOST_CLOSED', 'The parent process closed the request pipe.');
    got += n;
  }
  return buf;
}

/** Child side: send `value` and block until the parent's answer frame arrives. */
export function syncRequest(value: unknown, fd = SYNC_FD): unknown {
  const frame = encodeFrame(value);
  let off = 0;
  while (off < frame.length) off += writeSync(fd, frame, off);
  const size = readExactly(fd, 4).readUInt32LE(0);
  if (size > MAX_SYNC_FRAME)
    throw new HostError('PAYLOAD_TOO_LARGE', `A request answer of ${size} bytes is too large.`);
  return JSON.parse(readExactly(fd, size).toString('utf8')) as unknown;
}

/** Parent side: reassembles frames from stream chunks. */
export class FrameDecoder {
  #pending: Buffer = Buffer.alloc(0);

  /** Feed one chunk; returns the complete frames it finished (parsed), or throws on a bad frame. */
  push(chunk: Buffer): unknown[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const out: unknown[] = [];
    while (this.#pending.length >= 4) {
      const size = this.#pending.readUInt32LE(0);
      if (size > MAX_SYNC_FRAME)
        throw new HostError('PAYLOAD_TOO_LARGE', `A request frame of ${size} bytes is too large.`);
      if (this.#pending.length < 4 + size) break;
      out.push(JSON.parse(this.#pending.subarray(4, 4 + size).toString('utf8')) as unknown);
      this.#pending = this.#pending.subarray(4 + size);
    }
    return out;
  }
}
