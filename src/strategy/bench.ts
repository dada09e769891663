import { ComplianceEngine } from "../compliance/engine.ts";
import { tQuantile975 } from "../dialer/simulator/des/batch-means.ts";
import type { Model } from "./model-format.ts";
import { hourAgnostic, niceRests, oracle } from "./policies.ts";
import { type LearnedPolicy, learnedPlanned } from "./policy-learned.ts";
import { type Population, withList } from "./population.ts";
import { recheck } from "./recheck.ts";
import { type Policy, type SimResult, simulate } from "./simulate.ts";
import { buildWorld, type World } from "./world.ts";

/**
 * `cxo strategy bench` (issue 55 §4): the strategies side by side on a population file, at equal
 * capacity per hour and equal attempts per record, over seeded replications (each a fresh list
 * drawn from the population, every strategy on the same list and the same luck), with 95%
 * confidence intervals across replications; every attempt re-checked with the compliance engine.
 * Then the lift against the list column's accuracy (100/80/50/0%) and the goals of the issue.
 */

export const STRATEGIES = [
  "hour-agnostic",
  "rests-27-29-31",
  "learned-cold",
  "learned-history",
  "oracle",
] as const;
/** A contact strategy the bench compares. */
export type StrategyName = (typeof STRATEGIES)[number];
export const BASELINE: StrategyName = "hour-agnostic";
/** The learned strategy the goals judge: from the list's history when it has one. */
export const LEARNED: StrategyName = "learned-history";

export const STRATEGY_LABELS: Record<StrategyName, string> = {
  "hour-agnostic": "Hour-agnostic retry (skill's minimum retry minutes)",
  "rests-27-29-31": "NICE's 27/29/31-hour rests",
  "learned-cold": "Learned, starting cold",
  "learned-history": "Learned, from the list's history",
  oracle: "Oracle (knows each contact's true hours)",
};

export interface StrategyEstimate {
  mean: number;
  ci95: [number, number];
}

export interface StrategyFigures {
  name: StrategyName;
  label: string;
  attempts: number;
  rpcPer1000: StrategyEstimate;
  /** RPCs per 1,000 attempts over the hour-agnostic baseline's, paired per replication. */
  ratio: StrategyEstimate;
  reachedShare: StrategyEstimate;
  hoursToFirstRpc: number | null;
  violations: number;
  violationReasons: Record<string, number>;
}

export interface StrategyCurvePoint {
  accuracy: number;
  learned: StrategyEstimate;
  oracle: StrategyEstimate;
}

export interface StrategyGoal {
  name: string;
  target: string;
  value: number;
  met: boolean;
}

export interface HeatCell {
  estimate: number;
  interval90: [number, number];
  tried: boolean;
}

export interface StrategyBenchReport {
  population: string;
  replications: number;
  seed: number;
  listSize: number;
  horizonDays: number;
  attemptsPerRecord: number;
  capacityPerHour: number;
  accuracy: number;
  historyShare: number;
  strategies: StrategyFigures[];
  curve: StrategyCurvePoint[];
  goals: StrategyGoal[];
  /** The learned model at the end of replication 1: segment (list value) → 168 cells. */
  heat: Array<{ segment: string; cells: HeatCell[] }>;
  /** The learned strategy's attempts per hour of the first week (at most) of replication 1, and the capacity. */
  perHour: { startMs: number; attempts: number[]; capacity: number };
  /** Contact-hours of the horizon each compliance rule ruled out (replication 1). */
  ruledOut: Record<string, number>;
  wallSeconds: number;
}

export interface StrategyBenchOptions {
  population: Population;
  name?: string;
  replications?: number;
  seed?: number;
  /** Replications of each accuracy-curve point (default: min(replications, 4)); 0 = no curve. */
  curveReplications?: number;
  /** The engine judging the worlds, plans and re-checks (default: one of the run's own). */
  engine?: ComplianceEngine | undefined;
  /** Re-check every attempt with the compliance engine (default true). */
  recheck?: boolean;
  onProgress?: (note: string) => void;
}

function policyOf(name: StrategyName, seed: number): Policy {
  switch (name) {
    case "hour-agnostic":
      return hourAgnostic();
    case "rests-27-29-31":
      return niceRests();
    case "oracle":
      return oracle();
    case "learned-cold":
      return learnedPlanned({ fromHistory: false, seed });
    case "learned-history":
      return learnedPlanned({ fromHistory: true, seed });
  }
}

/** Mean and Student-t 95% interval across replications; the figures are never negative, nor is the interval. */
export function estimate(values: readonly number[]): StrategyEstimate {
  const n = values.length;
  const mean = values.reduce((a, x) => a + x, 0) / n;
  if (n < 2) return { mean, ci95: [mean, mean] };
  const sd = Math.sqrt(values.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const half = (tQuantile975(n - 1) * sd) / Math.sqrt(n);
  return { mean, ci95: [Math.max(0, mean - half), mean + half] };
}

const per1000 = (r: SimResult) => (r.attempts === 0 ? 0 : (1000 * r.rpcs) / r.attempts);

interface Replication {
  world: World;
  results: Map<StrategyName, SimResult>;
  policies: Map<StrategyName, Policy>;
}

async function replicate(
  engine: ComplianceEngine,
  population: Population,
  seed: number,
  names: readonly StrategyName[],
): Promise<Replication> {
  const world = buildWorld(population, seed, engine);
  const results = new Map<StrategyName, SimResult>();
  const policies = new Map<StrategyName, Policy>();
  for (const name of names) {
    const policy = policyOf(name, seed * 31 + 5);
    policies.set(name, policy);
    results.set(name, await simulate(world, policy));
  }
  return { world, results, policies };
}

function ratioEstimate(reps: readonly Replication[], name: StrategyName): StrategyEstimate {
  return estimate(
    reps.map(
      (r) => per1000(r.results.get(name) as SimResult) / per1000(r.results.get(BASELINE) as SimResult),
    ),
  );
}

/** Contact-hours of the horizon each rule refused (the engine's rule ids). */
function ruledOutCounts(world: World): Record<string, number> {
  const counts: Record<string, number> = {};
  const perArea = new Map<number, number>();
  for (let c = 0; c < world.size; c++)
    perArea.set(world.area[c] as number, (perArea.get(world.area[c] as number) ?? 0) + 1);
  for (const [area, contacts] of perArea) {
    const table = world.areaRuledOut[area] as string[][];
    for (let h = 0; h < world.horizonHours; h++)
      for (const rule of table[world.offset + h] as string[]) counts[rule] = (counts[rule] ?? 0) + contacts;
  }
  return counts;
}

/** The learned model's estimates per list segment (the column's value), from the product's model file. */
function heatOf(population: Population, model: Model | undefined): StrategyBenchReport["heat"] {
  const column = `column:${population.spec.list.observable.column}`;
  return population.segments.map((segment) => {
    const learned = model?.segments.find((s) => s.values[column] === segment.value);
    const slots = learned?.slots ?? model?.priors.campaign ?? [];
    return {
      segment: segment.value,
      cells: slots.map((cell) => ({
        estimate: cell.estimate,
        interval90: [cell.interval90[0], cell.interval90[1]] as [number, number],
        tried: cell.tried,
      })),
    };
  });
}

/** The goals, each with its target, the value measured and whether it is met. */
function goalsOf(
  strategies: readonly StrategyFigures[],
  noSignal: StrategyEstimate | undefined,
  doRecheck: boolean,
): StrategyGoal[] {
  const figure = (name: StrategyName) => strategies.find((s) => s.name === name) as StrategyFigures;
  const learned = figure(LEARNED);
  const rests = figure("rests-27-29-31");
  const oracleFigures = figure("oracle");
  const overRests = learned.rpcPer1000.mean / rests.rpcPer1000.mean;
  const shareOfOracle = (learned.ratio.mean - 1) / (oracleFigures.ratio.mean - 1);
  const goals: StrategyGoal[] = [
    {
      name: "RPCs per 1,000 attempts over hour-agnostic",
      target: "≥ 1.15×",
      value: learned.ratio.mean,
      met: learned.ratio.mean >= 1.15,
    },
    {
      name: "95% interval of the lift excludes zero (lower bound of the ratio)",
      target: "> 1",
      value: learned.ratio.ci95[0],
      met: learned.ratio.ci95[0] > 1,
    },
    {
      name: "RPCs per 1,000 attempts over 27/29/31-hour rests",
      target: "≥ 1.05×",
      value: overRests,
      met: overRests >= 1.05,
    },
    { name: "share of the oracle's lift", target: "≥ 50%", value: shareOfOracle, met: shareOfOracle >= 0.5 },
    {
      name: doRecheck
        ? "compliance violations (every strategy, every attempt re-checked)"
        : "compliance violations (not re-checked in this run)",
      target: "0",
      value: doRecheck ? strategies.reduce((a, s) => a + s.violations, 0) : Number.NaN,
      met: doRecheck && strategies.every((s) => s.violations === 0),
    },
  ];
  if (noSignal)
    goals.push({
      name: "no signal in the list (accuracy 0%): RPCs per 1,000 attempts over hour-agnostic",
      target: "≥ 0.98×",
      value: noSignal.mean,
      met: noSignal.mean >= 0.98,
    });

  return goals;
}

export async function runStrategyBench(options: StrategyBenchOptions): Promise<StrategyBenchReport> {
  const started = performance.now();
  const { population } = options;
  const spec = population.spec;
  const replications = options.replications ?? 10;
  const seed = options.seed ?? 1;
  const doRecheck = options.recheck ?? true;
  const engine = options.engine ?? new ComplianceEngine();
  const progress = options.onProgress ?? (() => {});
  const reps: Replication[] = [];
  for (let r = 0; r < replications; r++) {
    progress(`replication ${r + 1}/${replications}`);
    reps.push(await replicate(engine, population, seed + r, STRATEGIES));
  }
  const checks = new Map<StrategyName, { violations: number; byReason: Record<string, number> }>();
  for (const name of STRATEGIES) {
    const total = { violations: 0, byReason: {} as Record<string, number> };
    if (doRecheck)
      for (const rep of reps) {
        const check = recheck(rep.world, rep.results.get(name) as SimResult);
        total.violations += check.violations;
        for (const [code, n] of Object.entries(check.byReason))
          total.byReason[code] = (total.byReason[code] ?? 0) + n;
      }
    checks.set(name, total);
  }
  const strategies: StrategyFigures[] = STRATEGIES.map((name) => {
    const results = reps.map((r) => r.results.get(name) as SimResult);
    const reachedTimes = results.map((r) => r.meanHoursToFirstRpc).filter((x): x is number => x !== null);
    return {
      name,
      label: STRATEGY_LABELS[name],
      attempts: results.reduce((a, r) => a + r.attempts, 0) / results.length,
      rpcPer1000: estimate(results.map(per1000)),
      ratio: ratioEstimate(reps, name),
      reachedShare: estimate(results.map((r) => r.reached / spec.list.size)),
      hoursToFirstRpc:
        reachedTimes.length === 0 ? null : reachedTimes.reduce((a, x) => a + x, 0) / reachedTimes.length,
      violations: checks.get(name)?.violations ?? 0,
      violationReasons: checks.get(name)?.byReason ?? {},
    };
  });

  const curveReps = options.curveReplications ?? Math.min(replications, 4);
  const curve: StrategyCurvePoint[] = [];
  let noSignal: StrategyEstimate | undefined;
  if (curveReps > 0)
    for (const accuracy of [1, 0.8, 0.5, 0]) {
      progress(`accuracy ${accuracy * 100}%`);
      const variant = withList(population, { accuracy });
      const vreps: Replication[] = [];
      for (let r = 0; r < curveReps; r++)
        vreps.push(await replicate(engine, variant, seed + 1000 + r, [BASELINE, LEARNED, "oracle"]));
      const point = {
        accuracy,
        learned: ratioEstimate(vreps, LEARNED),
        oracle: ratioEstimate(vreps, "oracle"),
      };
      curve.push(point);
      if (accuracy === 0) noSignal = point.learned;
    }

  const goals = goalsOf(strategies, noSignal, doRecheck);

  const first = reps[0] as Replication;
  const learnedPolicy = first.policies.get(LEARNED) as LearnedPolicy;
  const learnedRun = first.results.get(LEARNED) as SimResult;
  return {
    population: options.name ?? spec.name ?? "population",
    replications,
    seed,
    listSize: spec.list.size,
    horizonDays: spec.horizonDays,
    attemptsPerRecord: spec.attemptsPerRecord,
    capacityPerHour: spec.capacityPerHour,
    accuracy: spec.list.observable.accuracy,
    historyShare: spec.list.history.share,
    strategies,
    curve,
    goals,
    heat: heatOf(population, learnedPolicy.model()),
    perHour: {
      startMs: first.world.startMs,
      attempts: Array.from(learnedRun.perHour.slice(0, 7 * 24)),
      capacity: spec.capacityPerHour,
    },
    ruledOut: ruledOutCounts(first.world),
    wallSeconds: (performance.now() - started) / 1000,
  };
}
