import { InputError } from "../core/input-error.ts";
import { SignalSlices } from "../core/signal-slices.ts";
import { DAY_MS } from "../core/time-units.ts";
import { Random } from "../dialer/simulator/des/prng.ts";
import { Categorizer, DEFAULT_DISPOSITION_MAP, type DispositionMap } from "../outcomes/disposition-map.ts";
import { attemptBucketOf, columnValueOf, rpcTest, segmentKeyOf } from "./learn.ts";
import type { Model, SlotStats } from "./model-format.ts";
import { nanpE164, placeOf, slotAt } from "./place.ts";
import type { OutcomeRecord } from "./types.ts";

/**
 * `cxo strategy evaluate`: an offline estimate of the lift on the user's own
 * held-out weeks, before switching the strategy on. Replay: the strategy spends the same
 * attempts in the hours it would pick, the better half (by the model's estimate) of the hours the
 * campaign actually called each segment in; the RPC rate of the logged attempts made in those
 * hours against the rate of all logged attempts is the lift. Valid when the logged calls were
 * spread over the hours (an hour-agnostic dialer: what a campaign has before switching on).
 * The 95% interval is a bootstrap over the held-out hours (each day × segment × hour of week).
 */

export interface StrategyEvaluateOptions {
  /** Days at the end of the history held out (the model must not have learned from them). */
  holdoutDays: number;
  dispositionMap?: DispositionMap | undefined;
  /**
   * Evaluate a model that learned from (some of) the held-out days anyway. Its lift is then
   * measured on data it was fitted to, so it is optimistic: the verdict says so first. Without
   * it such a model is refused (InputError on `model.learnedFrom`), nothing computed.
   */
  allowOverlap?: boolean | undefined;
  /** Bootstrap resamples (default 1000) and their seed (default 1). */
  resamples?: number | undefined;
  seed?: number | undefined;
}

export interface StrategyEvaluation {
  campaign: string;
  holdout: { from: string; to: string; days: number };
  /** Held-out attempts of the model's campaign, and the RPCs among them. */
  attempts: number;
  rpcs: number;
  /** RPCs per 1,000 held-out attempts as logged (the campaign's current way of calling). */
  loggedRpcPer1000: number;
  /** RPCs per 1,000 attempts in the hours the strategy picks (replay). */
  strategyRpcPer1000: number;
  /** Attempts the replay rests on (those in the picked hours). */
  replayedAttempts: number;
  lift: number;
  ci95: [number, number];
  /** Worth switching on: the interval's lower bound is above 1. */
  worthSwitchingOn: boolean;
  /** The model learned from held-out days (allowed with `allowOverlap`): the lift is optimistic. */
  optimistic: boolean;
  verdict: string;
  notes: string[];
}

interface Logged {
  ms: number;
  segment: string;
  slot: number;
  rpc: boolean;
}

function estimateOf(model: Model, segment: string, slot: number): number {
  const found = model.segments.find((s) => s.key === segment);
  return ((found?.slots ?? model.priors.campaign)[slot] as SlotStats).estimate;
}

/** For each segment, the slots whose estimate is at or above the attempt-weighted median. */
function pickedSlots(model: Model, held: readonly Logged[]): Map<string, Set<number>> {
  const bySegment = new Map<string, Logged[]>();
  for (const a of held) {
    const list = bySegment.get(a.segment) ?? [];
    list.push(a);
    bySegment.set(a.segment, list);
  }
  const picked = new Map<string, Set<number>>();
  for (const [segment, attempts] of bySegment) {
    const estimates = attempts.map((a) => estimateOf(model, segment, a.slot)).sort((x, y) => y - x);
    const median = estimates[Math.floor((estimates.length - 1) / 2)] as number;
    const slots = new Set<number>();
    for (const a of attempts) if (estimateOf(model, segment, a.slot) >= median) slots.add(a.slot);
    picked.set(segment, slots);
  }
  return picked;
}

/** The plain sentence on whether the strategy is worth switching on. */
function verdictOf(lift: number, ci95: readonly [number, number], worth: boolean, days: number): string {
  const pct = (x: number) => `${((x - 1) * 100).toFixed(0)}%`;
  return !Number.isFinite(lift)
    ? `No estimate: the ${days} held-out days hold no right-party contact to compare.`
    : worth
      ? `Worth switching on: on your last ${days} days the strategy's hours would have given ${pct(lift)} more right-party contacts per attempt (95% interval ${pct(ci95[0])} to ${pct(ci95[1])}).`
      : ci95[1] < 1
        ? `Not worth switching on: on your last ${days} days the strategy's hours would have given fewer right-party contacts per attempt (${pct(lift)}, 95% interval ${pct(ci95[0])} to ${pct(ci95[1])}).`
        : `Not proven yet: the estimate is ${pct(lift)} but the 95% interval (${pct(ci95[0])} to ${pct(ci95[1])}) includes no gain; keep calling as today and evaluate again with more history.`;
}

/** The records of the model's campaign as logged attempts (segment and local slot), in order. */
async function readLogged(
  records: AsyncIterable<OutcomeRecord> | Iterable<OutcomeRecord>,
  model: Model,
  isRpc: (record: OutcomeRecord) => boolean,
): Promise<{ logged: Logged[]; lastMs: number; otherCampaign: number }> {
  const logged: Logged[] = [];
  const attemptsOfPhone = model.keys.includes("attemptBucket") ? new Map<string, number>() : undefined;
  let lastMs = Number.NEGATIVE_INFINITY;
  let otherCampaign = 0;
  for await (const record of records) {
    if (record.campaignId !== model.campaign) {
      otherCampaign++;
      continue;
    }
    const ms = Date.parse(record.startTime);
    const phone = record.phoneNumber ? nanpE164(record.phoneNumber) : undefined;
    const place = phone ? placeOf(phone) : null;
    const zone = place?.zones[0];
    if (!Number.isFinite(ms) || !place || zone === undefined || !phone) continue;
    const values: Record<string, string> = {};
    for (const key of model.keys)
      if (key === "state") values.state = place.state;
      else if (key === "areaCode") values.areaCode = place.npa;
      else if (key === "list")
        values.list = String(record.extra?.listId ?? record.extra?.contactListId ?? "");
      else if (key !== "attemptBucket") values[key] = columnValueOf(record, key);
      else {
        const n = (attemptsOfPhone?.get(phone) ?? 0) + 1;
        attemptsOfPhone?.set(phone, n);
        values.attemptBucket = attemptBucketOf(n, model.attemptBuckets);
      }
    logged.push({
      ms,
      segment: segmentKeyOf(model.keys, values),
      slot: slotAt(ms, zone),
      rpc: isRpc(record),
    });
    lastMs = Math.max(lastMs, ms);
  }
  return { logged, lastMs, otherCampaign };
}

export async function evaluate(
  records: AsyncIterable<OutcomeRecord> | Iterable<OutcomeRecord>,
  model: Model,
  options: StrategyEvaluateOptions,
  /** The call's signal (issue 80 §2): the resampling stops with its reason, a slice at a time. */
  signal?: AbortSignal,
): Promise<StrategyEvaluation> {
  if (!Number.isInteger(options.holdoutDays) || options.holdoutDays < 1 || options.holdoutDays > 365)
    throw new InputError({ field: "holdoutDays", rule: "must be a whole number of days from 1 to 365" });
  const isRpc = rpcTest(model.rpc, new Categorizer(options.dispositionMap ?? DEFAULT_DISPOSITION_MAP));
  const { logged, lastMs, otherCampaign } = await readLogged(records, model, isRpc);
  if (logged.length === 0)
    throw new InputError({
      field: "history",
      rule: `holds no attempt of campaign ${model.campaign} (the model's campaign)${otherCampaign > 0 ? `; ${otherCampaign} record(s) of other campaigns` : ""}`,
    });
  const holdoutFromMs = lastMs - options.holdoutDays * DAY_MS;
  const held = logged.filter((a) => a.ms > holdoutFromMs);
  const notes: string[] = [];
  const learnedTo = model.learnedFrom.to === null ? null : Date.parse(model.learnedFrom.to);
  const heldFrom = new Date(holdoutFromMs).toISOString();
  // A model measured on the days it learned from shows its fit, not what it will bring: a lift
  // of 1.24× learned that way was 1.01× on days it had not seen (issue 64 §2).
  const optimistic = learnedTo === null || learnedTo > holdoutFromMs;
  if (optimistic && options.allowOverlap !== true)
    throw new InputError({
      field: "model.learnedFrom",
      rule: `${learnedTo === null ? "has no end" : `ends ${model.learnedFrom.to}`}, inside the held-out days (from ${heldFrom}): the lift would be measured on data the model learned from. Learn it from the days before ${heldFrom}, or allow the overlap (allowOverlap) and read the figure as optimistic`,
    });
  if (optimistic)
    notes.push(
      `the model was learned from a window reaching into the held-out days (learn it up to ${heldFrom}): the estimate is optimistic`,
    );
  const picked = pickedSlots(model, held);
  const inPicked = (a: Logged) => picked.get(a.segment)?.has(a.slot) === true;

  // Per held-out day × hour of week: attempts, RPCs, and the same in the picked hours (the
  // bootstrap's units: attempts of one hour move together).
  const cells = new Map<string, [number, number, number, number]>();
  for (const a of held) {
    const key = `${Math.floor((a.ms - holdoutFromMs) / DAY_MS)}|${a.segment}|${a.slot}`;
    const row = cells.get(key) ?? [0, 0, 0, 0];
    row[0]++;
    if (a.rpc) row[1]++;
    if (inPicked(a)) {
      row[2]++;
      if (a.rpc) row[3]++;
    }
    cells.set(key, row);
  }
  const units = [...cells.values()];
  const liftOf = (rows: ReadonlyArray<readonly number[]>) => {
    let n = 0;
    let r = 0;
    let pn = 0;
    let pr = 0;
    for (const row of rows) {
      n += row[0] as number;
      r += row[1] as number;
      pn += row[2] as number;
      pr += row[3] as number;
    }
    return r === 0 || pn === 0 ? Number.NaN : pr / pn / (r / n);
  };
  const lift = liftOf(units);
  const random = new Random(options.seed ?? 1);
  const resamples = options.resamples ?? 1000;
  const boot: number[] = [];
  // A resample costs one pass over the units: a look at the clock after each.
  const slices = new SignalSlices(signal, 20, 1);
  for (let b = 0; b < resamples; b++) {
    await slices.tick();
    const sample = units.map(() => units[Math.floor(random.uniform() * units.length)] as number[]);
    const value = liftOf(sample);
    if (Number.isFinite(value)) boot.push(value);
  }
  boot.sort((x, y) => x - y);
  const q = (p: number) =>
    boot.length === 0 ? Number.NaN : (boot[Math.min(boot.length - 1, Math.floor(p * boot.length))] as number);
  const ci95: [number, number] = [q(0.025), q(0.975)];
  const attempts = held.length;
  const rpcs = held.filter((a) => a.rpc).length;
  const replayed = held.filter(inPicked);
  const worth = ci95[0] > 1;
  const verdict = `${optimistic ? "Optimistic — the model learned from these held-out days, so this overstates the lift: " : ""}${verdictOf(lift, ci95, worth, options.holdoutDays)}`;
  return {
    campaign: model.campaign,
    holdout: {
      from: new Date(holdoutFromMs).toISOString(),
      to: new Date(lastMs).toISOString(),
      days: options.holdoutDays,
    },
    attempts,
    rpcs,
    loggedRpcPer1000: attempts === 0 ? 0 : (1000 * rpcs) / attempts,
    strategyRpcPer1000:
      replayed.length === 0 ? 0 : (1000 * replayed.filter((a) => a.rpc).length) / replayed.length,
    replayedAttempts: replayed.length,
    lift,
    ci95,
    worthSwitchingOn: worth,
    optimistic,
    verdict,
    notes,
  };
}
