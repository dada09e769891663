/**
 * The day's capacity as an assignment problem (issue 55 §4, docs/strategy.md "Capacity goes to
 * the best chances"): records × hours, a value per (record, hour) pair, at most one hour per
 * record and at most `capacity[h]` records per hour, the sum of the values as large as possible.
 * Solved by Bertsekas's auction with prices per hour: each unassigned record bids for the hour of
 * its best value net of the hour's price, raising that price by how much better it is than the
 * record's second-best choice (or than no hour at all), plus ε; a full hour then drops its lowest
 * bidder, who bids again elsewhere. At the end every record holds an hour within ε of its best net
 * value at the final prices, so the total is within ε × records of the optimum.
 *
 * Unlike handing the hours to the pairs with the best values one after the other (greedy), this
 * weighs comparative advantage: a contact that is good at 10:00 but better at 19:00 does not take
 * 10:00 from one that is good only at 10:00 when 19:00 has room for it.
 */

/** Bid increment: the values are answer rates (draws of them), ~0.01–0.5. */
export const AUCTION_EPSILON = 1e-4;

/**
 * Pairs of record `pairRecord[i]`, hour `pairHour[i]`, value `pairValue[i]` (records numbered
 * 0…records−1, hours 0…capacity.length−1); returns, per record, the index of the pair it holds or
 * −1. Deterministic: records bid in their order, ties go to the earlier pair.
 */
export function assignByPrices(
  records: number,
  pairs: number,
  pairRecord: Int32Array,
  pairHour: Int32Array,
  pairValue: Float64Array,
  capacity: Int32Array,
  epsilon = AUCTION_EPSILON,
): Int32Array {
  // Pairs grouped by record (counting sort, stable).
  const start = new Int32Array(records + 1);
  for (let i = 0; i < pairs; i++) (start[(pairRecord[i] as number) + 1] as number)++;
  for (let r = 0; r < records; r++) start[r + 1] = (start[r + 1] as number) + (start[r] as number);
  const next = start.slice(0, records);
  const byRecord = new Int32Array(pairs);
  for (let i = 0; i < pairs; i++) {
    const r = pairRecord[i] as number;
    byRecord[next[r] as number] = i;
    next[r] = (next[r] as number) + 1;
  }
  const hours = capacity.length;
  // Each hour's holders: a min-heap of records by their bid (the hour's price once it is full).
  const heap: Int32Array[] = new Array(hours);
  const size = new Int32Array(hours);
  const bid = new Float64Array(records);
  const held = new Int32Array(records).fill(-1);
  const price = (h: number) =>
    (size[h] as number) < (capacity[h] as number) ? 0 : (bid[(heap[h] as Int32Array)[0] as number] as number);
  const queue: number[] = [];
  for (let r = records - 1; r >= 0; r--) if ((start[r + 1] as number) > (start[r] as number)) queue.push(r);
  while (queue.length > 0) {
    const r = queue.pop() as number;
    let best = -1;
    let first = Number.NEGATIVE_INFINITY;
    // No hour at all is worth 0: a record never bids above its value.
    let second = 0;
    for (let j = start[r] as number; j < (start[r + 1] as number); j++) {
      const i = byRecord[j] as number;
      const h = pairHour[i] as number;
      if ((capacity[h] as number) <= 0) continue;
      const net = (pairValue[i] as number) - price(h);
      if (net > first) {
        if (best >= 0) second = Math.max(second, first);
        best = i;
        first = net;
      } else if (net > second) second = net;
    }
    if (best < 0 || first <= 0) continue;
    const h = pairHour[best] as number;
    const amount = price(h) + first - second + epsilon;
    let holders = heap[h];
    if (!holders) {
      holders = new Int32Array(Math.min(capacity[h] as number, records));
      heap[h] = holders;
    }
    if ((size[h] as number) >= (capacity[h] as number)) {
      // The lowest bidder leaves and bids again.
      const out = holders[0] as number;
      held[out] = -1;
      queue.push(out);
      holders[0] = holders[(size[h] as number) - 1] as number;
      size[h] = (size[h] as number) - 1;
      siftDown(holders, size[h] as number, bid, 0);
    }
    bid[r] = amount;
    held[r] = best;
    let k = size[h] as number;
    holders[k] = r;
    size[h] = k + 1;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if ((bid[holders[parent] as number] as number) <= amount) break;
      holders[k] = holders[parent] as number;
      k = parent;
    }
    holders[k] = r;
  }
  return held;
}

function siftDown(holders: Int32Array, n: number, bid: Float64Array, at: number): void {
  let k = at;
  const r = holders[k] as number;
  const value = bid[r] as number;
  for (;;) {
    let child = 2 * k + 1;
    if (child >= n) break;
    if (
      child + 1 < n &&
      (bid[holders[child + 1] as number] as number) < (bid[holders[child] as number] as number)
    )
      child++;
    if ((bid[holders[child] as number] as number) >= value) break;
    holders[k] = holders[child] as number;
    k = child;
  }
  holders[k] = r;
}
