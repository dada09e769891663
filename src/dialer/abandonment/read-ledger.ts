import { calledUkNumberOf } from "../../consent/called-number.ts";
import type { Store } from "../../core/store/index.ts";
import type { OutcomesPort } from "../../platform/ports/outcomes.ts";
import { PACING_GUARD, PACING_STATE } from "../live-pacing/store-keys.ts";
import type { WindowBudget } from "../live-pacing/window-budget.ts";
import type { FalsePositiveEstimate } from "../pacing/amd-estimate.ts";
import { type AmdFigure, abandonmentLedger, type LedgerHour, planOf, type RegimeFigure } from "./ledger.ts";
import { isMachineVerdict } from "./machine-calls.ts";
import { REGIMES, type RegimeId, regimeOf } from "./regimes.ts";
import { type SamplingPlan, sampleIds } from "./sampling-plan.ts";

/**
 * `dialer.abandonment`: the ledger of one campaign from the live counters `cxo
 * serve` keeps in the store (its window's hours: live answers, abandons, machine verdicts) and
 * the outcome records of the last 30 days (the machine-classified calls: their count where the
 * counters have none, and the recordings to review).
 */
export interface AbandonmentReport {
  campaignId: string;
  at: string;
  /** The campaign's own pacing spec: the regime it is paced under and its target (null: not paced). */
  pacing: { window: string; target: number } | null;
  /** Where the counts came from: the seed pacer's window, the production guard's, or nowhere yet. */
  counters: "pacing.state" | "pacing.guard" | "none";
  regimes: RegimeFigure[];
  amd: AmdFigure & {
    plan: SamplingPlan;
    /** Which calls to review: a reproducible random sample of the machine-classified calls' ids. */
    sample: { seed: string; of: number; ids: string[] };
  };
}

/**
 * What the ledger needs of a campaign cxo created (the store's known campaign): its id, and its
 * pacing spec's regime, target and machine-detection estimate.
 */
export interface LedgerCampaign {
  id: string;
  pacing?:
    | {
        window: string;
        target: number;
        machines?: { falsePositive?: FalsePositiveEstimate | undefined } | undefined;
      }
    | null
    | undefined;
}

/** No sample lists more ids than this (a review of a thousand recordings is already weeks). */
const MAX_SAMPLE = 1000;
const HOUR_MS = 3_600_000;
const DAYS_30_MS = 30 * 24 * HOUR_MS;

export async function readAbandonmentLedger(
  known: LedgerCampaign,
  store: Pick<Store, "kv">,
  outcomes: OutcomesPort,
  checked: { atMs: number; window: RegimeId | undefined; under: number },
  signal?: AbortSignal,
): Promise<AbandonmentReport> {
  const { atMs } = checked;
  const paced = await store.kv.get<{ budget?: WindowBudget }>(PACING_STATE, known.id);
  const guarded = await store.kv.get<{ budget?: WindowBudget }>(PACING_GUARD, known.id);
  const budget = paced?.budget ?? guarded?.budget;
  const counters = paced?.budget ? "pacing.state" : guarded?.budget ? "pacing.guard" : "none";
  const machineIds: string[] = [];
  const machinesByHour = new Map<number, number>();
  const from = new Date(atMs - DAYS_30_MS).toISOString();
  const to = new Date(atMs).toISOString();
  const ukByHour = new Map<number, number>();
  for await (const call of outcomes.listCalls({ campaignId: known.id, from, to }, signal)) {
    // PECR as amended: every attempt to a UK number counts, answered or not (regimes.ts).
    if (calledUkNumberOf(call.phoneNumber) !== undefined) {
      const hour = Math.floor(Date.parse(call.startTime) / HOUR_MS);
      ukByHour.set(hour, (ukByHour.get(hour) ?? 0) + 1);
    }
    if (!isMachineVerdict(call)) continue;
    machineIds.push(call.id);
    const hour = Math.floor(Date.parse(call.startTime) / HOUR_MS);
    machinesByHour.set(hour, (machinesByHour.get(hour) ?? 0) + 1);
  }
  const hours = withAttempts(hoursOf(budget, machinesByHour), ukByHour);
  const estimate = known.pacing?.machines?.falsePositive;
  const ledger = abandonmentLedger({
    at: atMs,
    hours,
    estimate,
    regimes: checked.window ? [regimeOf(checked.window)!] : REGIMES,
  });
  const plan = planOf(estimate, checked.under);
  const seed = `cxo-amd-review:${known.id}`;
  const size = Math.min(MAX_SAMPLE, plan.reviewMore ?? 0);
  return {
    campaignId: known.id,
    at: ledger.at,
    pacing: known.pacing ? { window: known.pacing.window, target: known.pacing.target } : null,
    counters,
    regimes: ledger.regimes,
    amd: {
      ...ledger.amd,
      plan,
      sample: { seed, of: machineIds.length, ids: sampleIds(machineIds, size, seed) },
    },
  };
}

/**
 * The ledger's hours: the window's counts from the store; the machine verdicts from the
 * counters where the dialer gave them, else from the outcome records.
 */
function hoursOf(budget: WindowBudget | undefined, machinesByHour: Map<number, number>): LedgerHour[] {
  const rows = budget?.hours ?? [];
  const countedMachines = rows.some((row) => (row[3] ?? 0) > 0);
  const out = new Map<number, LedgerHour>();
  for (const row of rows)
    out.set(row[0], {
      hour: row[0],
      live: row[1],
      abandoned: row[2],
      machines: countedMachines ? (row[3] ?? 0) : (machinesByHour.get(row[0]) ?? 0),
    });
  if (!countedMachines)
    for (const [hour, machines] of machinesByHour)
      if (!out.has(hour)) out.set(hour, { hour, live: 0, abandoned: 0, machines });
  return [...out.values()].sort((a, b) => a.hour - b.hour);
}

/** The hours with their attempted connections to UK numbers (an hour with only attempts is added). */
function withAttempts(hours: LedgerHour[], ukByHour: Map<number, number>): LedgerHour[] {
  if (ukByHour.size === 0) return hours;
  const out = new Map(hours.map((h) => [h.hour, { ...h }]));
  for (const [hour, attempts] of ukByHour) {
    const row = out.get(hour) ?? { hour, live: 0, abandoned: 0, machines: 0 };
    row.attemptedUk = attempts;
    out.set(hour, row);
  }
  return [...out.values()].sort((a, b) => a.hour - b.hour);
}
