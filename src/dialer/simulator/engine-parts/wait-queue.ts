/**
 * The answered calls waiting for an agent, first come first served: a ring of (slot, ready
 * time) that doubles when full. A caller who hangs up is not searched for and removed; the
 * entry is left behind, and whoever takes from the queue skips it: the slot is no longer
 * waiting, or waits for a later call (its ready time differs from the entry's).
 */
export class WaitQueue {
  length = 0;
  /** The ready time of the entry `shift` returned last, to check against its slot. */
  shiftedReadyAt = 0;
  private size: number;
  private head = 0;
  private slots: Int32Array<ArrayBuffer>;
  private readyAts: Float64Array<ArrayBuffer>;

  constructor(size: number) {
    this.size = size;
    this.slots = new Int32Array(size);
    this.readyAts = new Float64Array(size);
  }

  push(slot: number, readyAt: number): void {
    if (this.length === this.size) this.grow();
    const tail = (this.head + this.length) % this.size;
    this.slots[tail] = slot;
    this.readyAts[tail] = readyAt;
    this.length++;
  }

  /** Takes the oldest entry (call only when `length > 0`): its slot; its ready time in `shiftedReadyAt`. */
  shift(): number {
    const head = this.head;
    this.head = (head + 1) % this.size;
    this.length--;
    this.shiftedReadyAt = this.readyAts[head] as number;
    return this.slots[head] as number;
  }

  clear(): void {
    this.head = 0;
    this.length = 0;
  }

  private grow(): void {
    const slots = new Int32Array(this.size * 2);
    const readyAts = new Float64Array(this.size * 2);
    for (let i = 0; i < this.length; i++) {
      slots[i] = this.slots[(this.head + i) % this.size] as number;
      readyAts[i] = this.readyAts[(this.head + i) % this.size] as number;
    }
    this.slots = slots;
    this.readyAts = readyAts;
    this.head = 0;
    this.size *= 2;
  }
}
