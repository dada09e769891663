import { describe, expect, it } from "vitest";
import { AUCTION_EPSILON, assignByPrices } from "../../src/strategy/plan-assign.ts";

/** Pairs as [record, hour, value] triples. */
function solve(records: number, triples: Array<[number, number, number]>, capacity: number[]) {
  const n = triples.length;
  return assignByPrices(
    records,
    n,
    Int32Array.from(triples, (t) => t[0]),
    Int32Array.from(triples, (t) => t[1]),
    Float64Array.from(triples, (t) => t[2]),
    Int32Array.from(capacity),
  );
}

const total = (held: Int32Array, triples: Array<[number, number, number]>) =>
  [...held].reduce((a, pair) => a + (pair < 0 ? 0 : (triples[pair] as [number, number, number])[2]), 0);

/** The best total by trying every assignment (small cases). */
function bruteForce(records: number, triples: Array<[number, number, number]>, capacity: number[]): number {
  const load = capacity.map(() => 0);
  let best = 0;
  const go = (r: number, sum: number) => {
    if (r === records) {
      best = Math.max(best, sum);
      return;
    }
    go(r + 1, sum);
    for (const [record, hour, value] of triples)
      if (record === r && (load[hour] as number) < (capacity[hour] as number)) {
        load[hour] = (load[hour] as number) + 1;
        go(r + 1, sum + value);
        load[hour] = (load[hour] as number) - 1;
      }
  };
  go(0, 0);
  return best;
}

describe("assignByPrices (the day's capacity by comparative advantage)", () => {
  it("gives 10:00 to the retiree who is good only then, and 19:00 to the worker who is better then, though the worker's 10:00 rate is the highest", () => {
    // Hour 0 = 10:00, hour 1 = 19:00, one attempt each. Best draw first would give the worker
    // 10:00 (0.40) and leave the retiree 19:00 (0.05): 0.45 in all, against 0.74.
    const triples: Array<[number, number, number]> = [
      [0, 0, 0.4],
      [0, 1, 0.38],
      [1, 0, 0.36],
      [1, 1, 0.05],
    ];
    const held = solve(2, triples, [1, 1]);
    expect([...held]).toEqual([1, 2]);
    expect(total(held, triples)).toBeCloseTo(0.74, 10);
  });

  it("never exceeds an hour's capacity, gives a record at most one hour, and reaches the optimum within ε per record (random small cases against every assignment)", () => {
    let state = 12345;
    const uniform = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    for (let trial = 0; trial < 200; trial++) {
      const records = 1 + Math.floor(uniform() * 5);
      const hours = 1 + Math.floor(uniform() * 3);
      const capacity = Array.from({ length: hours }, () => Math.floor(uniform() * 3));
      const triples: Array<[number, number, number]> = [];
      for (let r = 0; r < records; r++)
        for (let h = 0; h < hours; h++)
          if (uniform() < 0.8) triples.push([r, h, Math.round(uniform() * 500) / 1000]);
      const held = solve(records, triples, capacity);
      const load = capacity.map(() => 0);
      held.forEach((pair, r) => {
        if (pair < 0) return;
        const [record, hour] = triples[pair] as [number, number, number];
        expect(record).toBe(r);
        load[hour] = (load[hour] as number) + 1;
      });
      for (const [h, n] of load.entries()) expect(n).toBeLessThanOrEqual(capacity[h] as number);
      expect(total(held, triples)).toBeGreaterThanOrEqual(
        bruteForce(records, triples, capacity) - records * AUCTION_EPSILON - 1e-12,
      );
    }
  });
});
