import type { ListRow } from "./list-format.ts";
import { SLOTS_PER_WEEK } from "./model-format.ts";
import { assignByPrices } from "./plan-assign.ts";
import type { PlanRow } from "./plan-format.ts";
import type { Posterior } from "./plan-posterior.ts";
import type { RecordPlanner, RecordState } from "./plan-record.ts";

/**
 * With a capacity per hour, the hours go to the (record, hour) pairs with the highest Thompson
 * draws, not to the records that come first in the list (issue 55 §4): every record of a batch
 * draws its best legal slots (its segment's posterior times its own attempts' factor), all the
 * batch's pairs are sorted best first, and each pair takes the slot's earliest hour that the
 * rules allow and that has capacity left while the record still has attempts to plan. A record
 * whose best `CANDIDATES` slots are all taken then gets the best of its other legal hours that
 * has capacity left, in the list's order (the leftovers). Rows come out in the list's order.
 * Memory is one batch: a long list is planned in batches of `ALLOCATION_BATCH` records, each
 * after the earlier ones' attempts (first come between batches).
 */
export const ALLOCATION_BATCH = 5_000;
const CANDIDATES = 16;
/**
 * How a batch's pairs share the capacity. `draws` (the product's): best draw first. `prices`: the
 * records' first attempts by an assignment that maximises the sum of the draws (plan-assign.ts),
 * the rest best draw first; with `lookahead` > 0 a pair's value is its draw less `lookahead` times
 * the record's best draw a day later (what it could have tomorrow), plus 1 so that every pair stays
 * worth an hour. Tried for variant B in docs/strategy.md ("What the list can tell") and not made the
 * product's: it raised the oracle's lift, not the learned strategy's. A parameter of `planBatch`
 * (the product's plan passes none: `DRAWS`), not module state.
 */
export interface AllocationRule {
  rule: "draws" | "prices";
  lookahead: number;
}
/** The product's allocation: best draw first. */
export const DRAWS: Readonly<AllocationRule> = Object.freeze({ rule: "draws", lookahead: 0 });
/** Sort keys pack the draw and the pair's index: 2^22 pairs a batch at most. */
const INDEX_BITS = 2 ** 22;
/** A pair's draw back from its sort key. */
const drawOf = (key: number) => 2 * (1 - Math.floor(key / INDEX_BITS) / 2 ** 30);

/**
 * The pair arrays, reused from batch to batch: fresh ones each batch are memory outside the heap
 * that the collector frees late (a million-record plan peaked at 1,013 MB RSS with them, 560 MB
 * without the allocation). planBatch never awaits, so two plans never share them at once.
 */
let scratch = { pairRecord: new Int32Array(0), pairSlot: new Int16Array(0), keys: new Float64Array(0) };
function scratchFor(pairs: number): typeof scratch {
  if (scratch.keys.length < pairs)
    scratch = {
      pairRecord: new Int32Array(pairs),
      pairSlot: new Int16Array(pairs),
      keys: new Float64Array(pairs),
    };
  return scratch;
}

export function planBatch(
  planner: RecordPlanner,
  rows: readonly ListRow[],
  perRecord: number,
  allocation: Readonly<AllocationRule> = DRAWS,
): PlanRow[] {
  const k = Math.max(CANDIDATES, 4 * perRecord);
  const states: Array<RecordState | undefined> = [];
  const posteriors: Posterior[] = [];
  const { pairRecord, pairSlot, keys } = scratchFor(rows.length * k);
  const slots = new Int16Array(k);
  const values = new Float64Array(k);
  let pairs = 0;
  const waiting = new Float64Array(allocation.lookahead > 0 ? rows.length : 0);
  for (const row of rows) {
    const r = planner.open(row);
    const index = states.length;
    states.push(r);
    if (!r) continue;
    const posterior = planner.posteriorFor(r, r.phoneAttempts.length + 1);
    posteriors[index] = posterior;
    const n = planner.bestDraws(r, posterior, k, slots, values);
    if (allocation.lookahead > 0) {
      // The record's best draw tomorrow (today's candidate hours a day on): what it gives up.
      let tomorrow = 0;
      for (let i = 0; i < n; i++)
        tomorrow = Math.max(
          tomorrow,
          planner.draw(r, posterior, ((slots[i] as number) + 24) % SLOTS_PER_WEEK),
        );
      waiting[index] = tomorrow;
    }
    for (let i = 0; i < n; i++) {
      pairRecord[pairs] = index;
      pairSlot[pairs] = slots[i] as number;
      // Best draw first (draws times a factor stay below 2), then the list's order.
      const value = Math.min(Math.max(values[i] as number, 0), 1.999_999);
      keys[pairs] = Math.floor((1 - value / 2) * 2 ** 30) * INDEX_BITS + pairs;
      pairs++;
    }
  }
  const planned: PlanRow[][] = states.map(() => []);
  if (allocation.rule === "prices") {
    // Each record's first attempt: the assignment of records to hours that maximises the sum of
    // the draws (plan-assign.ts), so comparative advantage decides, not the order of the draws.
    const pairHour = new Int32Array(pairs);
    const pairValue = new Float64Array(pairs);
    for (let i = 0; i < pairs; i++) {
      const h = planner.ruleHourIn(states[pairRecord[i] as number] as RecordState, pairSlot[i] as number);
      pairHour[i] = h ?? 0;
      const value = drawOf(keys[i] as number);
      const { lookahead } = allocation;
      pairValue[i] =
        h === undefined
          ? 0
          : lookahead > 0
            ? 1 + value - lookahead * (waiting[pairRecord[i] as number] as number)
            : value;
    }
    const held = assignByPrices(
      states.length,
      pairs,
      pairRecord,
      pairHour,
      pairValue,
      planner.capacityLeft(),
    );
    held.forEach((pair, index) => {
      if (pair < 0) return;
      const r = states[index] as RecordState;
      const slot = pairSlot[pair] as number;
      const h = planner.hourIn(r, slot);
      if (h === undefined) return;
      (planned[index] as PlanRow[]).push(planner.commit(r, posteriors[index] as Posterior, { h, slot }, 1));
    });
  }
  const order = keys.subarray(0, pairs).sort();
  for (let i = 0; i < pairs; i++) {
    const pair = (order[i] as number) % INDEX_BITS;
    const index = pairRecord[pair] as number;
    const r = states[index] as RecordState;
    const done = planned[index] as PlanRow[];
    if (done.length >= perRecord) continue;
    const slot = pairSlot[pair] as number;
    const h = planner.hourIn(r, slot);
    if (h === undefined) continue;
    done.push(planner.commit(r, posteriors[index] as Posterior, { h, slot }, done.length + 1));
  }
  const out: PlanRow[] = [];
  states.forEach((r, index) => {
    if (!r) return;
    const done = planned[index] as PlanRow[];
    // Capacity left after the best pairs: the record's other legal hours, in the list's order.
    if (done.length < perRecord) planner.fill(r, posteriors[index] as Posterior, done, perRecord);
    planner.close(r, done.length > 0);
    for (const row of done) out.push(row);
  });
  return out;
}

/** The list in batches (the allocation's unit). */
export async function* batches<T>(
  items: AsyncIterable<T> | Iterable<T>,
  size = ALLOCATION_BATCH,
): AsyncIterable<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
