/** A typed array the engines keep one value per call (or agent) in. */
export type Column = Uint8Array | Int32Array | Float64Array;

/** `column` copied into a new array of `capacity` values (the rest zero). */
export function grown<T extends Column>(column: T, capacity: number): T {
  const bigger = new (column.constructor as new (length: number) => T)(capacity);
  bigger.set(column as never);
  return bigger;
}

/**
 * The call slots of a simulator: each call in progress holds a slot, the index of its values in
 * the engine's typed-array columns. Freed slots are reused first (a stack), so the columns stay
 * as small as the most calls ever in progress at once; when every slot is taken the capacity
 * doubles and `onGrow` grows the engine's columns to it. Allocation-free after warm-up.
 */
export class SlotPool {
  capacity: number;
  private free: Int32Array;
  private freeCount = 0;
  private next = 0;
  private readonly onGrow: (capacity: number) => void;

  constructor(capacity: number, onGrow: (capacity: number) => void) {
    this.capacity = capacity;
    this.free = new Int32Array(capacity);
    this.onGrow = onGrow;
  }

  alloc(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount] as number;
    if (this.next === this.capacity) {
      this.capacity *= 2;
      this.free = grown(this.free, this.capacity);
      this.onGrow(this.capacity);
    }
    return this.next++;
  }

  release(slot: number): void {
    this.free[this.freeCount++] = slot;
  }

  /** Every slot free again (a new simulated day). */
  reset(): void {
    this.freeCount = 0;
    this.next = 0;
  }
}
