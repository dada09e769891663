import { describe, expect, it } from "vitest";
import { CALL_WAITING, CallTable } from "../../../src/dialer/simulator/engine-parts/call-table.ts";
import { SlotPool } from "../../../src/dialer/simulator/engine-parts/slot-pool.ts";
import { WaitQueue } from "../../../src/dialer/simulator/engine-parts/wait-queue.ts";

describe("the simulators' shared parts", () => {
  it("SlotPool gives back the slot freed last first, and says so when an engine sized it too small", () => {
    const pool = new SlotPool(3);
    expect([pool.take(), pool.take()]).toEqual([0, 1]);
    pool.give(0);
    expect(pool.take()).toBe(0);
    expect(pool.take()).toBe(2);
    expect(() => pool.take()).toThrow(/more than 3 calls in progress/);
    pool.clear();
    expect(pool.take()).toBe(0);
  });

  it("WaitQueue is first in first out across a wrap and a growth, each entry with its ready time", () => {
    const queue = new WaitQueue(2);
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
  });

  it("CallTable.nextWaiting skips calls no longer waiting with that ready time (abandoned, slot reused)", () => {
    const calls = new CallTable(4);
    const queue = new WaitQueue(4);
    for (const at of [1, 2, 3]) {
      const slot = calls.take();
      calls.state[slot] = CALL_WAITING;
      calls.readyAt[slot] = at;
      queue.push(slot, at);
    }
    calls.release(0); // abandoned
    calls.readyAt[1] = 9; // the slot now holds a later call
    expect(calls.nextWaiting(queue)).toBe(2);
    expect(calls.nextWaiting(queue)).toBe(-1);
  });
});
