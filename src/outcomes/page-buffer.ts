/**
 * The bytes of one page of NDJSON lines, encoded straight into one of two reused buffers instead
 * of a new string and a new Buffer per page: a 5000-record page is ~1.7 MB, and allocating that
 * twice per page kept the heap and external memory of an export growing with its speed. Two
 * buffers, because page n is written to the file while page n+1 is encoded; the caller must
 * finish with a page's bytes (hash, write) before encoding the page after next.
 */
export class PageBuffer {
  private readonly buffers: Buffer[] = [Buffer.allocUnsafe(1 << 21), Buffer.allocUnsafe(1 << 21)];
  private current = 0;
  private length = 0;

  /** Starts a page in the other buffer (the previous page's bytes stay valid). */
  begin(): void {
    this.current ^= 1;
    this.length = 0;
  }

  /** Appends `line` and a newline. */
  pushLine(line: string): void {
    let buffer = this.buffers[this.current] as Buffer;
    const worst = line.length * 3 + 1; // UTF-8 never needs more than 3 bytes per UTF-16 unit
    if (this.length + worst > buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(buffer.length * 2, this.length + worst));
      buffer.copy(grown, 0, 0, this.length);
      this.buffers[this.current] = grown;
      buffer = grown;
    }
    this.length += buffer.write(line, this.length, "utf8");
    buffer[this.length] = 0x0a;
    this.length += 1;
  }

  /** The page's bytes so far (a view: valid until the page after next begins). */
  bytes(): Buffer {
    return (this.buffers[this.current] as Buffer).subarray(0, this.length);
  }
}
