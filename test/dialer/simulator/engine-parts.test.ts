import { describe, expect, it } from "vitest";
import { columnsOf, SlotPool } from "../../../src/dialer/simulator/engine-parts/slot-pool.ts";
import { WaitingCalls } from "../../../src/dialer/simulator/engine-parts/waiting-calls.ts";

describe("the simulators' shared parts", () => {
  it("SlotPool reuses freed slots first and grows every column with the capacity, values kept", () => {
    const pool = new SlotPool(2, columnsOf(2, { state: Uint8Array, at: Float64Array }));
    const a = pool.alloc();
    const b = pool.alloc();
    pool.columns.state[a] = 7;
    pool.columns.at[b] = 1.5;
    const c = pool.alloc(); // full: doubles
    expect([a, b, c]).toEqual([0, 1, 2]);
    expect(pool.capacity).toBe(4);
    expect(pool.columns.state).toHaveLength(4);
    expect(pool.columns.at).toHaveLength(4);
    expect(pool.columns.state[a]).toBe(7);
    expect(pool.columns.at[b]).toBe(1.5);
    pool.release(b);
    expect(pool.alloc()).toBe(b);
    pool.reset();
    expect(pool.alloc()).toBe(0);
  });

  it("WaitingCalls is first in first out across a wrap and a growth, each entry with its ready time", () => {
    const queue = new WaitingCalls(2);
    queue.push(10, 1);
    queue.push(11, 2);
    expect(queue.shift()).toBe(10);
    queue.push(12, 3); // wraps round
    queue.push(13, 4); // full: grows, order kept
    const out: Array<[number, number]> = [];
    while (queue.length > 0) out.push([queue.shift(), queue.shiftedReadyAt]);
    expect(out).toEqual([
      [11, 2],
      [12, 3],
      [13, 4],
    ]);
    queue.push(20, 5);
    queue.clear();
    expect(queue.length).toBe(0);
  });
});

describe("WaitingCalls.nextWaiting", () => {
  it("skips entries whose slot no longer waits with that ready time (abandoned, or reused since)", () => {
    const WAITING = 2;
    const state = new Uint8Array(4);
    const ready = new Float64Array(4);
    const queue = new WaitingCalls(4);
    for (const [slot, at] of [
      [0, 1],
      [1, 2],
      [2, 3],
    ] as const) {
      state[slot] = WAITING;
      ready[slot] = at;
      queue.push(slot, at);
    }
    state[0] = 0; // abandoned
    ready[1] = 9; // the slot was reused by a later call, still waiting but queued again later
    expect(queue.nextWaiting(state, WAITING, ready)).toBe(2);
    expect(queue.nextWaiting(state, WAITING, ready)).toBe(-1);
  });
});
