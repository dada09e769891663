type Typed = Uint8Array | Uint16Array | Uint32Array | Float64Array;

/**
 * One column of a plan's rows that most plans leave empty (a ZIP code, an account, the last
 * transaction, the number's type): no array at all until a row gives a value other than `none`,
 * so a million rows without one cost nothing for it.
 */
export class SparseColumn<T extends Typed> {
  private values: T | undefined;
  private readonly make: (n: number) => T;
  private readonly none: number;

  constructor(make: (n: number) => T, none: number) {
    this.make = make;
    this.none = none;
  }

  at(j: number): number {
    return this.values === undefined ? this.none : (this.values[j] as number);
  }

  /** Sets row `j` of a plan whose rows have room for `capacity`. */
  set(j: number, value: number, capacity: number): void {
    if (this.values === undefined) {
      if (value === this.none || (Number.isNaN(value) && Number.isNaN(this.none))) return;
      this.values = this.make(capacity);
      this.values.fill(this.none);
    } else if (this.values.length < capacity) this.grow(capacity);
    this.values[j] = value;
  }

  private grow(capacity: number): void {
    const values = this.make(capacity);
    values.fill(this.none);
    values.set(this.values as T);
    this.values = values;
  }
}
