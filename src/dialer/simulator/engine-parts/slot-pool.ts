/**
 * The slots of a simulator's call table: each call in progress holds one slot, an index into
 * the engine's typed-array columns, and gives it back when it ends, so a run allocates nothing.
 * Each engine sizes the pool above the most calls it can have in progress (the DES: its channel
 * limit; the day simulator: the lines its limits allow every agent), so it never runs out.
 */
export class SlotPool {
  readonly capacity: number;
  private readonly free: Int32Array<ArrayBuffer>;
  private freeCount = 0;
  private next = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.free = new Int32Array(capacity);
  }

  /** A free slot: the one given back last, else the first never used. */
  take(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount] as number;
    if (this.next === this.capacity)
      throw new Error(
        `more than ${this.capacity} calls in progress: the engine sized its call table too small`,
      );
    return this.next++;
  }

  give(slot: number): void {
    this.free[this.freeCount++] = slot;
  }

  /** Every slot free again, numbered from 0 as in a fresh pool (a new day starts alike). */
  clear(): void {
    this.freeCount = 0;
    this.next = 0;
  }
}
