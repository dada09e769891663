/** A typed array the engines keep one value per call (or agent) in. */
export type Column = Uint8Array | Int32Array | Float64Array;

/** Columns of `capacity` values each, of the kinds given: `columnsOf(64, { state: Uint8Array })`. */
export function columnsOf<K extends Record<string, new (length: number) => Column>>(
  capacity: number,
  kinds: K,
): { [N in keyof K]: InstanceType<K[N]> } {
  const columns: Record<string, Column> = {};
  for (const [name, Kind] of Object.entries(kinds)) columns[name] = new Kind(capacity);
  return columns as { [N in keyof K]: InstanceType<K[N]> };
}

/** `column` copied into a new array of `capacity` values (the rest zero). */
export function grown<T extends Column>(column: T, capacity: number): T {
  const bigger = new (column.constructor as new (length: number) => T)(capacity);
  bigger.set(column as never);
  return bigger;
}

/**
 * The call slots of a simulator: each call in progress holds a slot, the index of its values in
 * `columns`, an object of typed arrays (one per thing the engine keeps about a call, made by
 * `columnsOf`). Freed slots are reused first (a stack), so the columns stay as small as the most
 * calls ever in progress at once; when every slot is taken the capacity doubles and every column
 * grows with it. Allocation-free after warm-up.
 */
export class SlotPool<C extends Record<string, Column>> {
  readonly columns: C;
  capacity: number;
  private free: Int32Array;
  private freeCount = 0;
  private next = 0;

  constructor(capacity: number, columns: C) {
    this.capacity = capacity;
    this.free = new Int32Array(capacity);
    this.columns = columns;
  }

  alloc(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount] as number;
    if (this.next === this.capacity) {
      this.capacity *= 2;
      this.free = grown(this.free, this.capacity);
      const columns = this.columns as Record<string, Column>;
      for (const name of Object.keys(columns)) columns[name] = grown(columns[name] as Column, this.capacity);
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
