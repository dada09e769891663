/**
 * Two growable byte buffers used in turn, for streams of big pages (an outcome page is ~1.7 MB):
 * page n+1 fills one buffer while page n, in the other, is still being read or written. Reusing
 * them instead of allocating a buffer (or a string) per page keeps an export's memory flat:
 * fresh multi-megabyte allocations per page made V8's heap and external memory grow with the
 * export's speed.
 *
 * Each `begin()` returns a generation number. Bytes of generation g stay valid until generation
 * g + 2 begins; `assertReadable(g)` throws after that, so a reader that kept a page too long
 * fails loudly instead of reading the bytes of a later page.
 */
export class StaleBufferError extends Error {
  override readonly name = "StaleBufferError";
}

export class DoubleBuffer {
  private readonly buffers: Buffer[];
  private current = 1;
  private length = 0;
  private generation = 0;

  constructor(initialBytes = 1 << 16) {
    this.buffers = [Buffer.allocUnsafe(initialBytes), Buffer.allocUnsafe(initialBytes)];
  }

  /** Starts filling the other buffer, empty; returns the new generation (1, 2, …). */
  begin(): number {
    this.current ^= 1;
    this.length = 0;
    this.generation += 1;
    return this.generation;
  }

  /** Empties generation `g` (the current one) to fill it again, e.g. for a retried answer. */
  restart(g: number): void {
    if (g !== this.generation)
      throw new StaleBufferError(`buffer generation ${g} is not the current one (${this.generation})`);
    this.length = 0;
  }

  /** Appends raw bytes. */
  write(chunk: Uint8Array): void {
    const buffer = this.room(chunk.length);
    buffer.set(chunk, this.length);
    this.length += chunk.length;
  }

  /** Appends `text` as UTF-8. */
  writeText(text: string): void {
    const buffer = this.room(text.length * 3); // UTF-8 never needs more than 3 bytes per UTF-16 unit
    this.length += buffer.write(text, this.length, "utf8");
  }

  /** Appends `text` as UTF-8 and a newline. */
  writeLine(text: string): void {
    this.writeText(text);
    this.room(1)[this.length] = 0x0a;
    this.length += 1;
  }

  /** The current generation's bytes so far (a view: valid until the generation after next begins). */
  bytes(): Buffer {
    return (this.buffers[this.current] as Buffer).subarray(0, this.length);
  }

  /** Throws unless generation `g`'s bytes are still intact. */
  assertReadable(g: number): void {
    if (g < this.generation - 1 || g > this.generation)
      throw new StaleBufferError(
        `buffer generation ${g} was reused (current ${this.generation}): read each page before fetching the page after next`,
      );
  }

  private room(extra: number): Buffer {
    let buffer = this.buffers[this.current] as Buffer;
    if (this.length + extra > buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(buffer.length * 2, this.length + extra));
      buffer.copy(grown, 0, 0, this.length);
      this.buffers[this.current] = grown;
      buffer = grown;
    }
    return buffer;
  }
}
