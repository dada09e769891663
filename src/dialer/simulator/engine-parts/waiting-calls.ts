/**
 * The calls waiting for an agent, first in first out: a ring of (slot, ready time) that doubles
 * when full. A slot can be freed (abandoned) and reused while its old entry is still queued, so
 * each entry carries the ready time of the occupancy it was queued for; the engine skips an
 * entry whose slot no longer waits with that ready time. Allocation-free after warm-up.
 */
export class WaitingCalls {
  private size: number;
  private slots: Int32Array;
  private ready: Float64Array;
  private head = 0;
  length = 0;
  /** The ready time of the entry `shift` returned last. */
  shiftedReadyAt = 0;

  constructor(size: number) {
    this.size = size;
    this.slots = new Int32Array(size);
    this.ready = new Float64Array(size);
  }

  push(slot: number, readyAt: number): void {
    if (this.length === this.size) this.grow();
    const tail = (this.head + this.length) % this.size;
    this.slots[tail] = slot;
    this.ready[tail] = readyAt;
    this.length++;
  }

  /** Removes the oldest entry; returns its slot (its ready time is `shiftedReadyAt`). */
  shift(): number {
    const slot = this.slots[this.head] as number;
    this.shiftedReadyAt = this.ready[this.head] as number;
    this.head = (this.head + 1) % this.size;
    this.length--;
    return slot;
  }

  /**
   * The oldest call still waiting, taken off the queue (−1: none). An entry whose slot no longer
   * holds a call in `waitingState` with the entry's ready time (abandoned meanwhile, the slot
   * reused since) is dropped on the way.
   */
  nextWaiting(state: Uint8Array, waitingState: number, ready: Float64Array): number {
    while (this.length > 0) {
      const slot = this.shift();
      if (state[slot] === waitingState && ready[slot] === this.shiftedReadyAt) return slot;
    }
    return -1;
  }

  /** Empty (a new simulated day). */
  clear(): void {
    this.head = 0;
    this.length = 0;
  }

  private grow(): void {
    const slots = new Int32Array(this.size * 2);
    const ready = new Float64Array(this.size * 2);
    for (let i = 0; i < this.length; i++) {
      slots[i] = this.slots[(this.head + i) % this.size] as number;
      ready[i] = this.ready[(this.head + i) % this.size] as number;
    }
    this.slots = slots;
    this.ready = ready;
    this.head = 0;
    this.size *= 2;
  }
}
