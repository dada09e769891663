/**
 * The future-event list: a binary min-heap on time, stored in parallel typed arrays (time,
 * payload) so pushing and popping allocate nothing. Millions of events per second is the
 * point: an array re-sorted per insert (the naive baseline in the bench) is O(n log n) per
 * event. Ties pop in an unspecified but deterministic order, so runs stay reproducible.
 */
/** What the simulator needs from a future-event list (the bench swaps in a naive one). */
export interface EventQueue {
  readonly size: number;
  peekTime(): number;
  push(time: number, payload: number): void;
  pop(): number;
}

export class EventHeap implements EventQueue {
  private times: Float64Array;
  private payloads: Int32Array;
  private count = 0;

  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.payloads = new Int32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Time of the earliest event (Infinity when empty). */
  peekTime(): number {
    return this.count > 0 ? (this.times[0] as number) : Number.POSITIVE_INFINITY;
  }

  push(time: number, payload: number): void {
    if (this.count === this.times.length) this.grow();
    const times = this.times;
    const payloads = this.payloads;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentTime = times[parent] as number;
      if (parentTime <= time) break;
      times[i] = parentTime;
      payloads[i] = payloads[parent] as number;
      i = parent;
    }
    times[i] = time;
    payloads[i] = payload;
  }

  /** Removes the earliest event and returns its payload; read its time with peekTime first. */
  pop(): number {
    const times = this.times;
    const payloads = this.payloads;
    const top = payloads[0] as number;
    const last = --this.count;
    if (last === 0) return top;
    const time = times[last] as number;
    const payload = payloads[last] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      // The smaller child without a branch (which one is a coin flip to the CPU). When only the
      // left child is in the heap, times[last] (the right one's place) still holds `time`: it is
      // taken only when the left child is later than `time`, and then the loop stops as it did.
      child += Number((times[child + 1] as number) < (times[child] as number));
      const childTime = times[child] as number;
      if (childTime >= time) break;
      times[i] = childTime;
      payloads[i] = payloads[child] as number;
      i = child;
    }
    times[i] = time;
    payloads[i] = payload;
    return top;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const payloads = new Int32Array(this.payloads.length * 2);
    times.set(this.times);
    payloads.set(this.payloads);
    this.times = times;
    this.payloads = payloads;
  }
}
