import { InputError } from "../core/input-error.ts";
import { DAY_MS } from "../core/time-units.ts";
import type { DispositionMap } from "../outcomes/disposition-map.ts";
import { evaluate } from "./evaluate.ts";
import { learn } from "./learn.ts";
import type { Model } from "./model-format.ts";
import type { OutcomeRecord } from "./types.ts";

/**
 * The lift a plan can promise: measured on held-out weeks the model did not learn
 * from, never on its own training data. The model's own estimate in the planned hours against
 * its average ("1.36× calling at any hour") is its fit; learned properly, the same data said
 * "1.01×, not proven yet". So: learn the model's twin (same campaign, keys, buckets, RPC
 * definition, prior strength) on the history before the last `holdoutDays`, replay those days
 * (evaluate.ts), and state the lift with its 95% interval — or say why it cannot be estimated yet.
 */
export type ExpectedLift =
  | {
      estimated: true;
      lift: number;
      ci95: [number, number];
      worthSwitchingOn: boolean;
      /** The held-out days the figure was measured on, and the days learned from before them. */
      heldOut: { from: string; to: string; days: number };
      learnedDays: number;
      attempts: number;
      /** One sentence for a manager ("1.04× (0.93–1.17) on 14 held-out days: not proven yet"). */
      headline: string;
    }
  | { estimated: false; reason: string; headline: string };

export interface ExpectedLiftOptions {
  /** Days at the end of the history held out (default 14: two weeks, every weekday twice). */
  holdoutDays?: number;
  /** The fewest days to learn from before them (default 14). */
  minLearnDays?: number;
  dispositionMap?: DispositionMap | undefined;
  resamples?: number;
  seed?: number;
}

export async function expectedLift(
  history: readonly OutcomeRecord[],
  model: Model,
  options: ExpectedLiftOptions = {},
): Promise<ExpectedLift> {
  const holdoutDays = options.holdoutDays ?? 14;
  const minLearnDays = options.minLearnDays ?? 14;
  const cannot = (reason: string): ExpectedLift => ({
    estimated: false,
    reason,
    headline: `expected lift: cannot be estimated yet (${reason})`,
  });
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const record of history) {
    if (record.campaignId !== model.campaign) continue;
    const ms = Date.parse(record.startTime);
    if (!Number.isFinite(ms)) continue;
    first = Math.min(first, ms);
    last = Math.max(last, ms);
  }
  if (!Number.isFinite(first)) return cannot(`no history of campaign ${model.campaign}`);
  const spanDays = (last - first) / DAY_MS;
  if (spanDays < holdoutDays + minLearnDays)
    return cannot(
      `${spanDays.toFixed(0)} days of history; it needs ${holdoutDays + minLearnDays}: ${minLearnDays} to learn from and ${holdoutDays} held out`,
    );
  const heldFrom = new Date(last - holdoutDays * DAY_MS).toISOString();
  const records = async function* () {
    yield* history;
  };
  const twin = await learn(records(), {
    campaign: model.campaign,
    keys: model.keys,
    attemptBuckets: model.attemptBuckets,
    rpc: model.rpc,
    priorStrength: model.priorStrength,
    to: heldFrom,
    source: "history",
    ...(options.dispositionMap ? { dispositionMap: options.dispositionMap } : {}),
  });
  try {
    const result = await evaluate(records(), twin, {
      holdoutDays,
      dispositionMap: options.dispositionMap,
      resamples: options.resamples ?? 400,
      seed: options.seed ?? 1,
    });
    if (!Number.isFinite(result.lift) || !Number.isFinite(result.ci95[0]))
      return cannot(`the ${holdoutDays} held-out days hold too few right-party contacts to measure a lift`);
    const [low, high] = result.ci95;
    const judgement = result.worthSwitchingOn
      ? "worth switching on"
      : high < 1
        ? "not worth switching on"
        : "not proven yet";
    return {
      estimated: true,
      lift: result.lift,
      ci95: result.ci95,
      worthSwitchingOn: result.worthSwitchingOn,
      heldOut: result.holdout,
      learnedDays: Math.floor((Date.parse(heldFrom) - first) / DAY_MS),
      attempts: result.attempts,
      headline: `expected lift ${result.lift.toFixed(2)}× (95% interval ${low.toFixed(2)}–${high.toFixed(2)}) over calling at any hour, measured on ${holdoutDays} held-out days the model did not learn from: ${judgement}`,
    };
  } catch (error) {
    if (error instanceof InputError) return cannot(error.problems.map((p) => p.rule).join("; "));
    throw error;
  }
}
