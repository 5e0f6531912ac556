/** UTF-8 byte length of a string. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

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

/**
 * The text the host keeps of one stream: its newest whole chunks, at most `max` UTF-8 bytes (a
 * single chunk over `max` keeps its tail). Appending costs O(chunk), amortised: chunks wait in a
 * queue and are joined only when the text is read. `droppedBytes` counts what fell off the front.
 */
export class StreamText {
  readonly #max: number;
  #chunks: string[] = [];
  #sizes: number[] = [];
  #head = 0;
  #bytes = 0;
  #joined: string | null = '';
  droppedBytes = 0;

  constructor(max: number, initial = '', droppedBytes = 0) {
    this.#max = max;
    this.droppedBytes = droppedBytes;
    if (initial !== '') this.append(initial);
  }

  /** UTF-8 bytes kept. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Append a chunk, dropping the oldest text past the cap; returns the change in bytes kept. */
  append(chunk: string): number {
    if (chunk === '') return 0;
    const before = this.#bytes;
    let text = chunk;
    let size = utf8Bytes(text);
    if (size > this.#max) {
      text = utf8Tail(chunk, this.#max);
      this.droppedBytes += size - utf8Bytes(text);
      size = utf8Bytes(text);
    }
    this.#chunks.push(text);
    this.#sizes.push(size);
    this.#bytes += size;
    while (this.#bytes > this.#max && this.#head < this.#chunks.length - 1) {
      const gone = this.#sizes[this.#head] ?? 0;
      this.#bytes -= gone;
      this.droppedBytes += gone;
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#sizes = this.#sizes.slice(this.#head);
      this.#head = 0;
    }
    this.#joined = null;
    return this.#bytes - before;
  }

  /** The kept text (joined on the first read after an append, then cached). */
  get text(): string {
    this.#joined ??= (this.#head === 0 ? this.#chunks : this.#chunks.slice(this.#head)).join('');
    return this.#joined;
  }
}
