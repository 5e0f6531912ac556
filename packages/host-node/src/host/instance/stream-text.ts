import { utf8Bytes } from '../../text-size.js';

/** The last characters of `text` that fit in `max` UTF-8 bytes (never splitting a surrogate pair). */
export function utf8Tail(text: string, max: number): string {
  if (max <= 0) return '';
  if (utf8Bytes(text) <= max) return text;
  let n = Math.min(text.length, max);
  let tail = text.slice(-n);
  while (n > 0 && utf8Bytes(tail) > max) {
    n = Math.floor(n * 0.75);
    tail = text.slice(text.length - n);
  }
  const first = tail.charCodeAt(0);
  return first >= 0xdc00 && first <= 0xdfff ? tail.slice(1) : tail;
}

/** The (never written) arrays of a settled text. */
const NO_TEXT: string[] = [];
const NO_SIZES: number[] = [];

/** Small chunks are joined into blocks of about this many bytes before they are kept. */
const BLOCK_BYTES = 4096;

/**
 * The text the host keeps of one stream: its newest bytes, at most `max` UTF-8 bytes. Chunks are
 * gathered into blocks of about 4 KiB (so a stream of tiny chunks does not cost an object per
 * chunk) and the oldest whole blocks fall off the front (a single chunk over `max` keeps its
 * tail). Appending costs O(chunk), amortised; the text is joined only when it is read.
 * `droppedBytes` counts what fell off the front.
 */
export class StreamText {
  readonly #max: number;
  readonly #block: number;
  #blocks: string[] = [];
  #sizes: number[] = [];
  #head = 0;
  /** Chunks not yet joined into a block, and their bytes. */
  #tail: string[] = [];
  #tailBytes = 0;
  #bytes = 0;
  #joined: string | null = '';
  /** True once the stream ended: the text is one string and takes no more chunks. */
  #settled = false;
  droppedBytes = 0;

  constructor(max: number, initial = '', droppedBytes = 0) {
    this.#max = max;
    this.#block = Math.max(1, Math.min(BLOCK_BYTES, Math.floor(max / 8)));
    this.droppedBytes = droppedBytes;
    if (initial !== '') this.append(initial);
  }

  /** UTF-8 bytes kept. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Append a chunk, dropping the oldest text past the cap; returns the change in bytes kept. */
  append(chunk: string): number {
    if (chunk === '' || this.#settled) return 0;
    const before = this.#bytes;
    let text = chunk;
    let size = utf8Bytes(text);
    if (size > this.#max) {
      text = utf8Tail(chunk, this.#max);
      this.droppedBytes += size - utf8Bytes(text);
      size = utf8Bytes(text);
    }
    this.#tail.push(text);
    this.#tailBytes += size;
    this.#bytes += size;
    if (this.#tailBytes >= this.#block) this.#seal();
    while (this.#bytes > this.#max && this.#head < this.#blocks.length) {
      const gone = this.#sizes[this.#head] ?? 0;
      this.#blocks[this.#head] = '';
      this.#bytes -= gone;
      this.droppedBytes += gone;
      this.#head++;
    }
    if (this.#head > 64 && this.#head * 2 > this.#blocks.length) {
      this.#blocks = this.#blocks.slice(this.#head);
      this.#sizes = this.#sizes.slice(this.#head);
      this.#head = 0;
    }
    this.#joined = null;
    return this.#bytes - before;
  }

  /** The kept text (joined on the first read after an append, then cached). */
  get text(): string {
    this.#joined ??= this.#blocks.slice(this.#head).join('') + this.#tail.join('');
    return this.#joined;
  }

  /**
   * The stream ended: keep its text as one string and let the blocks go (an ended stream that
   * stays in a long history costs one string, not arrays of blocks). Later appends are ignored.
   */
  settle(): void {
    if (this.#settled) return;
    this.#joined = this.text;
    this.#settled = true;
    this.#blocks = NO_TEXT;
    this.#sizes = NO_SIZES;
    this.#tail = NO_TEXT;
    this.#head = 0;
  }

  /** Join the pending chunks into one block. */
  #seal(): void {
    this.#blocks.push(this.#tail.length === 1 ? (this.#tail[0] ?? '') : this.#tail.join(''));
    this.#sizes.push(this.#tailBytes);
    this.#tail = [];
    this.#tailBytes = 0;
  }
}
