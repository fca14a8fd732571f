// A pull buffer over a ByteSource: keeps only the bytes not yet consumed, so that a binary reader
// can ask for "the next n bytes" without holding the file in memory.
import type { ByteSource } from './types.js';

export class ByteBuffer {
  private readonly it: AsyncIterator<Uint8Array>;
  private buf = new Uint8Array(0);
  private start = 0;
  private end = 0;
  private eof = false;
  /** Absolute file offset of `buf[start]`. */
  offset = 0;

  constructor(source: ByteSource) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** Bytes available without reading more. */
  get available(): number {
    return this.end - this.start;
  }

  /** Reads until at least `n` bytes are available or the input ends; returns the count available. */
  async fill(n: number): Promise<number> {
    while (this.end - this.start < n && !this.eof) {
      const r = await this.it.next();
      if (r.done) {
        this.eof = true;
        break;
      }
      this.append(r.value);
    }
    return this.end - this.start;
  }

  get atEof(): boolean {
    return this.eof;
  }

  private append(chunk: Uint8Array): void {
    const live = this.end - this.start;
    if (this.end + chunk.length > this.buf.length) {
      const need = live + chunk.length;
      if (need <= this.buf.length) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        const next = new Uint8Array(Math.max(need, 2 * this.buf.length));
        next.set(this.buf.subarray(this.start, this.end));
        this.buf = next;
      }
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The underlying array and the index of the first unconsumed byte (valid until the next fill). */
  view(): { bytes: Uint8Array; at: number } {
    return { bytes: this.buf, at: this.start };
  }

  /** Marks `n` bytes as consumed. */
  skip(n: number): void {
    this.start += n;
    this.offset += n;
  }

  /** Copy of the next `n` available bytes (fewer at end of input), without consuming them. */
  peek(n: number): Uint8Array {
    return this.buf.slice(this.start, Math.min(this.end, this.start + n));
  }
}
