/**
 * Issue 80 §5, the floor cells judged so they can be judged: each cell whose target is within
 * noise of what progressive dialling alone costs (the detector's floor: progressive ends more
 * than 1% of its days over the target), cxo (its defaults) and progressive on the same seeds,
 * each seed a run of the scenario's days; met when cxo's share of days over the target is at most
 * progressive's plus one percentage point (`judgeFloorCell`). The Ofcom cells run cxo with the
 * operator's AMD estimate the scenario's truth implies (`operatorEstimate`). A part of
 * `npm run bench -- pacing`; its seeds are 1–N, N from CXO_BENCH_FLOOR_SEEDS (default
 * `DEFAULT_FLOOR_SEEDS`: the goal's 100 seeds cost about 10 minutes of CPU, on top of a suite held
 * near 5 minutes).
 */
import type { Scenario } from "../../src/dialer/pacing/scenario.ts";
import type { Job } from "../../src/dialer/simulator/pacing-bench/job.ts";
import { figuresOf } from "../../src/dialer/simulator/pacing-bench/metrics.ts";
import { runJobs } from "../../src/dialer/simulator/pacing-bench/pool.ts";
import { type DaysOver, daysOverTarget, type FloorJudgement, judgeFloorCell } from "../support/floor-rule.ts";
import { operatorEstimate, withOperatorEstimate } from "../support/operator-estimate.ts";
import type { BenchRow } from "../types.ts";

/**
 * The floor cells, fixed up front: the spend matrix's cells where progressive ends > 1% of its
 * days over the target (seeds 1–10, docs/benchmarks.md "The floor cells and Ofcom without an
 * estimate"): 1% on the small teams with a detector and on `ofcom-50`. Each row prints
 * progressive's share on its own seeds, so a cell that is not a floor cell there shows it.
 */
export const FLOOR_CELLS: readonly { name: string; target: number }[] = [
  { name: "decay-25", target: 0.01 },
  { name: "long-22-day", target: 0.01 },
  { name: "long-24", target: 0.01 },
  { name: "long-26-ofcom", target: 0.01 },
  { name: "team-10", target: 0.01 },
  { name: "ofcom-50", target: 0.01 },
];

/** The goal's seed count (issue 80 §5: judged on ≥ 100 seeds). */
export const GOAL_FLOOR_SEEDS = 100;
/** The bench's default: a fifth of the goal's seeds, so the suite's time stays near its own. */
export const DEFAULT_FLOOR_SEEDS = 20;

/** Seeds 1–N, N from CXO_BENCH_FLOOR_SEEDS (a whole number ≥ 1) or the default. */
export function floorSeedCount(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CXO_BENCH_FLOOR_SEEDS;
  if (raw === undefined || raw === "") return DEFAULT_FLOOR_SEEDS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`CXO_BENCH_FLOOR_SEEDS: a whole number of seeds ≥ 1 (got "${raw}")`);
  return n;
}

export interface FloorCellResult {
  name: string;
  agents: number;
  window: string;
  target: number;
  /** The estimate cxo was given (Ofcom cells), else null. */
  estimate: number | null;
  seeds: number;
  cxo: DaysOver & { connectsPerAgentHour: number; mean: number };
  progressive: DaysOver & { connectsPerAgentHour: number; mean: number };
  judgement: FloorJudgement;
}

const jobsOf = (scenario: Scenario, controller: string, seeds: number): Job[] =>
  Array.from({ length: seeds }, (_, i) => ({
    scenario,
    controller,
    tuning: {},
    seed: i + 1,
    firstDay: 0,
    days: scenario.days,
  }));

/** Runs every floor cell on seeds 1–`seeds` through the bench's worker pool. */
export async function judgeFloorCells(
  family: readonly { name: string; scenario: Scenario }[],
  seeds: number,
): Promise<FloorCellResult[]> {
  return Promise.all(
    FLOOR_CELLS.map(async ({ name, target }) => {
      const found = family.find((f) => f.name === name);
      if (!found) throw new Error(`floor cell ${name}: no such scenario in the bench's family`);
      const atTarget: Scenario = { ...found.scenario, limits: { ...found.scenario.limits, target } };
      const ofcom = atTarget.limits.window === "ofcom-24h";
      const cxoScenario = ofcom ? withOperatorEstimate(atTarget) : atTarget;
      const [cxoRuns, progressiveRuns] = await Promise.all([
        runJobs(jobsOf(cxoScenario, "cxo", seeds), { workers: 2 }),
        runJobs(jobsOf(atTarget, "progressive", seeds), { workers: 2 }),
      ]);
      const summary = (s: Scenario, runs: Parameters<typeof figuresOf>[1]) => {
        const f = figuresOf(s, runs);
        return {
          ...daysOverTarget(runs, target),
          connectsPerAgentHour: f.connectsPerAgentHour,
          mean: f.abandonment.mean,
        };
      };
      const cxo = summary(cxoScenario, cxoRuns);
      const progressive = summary(atTarget, progressiveRuns);
      return {
        name,
        agents: atTarget.agents,
        window: atTarget.limits.window,
        target,
        estimate: ofcom ? operatorEstimate(atTarget) : null,
        seeds,
        cxo,
        progressive,
        judgement: judgeFloorCell(cxo, progressive),
      };
    }),
  );
}

const pct = (x: number, digits = 2) => `${(x * 100).toFixed(digits)}%`;

/** One row per floor cell: cxo's share of days over against progressive's, "≤ progressive + 1 pp". */
export function floorCellRows(suite: string, cells: readonly FloorCellResult[]): BenchRow[] {
  return cells.map((c) => {
    const seeds = `seeds 1–${c.seeds} × ${c.cxo.days / c.seeds} days${c.seeds < GOAL_FLOOR_SEEDS ? ` (the goal's ${GOAL_FLOOR_SEEDS}: CXO_BENCH_FLOOR_SEEDS=${GOAL_FLOOR_SEEDS})` : ""}`;
    const estimate = c.estimate === null ? "" : `, cxo given the operator's AMD estimate ${pct(c.estimate)}`;
    const floor =
      c.judgement.progressiveShare > 0.01 ? "" : "; progressive ≤ 1% here: not a floor cell on these seeds";
    return {
      suite,
      metric: `floor cell ${c.name} (${c.agents} agents, ${c.window}) at ${pct(c.target, 0)}${estimate}: cxo's share of days over the target, ${seeds}: ${c.cxo.over}/${c.cxo.days} against progressive's ${c.progressive.over}/${c.progressive.days} (${c.judgement.excess >= 0 ? "+" : "−"}${Math.abs(c.judgement.excess * 100).toFixed(2)} pp); cxo ${c.cxo.connectsPerAgentHour.toFixed(2)} conn/agent-h at ${pct(c.cxo.mean)}, progressive ${c.progressive.connectsPerAgentHour.toFixed(2)} at ${pct(c.progressive.mean)}${floor}`,
      unit: "% of days",
      ours: c.judgement.cxoShare * 100,
      baseline: c.judgement.progressiveShare * 100,
      baselineLabel: "progressive, same seeds",
      target: "≤ progressive + 1 pp",
      met: c.judgement.met,
    };
  });
}
