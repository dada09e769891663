import { SlotPool } from "./slot-pool.ts";
import type { WaitQueue } from "./wait-queue.ts";

export const CALL_FREE = 0;
/** Placed, not yet answered (or not yet classified): holds a line. */
export const CALL_DIALING = 1;
/** Answered by a person and waiting for an agent. */
export const CALL_WAITING = 2;
export const CALL_CONNECTED = 3;

/**
 * The calls in progress, one slot each: typed-array columns indexed by slot, reused as calls end
 * (SlotPool). The columns here are the ones both engines keep; each engine's subclass adds its own.
 */
export class CallTable {
  readonly state: Uint8Array<ArrayBuffer>;
  /** When the call was ready for an agent: with the state, it identifies a waiting call. */
  readonly readyAt: Float64Array<ArrayBuffer>;
  /** When a waiting call is abandoned: an abandon event at another time is stale. */
  readonly deadline: Float64Array<ArrayBuffer>;
  private readonly pool: SlotPool;

  constructor(capacity: number) {
    this.state = new Uint8Array(capacity);
    this.readyAt = new Float64Array(capacity);
    this.deadline = new Float64Array(capacity);
    this.pool = new SlotPool(capacity);
  }

  take(): number {
    return this.pool.take();
  }

  release(slot: number): void {
    this.state[slot] = CALL_FREE;
    this.pool.give(slot);
  }

  /** Every slot free, numbered from 0 again (a new day). */
  clear(): void {
    this.pool.clear();
  }

  /**
   * The longest-waiting call still waiting, taken off the queue (−1: none). Entries of callers
   * who hung up meanwhile, or of an earlier call in a slot now reused, are dropped on the way.
   */
  nextWaiting(queue: WaitQueue): number {
    while (queue.length > 0) {
      const slot = queue.shift();
      if (this.state[slot] === CALL_WAITING && this.readyAt[slot] === queue.shiftedReadyAt) return slot;
    }
    return -1;
  }
}
