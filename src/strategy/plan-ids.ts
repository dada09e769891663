/**
 * A plan's record ids, held as bytes out of the JS heap, with an index from id to record.
 *
 * Why: a million ids as JS strings cost some 32 bytes each on the heap (header, characters,
 * the array's slot) and V8 keeps headroom above them; here an id is its UTF-8 bytes in one
 * growing buffer plus a 4-byte offset, about 12 bytes for the ids a plan carries, and the index
 * is open addressing in one typed array (4 to 8 bytes a record, where a Map of a million entries
 * took some 40 MB and doubled while it grew). An id is made a string again only when asked for
 * (`at`), and is garbage once used.
 */
export class PlanIds {
  private bytes = Buffer.allocUnsafe(1 << 16);
  /** Where id `i` starts in `bytes`; `ends[i]` is `starts[i + 1]`. */
  private starts = new Uint32Array(1025);
  private used = 0;
  private count = 0;
  private slots = new Int32Array(2048).fill(-1);

  get size(): number {
    return this.count;
  }

  /** FNV-1a over the id's UTF-8 bytes (the same bytes for the same id, whether text or stored). */
  private static hashBytes(bytes: Uint8Array, from: number, to: number): number {
    let h = 0x811c9dc5;
    for (let i = from; i < to; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
    return h >>> 0;
  }

  /** The record of `id`, or -1. */
  get(id: string): number {
    const key = Buffer.from(id, "utf8");
    const mask = this.slots.length - 1;
    for (let at = PlanIds.hashBytes(key, 0, key.length) & mask; ; at = (at + 1) & mask) {
      const record = this.slots[at] as number;
      if (record === -1) return -1;
      if (this.equals(record, key)) return record;
    }
  }

  /** Adds an id not already held; answers its record (the count of ids before it). */
  add(id: string): number {
    const record = this.count;
    const length = Buffer.byteLength(id, "utf8");
    if (this.used + length > this.bytes.length) this.growBytes(this.used + length);
    if (record + 2 > this.starts.length) {
      const starts = new Uint32Array(this.starts.length * 2);
      starts.set(this.starts);
      this.starts = starts;
    }
    this.bytes.write(id, this.used, "utf8");
    this.starts[record] = this.used;
    this.used += length;
    this.starts[record + 1] = this.used;
    this.count++;
    if (this.count * 2 > this.slots.length) this.growSlots();
    else this.place(record);
    return record;
  }

  /** The id of a record, as text. */
  at(record: number): string {
    return this.bytes.toString("utf8", this.starts[record], this.starts[record + 1]);
  }

  private equals(record: number, key: Uint8Array): boolean {
    const from = this.starts[record] as number;
    const to = this.starts[record + 1] as number;
    if (to - from !== key.length) return false;
    for (let i = 0; i < key.length; i++) if (this.bytes[from + i] !== key[i]) return false;
    return true;
  }

  private place(record: number): void {
    const mask = this.slots.length - 1;
    let at =
      PlanIds.hashBytes(this.bytes, this.starts[record] as number, this.starts[record + 1] as number) & mask;
    while (this.slots[at] !== -1) at = (at + 1) & mask;
    this.slots[at] = record;
  }

  private growBytes(size: number): void {
    const bytes = Buffer.allocUnsafe(Math.max(size, this.bytes.length * 2));
    this.bytes.copy(bytes, 0, 0, this.used);
    this.bytes = bytes;
  }

  private growSlots(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let record = 0; record < this.count; record++) this.place(record);
  }
}
