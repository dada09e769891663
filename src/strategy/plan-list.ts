import type { ComplianceEngine } from "../compliance/engine.ts";
import { InputError } from "../core/input-error.ts";
import type { ListRow } from "./list-format.ts";
import type { Model } from "./model-format.ts";
import type { PlanRow } from "./plan-format.ts";
import {
  type PlanSources,
  preparePlan,
  type StrategyPlan,
  type StrategyPlanParams,
  type StrategyPlanRows,
} from "./prepare-plan.ts";

/**
 * `strategy.plan`: the rules built through the one path every plan takes (preparePlan: the data
 * dir's and the platform's facts, the skill's hours), then the rows, a batch at a time, paced by
 * `signal`, each stamped with its campaign. Without `sources` (a group made without a client),
 * on the model and the law alone.
 */
export async function planList(
  sources: PlanSources | undefined,
  engine: ComplianceEngine,
  list: StrategyPlanRows,
  model: Model,
  params: StrategyPlanParams,
  signal: AbortSignal | undefined,
): Promise<StrategyPlan> {
  const [{ planInBatches }, { inSignalSlices, SignalSlices }, { rndCounts }] = await Promise.all([
    import("./plan.ts"),
    import("../core/signal-slices.ts"),
    import("./rnd-screen.ts"),
  ]);
  if (params.onRow && params.onBatch)
    throw new InputError({ field: "onBatch", rule: "is not given with onRow: one sink for the rows" });
  const { checkListAccounts, countsCxoneDials } = await import("./plan-calls.ts");
  // Read before it is planned when the RND is asked about it or CXone's dials are kept for its
  // numbers: a list given once (an iterable) is then held whole; a function is read afresh.
  const read = await readsOf(list, sources?.rnd !== undefined || countsCxoneDials(sources?.client), signal);
  const job = await preparePlan(sources, read, model, params, signal, {
    // A list read more than once is checked before anything is sent, as the CLI's file was; that
    // read notes its numbers and debts for the counts.
    beforeSending: read.again ? (kind) => checkListAccounts(read(), kind) : undefined,
  });
  const planned: PlanRow[] = [];
  const sink = sinkOf(params, planned);
  // Paced on both sides: the list as it is read, and the rows as they are planned (a
  // collections plan reads the whole list before planning it).
  const slices = new SignalSlices(signal);
  const batches = planInBatches(
    engine,
    inSignalSlices(job.rows, signal),
    job.model,
    job.options,
    job.summary,
  );
  for await (const rows of batches) {
    for (const row of rows) row.campaign = job.campaign;
    await slices.tick();
    await sink(rows);
  }
  signal?.throwIfAborted();
  // Last in the summary, after what the rows counted.
  const summary = Object.assign(job.summary, { expectedLift: await job.expectedLift() });
  const campaignName = await job.campaignName();
  return {
    rows: planned,
    summary,
    ...(job.capacity ? { capacity: job.capacity } : {}),
    campaign: job.campaign,
    ...(campaignName !== undefined ? { campaignName } : {}),
    from: new Date(job.fromMs).toISOString(),
    days: job.options.days,
    ...(job.rnd ? { rnd: rndCounts(job.rnd) } : {}),
  };
}

/** Where the planned rows go: the caller's sink (awaited), else the answer's `rows`. */
function sinkOf(params: StrategyPlanParams, planned: PlanRow[]): (rows: PlanRow[]) => Promise<void> {
  const { onRow, onBatch } = params;
  if (onBatch) return async (rows) => void (await onBatch(rows));
  if (onRow)
    return async (rows) => {
      for (const row of rows) {
        const pending = onRow(row);
        if (pending instanceof Promise) await pending;
      }
    };
  return async (rows) => {
    for (const row of rows) planned.push(row);
  };
}

/**
 * Each read of the list: a function's fresh read (`again`: it can be read more than once), else
 * the rows given — an iterable read twice when the RND is asked about it first is held whole.
 */
async function readsOf(
  list: StrategyPlanRows,
  readTwice: boolean,
  signal: AbortSignal | undefined,
): Promise<(() => AsyncIterable<ListRow> | Iterable<ListRow>) & { again: boolean }> {
  if (typeof list === "function") return Object.assign(() => list(), { again: true });
  const { inSignalSlices } = await import("../core/signal-slices.ts");
  // Held in signal slices: an abort while a large list is read in is honoured at once.
  const rows = readTwice ? await readAll(inSignalSlices(list, signal)) : list;
  return Object.assign(() => rows, { again: Array.isArray(rows) });
}
async function readAll<T>(rows: AsyncIterable<T> | Iterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
}
