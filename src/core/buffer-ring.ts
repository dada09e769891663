import { StaleBufferError } from "./double-buffer.ts";

/**
 * N growable byte buffers used in turn, each filled on its own: the pages of a listing whose
 * next pages are asked for before the current one is read (a bounded prefetch) each stream
 * into their own buffer, interleaved, while the oldest is still being read. Like DoubleBuffer
 * (which is the two-buffer, one-writer case), buffers are reused rather than allocated per
 * page, so memory stays flat: N page-sized buffers, whatever the listing's length.
 *
 * Each `begin()` returns a generation number; generation g lives in buffer g mod N, and its
 * bytes stay valid until generation g + N begins. Reading or writing a generation after that
 * throws StaleBufferError instead of touching a later page's bytes.
 */
export class BufferRing {
  private readonly buffers: Buffer[];
  private readonly lengths: number[];
  private generation = 0;

  constructor(size: number, initialBytes = 1 << 16) {
    if (!(Number.isSafeInteger(size) && size >= 2))
      throw new RangeError("a buffer ring needs at least 2 buffers");
    this.buffers = Array.from({ length: size }, () => Buffer.allocUnsafe(initialBytes));
    this.lengths = this.buffers.map(() => 0);
  }

  /** How many generations are readable at once. */
  get size(): number {
    return this.buffers.length;
  }

  /** Starts the next generation in the oldest buffer, empty; returns it (1, 2, …). */
  begin(): number {
    this.generation += 1;
    this.lengths[this.generation % this.buffers.length] = 0;
    return this.generation;
  }

  /** Empties generation `g` to fill it again (a retried answer). */
  restart(g: number): void {
    this.assertReadable(g);
    this.lengths[g % this.buffers.length] = 0;
  }

  /** Appends raw bytes to generation `g`. */
  write(g: number, chunk: Uint8Array): void {
    this.assertReadable(g);
    const slot = g % this.buffers.length;
    const length = this.lengths[slot] as number;
    let buffer = this.buffers[slot] as Buffer;
    if (length + chunk.length > buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(buffer.length * 2, length + chunk.length));
      buffer.copy(grown, 0, 0, length);
      this.buffers[slot] = grown;
      buffer = grown;
    }
    buffer.set(chunk, length);
    this.lengths[slot] = length + chunk.length;
  }

  /** Generation `g`'s bytes so far (a view, valid until generation g + size begins). */
  bytes(g: number): Buffer {
    this.assertReadable(g);
    const slot = g % this.buffers.length;
    return (this.buffers[slot] as Buffer).subarray(0, this.lengths[slot]);
  }

  /** Throws unless generation `g`'s bytes are still intact. */
  assertReadable(g: number): void {
    if (!(g > this.generation - this.buffers.length && g <= this.generation && g >= 1))
      throw new StaleBufferError(
        `buffer generation ${g} was reused (current ${this.generation}, ${this.buffers.length} buffers): a page was read after its buffer was given to a later page`,
      );
  }
}
