import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { jsonOf } from "../src/cli/commands/dialer-pacing.ts";
import { createController } from "../src/dialer/pacing/registry.ts";
import type { Scenario } from "../src/dialer/pacing/scenario.ts";
import { simulateDays } from "../src/dialer/simulator/day/engine.ts";
import {
  type BenchReport,
  type ControllerReport,
  runBench,
} from "../src/dialer/simulator/pacing-bench/bench.ts";
import { BENCH_CONTROLLERS } from "../src/dialer/simulator/pacing-bench/controllers.ts";
import {
  poolCpuSeconds,
  poolIdleSpells,
  poolRepeats,
  poolResultHashes,
  poolShared,
  poolUsage,
} from "../src/dialer/simulator/pacing-bench/pool.ts";
import { benchHtml } from "../src/dialer/simulator/pacing-bench/report-html.ts";
import {
  type FloorCellResult,
  floorCellRows,
  floorSeedCount,
  GOAL_FLOOR_SEEDS,
  judgeFloorCells,
} from "./pacing-seeds/floor-judgement.ts";
import { ledgerCoverage, planCalibration } from "./support/ledger-calibration.ts";
import { pacingScenarios } from "./support/pacing-scenarios.ts";
import { liveOnTwin, occupancyBetween, offlineOnTwin } from "./support/twin-check.ts";
import type { BenchRow } from "./types.ts";

/**
 * The pacing benchmark (issue 41): examples/pacing-scenario.yaml (50 agents, 30 days) × 10
 * replications = 300 reported days per controller, every controller on the same random numbers,
 * the baselines tuned on 60 other days over their whole grids (`MAIN_TUNE_DAYS`) and selected on
 * the legal window alone; every comparison at matched realised abandonment (cxo's frontier); every
 * bench controller but VICIdial's "average" mode (`MAIN_CONTROLLERS`). Then the family:
 * the example's robustness variants and the scenarios in examples/pacing/ (10–120 agents),
 * `cxo` untuned against progressive and VICIdial's hard-limit and tapered modes tuned on each (the
 * maximum level over the whole range, 30 tuning days, 2 replications, a 7-point frontier: the
 * suite must stay near 5 minutes).
 * Writes bench/out/pacing.json and bench/out/pacing.html. Also the day engine's events/s.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const SUITE = "pacing";
/** Today's engine before issue 41 (measured 2026-11-25 05:07 UTC, load 10.5; CPU, one thread). */
const EVENTS_PER_SECOND_BEFORE = { progressive: 2.2e6, cxo: 0.98e6 };
const VICIDIAL = ["vicidial-hard-limit", "vicidial-average", "vicidial-tapered"];
/** The family runs two modes: "average" tracked "hard-limit" to the digit on every scenario run. */
const FAMILY_VICIDIAL = ["vicidial-hard-limit", "vicidial-tapered"];
/**
 * The main run's controllers: all the bench's but VICIdial's "average" mode, which tracked
 * "hard-limit" to the digit here too (the same tuning, 14.197 connects per agent-hour at 2.032%,
 * 2026-11-26) while its tuning runs, which part from hard-limit's at other grid points, cost 28 s
 * of CPU: two rows of one figure. `cxo dialer pacing bench` still runs all three by default.
 */
const MAIN_CONTROLLERS = BENCH_CONTROLLERS.filter((c) => c !== "vicidial-average");
/**
 * The main run's baselines are tuned on 60 days (the CLI's default is 90). On this 2-core machine
 * class the whole suite took 321 s at 90 (2026-11-26, 631 s of CPU; 156 s on the session's
 * before, a machine twice as fast), against its ≤ 300 s; at 60 every baseline's reported figures
 * are those at 90 to three digits (VICIdial hard-limit and Webitel picked another point along a
 * flat direction of their grids: 14.197 → 14.197 and 14.635 → 14.635 connects per agent-hour),
 * the headline's tapered mode the same to the digit (docs/benchmarks.md, "The bench's time on a
 * slower machine").
 */
const MAIN_TUNE_DAYS = 60;

/** Events per CPU second of the day engine on one thread (10 days of the scenario). */
function engineSpeed(scenario: Scenario, controller: string): number {
  const run = (days: number, seed: number) =>
    simulateDays(scenario, createController(controller, { limits: scenario.limits }), { seed, days });
  run(2, 99); // warm the JIT
  // The best of three: other work on the machine only ever slows a run down.
  let best = 0;
  for (let i = 0; i < 3; i++) {
    // This thread's CPU (the process's would count the worker threads too).
    const cpu = process.threadCpuUsage();
    const r = run(10, 1);
    const used = process.threadCpuUsage(cpu);
    best = Math.max(best, r.events / ((used.user + used.system) / 1e6));
  }
  return best;
}

/**
 * Issue 41 §4: the live loop (a read a minute, steps of 0.25) on the emulator's dialer twin, from a
 * campaign never paced before, against the offline controller on the twin's own scenario at the
 * same target (3%): occupancy of minutes 20–30, mean of four seeds, against a day offline.
 */
export function twinRows(): BenchRow[] {
  const seeds = [1, 2, 3, 4];
  const offline = seeds.map((seed) => offlineOnTwin({ seed }));
  const runs = seeds.map((seed) => liveOnTwin({ seed, minutes: 30 }));
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
  const offlineOccupancy = mean(offline.map((o) => o.occupancy));
  const live = mean(runs.map((r) => occupancyBetween(r, 20, 30)));
  const liveAbandonment = mean(runs.map((r) => r.abandons / r.liveAnswers));
  return [
    {
      suite: SUITE,
      metric: `live loop on the dialer twin, occupancy of minutes 20–30 (4 seeds; abandonment ${(liveAbandonment * 100).toFixed(2)}%) vs offline cxo on the twin's scenario (a day, abandonment ${(mean(offline.map((o) => o.abandonment)) * 100).toFixed(2)}%)`,
      unit: "%",
      ours: live * 100,
      baseline: offlineOccupancy * 100,
      baselineLabel: "offline cxo",
      target: "≥ offline − 5",
      met: live >= offlineOccupancy - 0.05,
    },
  ];
}

/**
 * Issue 67's calibration rows, on this thread while the pool runs: (1) the ledger's 95% interval
 * against the simulator's true abandonment of each day (every abandoned person, those hung up on
 * as machines included) on the Ofcom scenarios with people hung up on (`ofcom-50`, 0.3%;
 * `long-26-ofcom` given 0.5%), cxo, 2 seeds × 30 days each, a simulated operator's review of 300
 * machine-classified calls per run; (2) the sampling plan's "under 1%" on 2,100 simulated
 * operators (true shares 0.25–1.5 × 1%, an initial review of 100, then the plan).
 */
export function ledgerRows(family: readonly { name: string; scenario: Scenario }[]): BenchRow[] {
  const pick = (name: string) => family.find((f) => f.name === name)?.scenario;
  const ofcom50 = pick("ofcom-50");
  const long26 = pick("long-26-ofcom");
  const scenarios = [ofcom50, long26 ? { ...long26, liveHungUp: 0.005 } : undefined].filter(
    (s): s is Scenario => s !== undefined,
  );
  const runs = scenarios.flatMap((scenario) =>
    [1, 2].map((seed) => ({
      scenario,
      result: simulateDays(scenario, createController("cxo", { limits: scenario.limits }), {
        seed,
        days: scenario.days,
        ledgerCounts: true,
      }),
    })),
  );
  const coverage = ledgerCoverage(runs, { reviewed: 300, seed: 67 });
  const plan = planCalibration({
    under: 0.01,
    multiples: [0.25, 0.5, 0.75, 0.9, 1, 1.1, 1.5],
    perShare: 300,
    initial: 100,
    seed: 67,
  });
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  return [
    {
      suite: SUITE,
      metric: `abandonment ledger: its 95% interval (Ofcom's figure, the operator's estimate from a review of 300 calls) covers the simulator's true abandonment of the day (${coverage.days} days of ofcom-50 and long-26-ofcom with people hung up on as machines, ${pct(coverage.trueShare)} of machine verdicts; mean true ${pct(coverage.meanTrue)}, mean width ${(coverage.meanWidth * 100).toFixed(2)} points; covers the runs' long-run rate on ${(coverage.coverageOfMean * 100).toFixed(1)}%)`,
      unit: "% of days",
      ours: coverage.coverage * 100,
      target: "≥ 93",
      met: coverage.coverage >= 0.93,
    },
    {
      suite: SUITE,
      metric: `abandonment ledger: the sampling plan's "under 1%" wrong (claimed with a true share ≥ 1%) among ${plan.atOrOver} of ${plan.operators} simulated operators (an initial review of 100, then the plan, ${plan.meanReviewMore.toFixed(0)} more on average; ${pct(plan.wrong)} of all operators; ${(plan.shownAmongUnder * 100).toFixed(1)}% of those truly under shown under)`,
      unit: "%",
      ours: plan.wrongAmongAtOrOver * 100,
      target: "≤ 5",
      met: plan.wrongAmongAtOrOver <= 0.05,
    },
  ];
}

/** "1.12× its floor 4.9%": a controller's worst 30 minutes against chance (issue 53 §2). */
function floorText(c: ControllerReport): string {
  const floor = c.noiseFloor;
  if (!floor || floor.multiple === null) return "no floor";
  return `${floor.multiple.toFixed(2)}× its noise floor ${(floor.worst30Min * 100).toFixed(1)}%`;
}

/** The best VICIdial mode that kept the legal window on the reported days (else null). */
function bestVicidial(report: BenchReport): ControllerReport | null {
  const legal = report.controllers.filter((c) => VICIDIAL.includes(c.name) && c.rules?.legalWindow);
  return [...legal].sort((a, b) => b.connectsPerAgentHour - a.connectsPerAgentHour)[0] ?? null;
}

export interface FamilyResult {
  name: string;
  agents: number;
  window: string;
  target: number;
  cxo: ControllerReport;
  progressive: ControllerReport;
  vicidial: ControllerReport | null;
  /** cxo ÷ the best legal VICIdial mode at its realised abandonment (or ÷ progressive when none is legal). */
  matchedRatio: number | null;
  against: string;
  /** cxo ÷ progressive, connects per agent-hour (the 10-agent target). */
  progressiveRatio: number;
  targets: {
    legal: boolean;
    daysOver: boolean;
    /** Worst 30 minutes ≤ 8% (from 40 agents up; null below). */
    worst30: boolean | null;
    /** Worst 30 minutes ≤ 1.25× its noise floor (from 10 agents up; null below). */
    worst30Floor: boolean | null;
    gain: boolean;
    gainRule: string;
  };
}

export function familyResult(name: string, scenario: Scenario, report: BenchReport): FamilyResult {
  const by = (n: string) => report.controllers.find((c) => c.name === n) as ControllerReport;
  const cxo = by("cxo");
  const progressive = by("progressive");
  const vicidial = bestVicidial(report);
  const baseline = vicidial ?? progressive;
  const progressiveRatio = cxo.connectsPerAgentHour / progressive.connectsPerAgentHour;
  // Where no VICIdial mode stays legal the issue compares with progressive, connects for connects.
  const matchedRatio = vicidial ? (vicidial.matched?.ratio ?? null) : progressiveRatio;
  // Below 20 agents the gain is judged against progressive; from 20 up (the small long-call
  // teams of issue 53 §1 included) against the best legal VICIdial mode at matched abandonment.
  const small = scenario.agents < 20;
  let gain: boolean;
  let gainRule: string;
  if (small) {
    gain = progressiveRatio >= 1.15;
    gainRule = "≥ 1.15× progressive";
  } else if (baseline.occupancy > 0.85) {
    // The ceiling leaves less room than 10%: ≥ 95% occupancy at matched abandonment instead.
    gain = cxo.occupancy >= 0.95 || (matchedRatio ?? 0) >= 1.1;
    gainRule = "≥ 95% occupancy (baseline above 85%)";
  } else {
    gain = (matchedRatio ?? 0) >= 1.1;
    gainRule = vicidial
      ? `≥ 1.10× ${baseline.name} at matched abandonment`
      : "≥ 1.10× progressive (no VICIdial mode kept the legal window)";
  }
  return {
    name,
    agents: scenario.agents,
    window: scenario.limits.window,
    target: scenario.limits.target,
    cxo,
    progressive,
    vicidial,
    matchedRatio,
    against: baseline.name,
    progressiveRatio,
    targets: {
      legal: cxo.rules?.legalWindow ?? false,
      daysOver: cxo.rules?.daysOver ?? false,
      worst30: scenario.agents < 40 ? null : (cxo.rules?.worst30Min ?? false),
      worst30Floor:
        scenario.agents < 10 ? null : (cxo.noiseFloor?.multiple ?? Number.POSITIVE_INFINITY) <= 1.25,
      gain,
      gainRule,
    },
  };
}

/**
 * Issue 80 §5's spend row at 1%, judged in connects per agent-hour: cxo's best point with
 * realised abandonment ≤ 1% (its frontier: the 1% target realises less) against the best tuned
 * VICIdial mode's best tuning that realised ≤ 1% (`front`), the same budget for both.
 */
export function spendRowAt1(report: BenchReport): BenchRow {
  const at1 = (controller: string) =>
    report.front.find((f) => f.controller === controller && Math.abs(f.target - 0.01) < 1e-9)
      ?.connectsPerAgentHour ?? null;
  const vicidial = VICIDIAL.map((name) => ({ name, connects: at1(name) }))
    .filter((v): v is { name: string; connects: number } => v.connects !== null)
    .sort((a, b) => b.connects - a.connects)[0];
  const point = report.frontier.find((p) => Math.abs(p.target - 0.01) < 1e-9);
  const ours = at1("cxo") ?? Number.NaN;
  const base = vicidial?.connects ?? at1("progressive") ?? Number.NaN;
  return {
    suite: SUITE,
    metric: `cxo spends a 1% budget: connects per agent-hour with realised abandonment ≤ 1% (cxo's frontier; its 1% target realises ${point ? `${(point.abandonment * 100).toFixed(2)}%` : "—"}) against the best tuned VICIdial mode's best tuning ≤ 1% (its tuning days): ${(ours / base).toFixed(3)}×`,
    unit: "connects/agent-h",
    ours,
    baseline: base,
    baselineLabel: vicidial ? `${vicidial.name} ≤ 1%` : "progressive (no VICIdial tuning ≤ 1%)",
    target: "≥ 1.10× baseline",
    met: ours >= 1.1 * base,
  };
}

/**
 * Issue 80 §5's first goal, restated so it can be judged: every floor cell's days over at most
 * progressive's + 1 pp (on ≥ 100 seeds), while the example family's matched ratio against tuned
 * VICIdial stays ≥ 1.10 (the headline and every family scenario from 20 agents judged so).
 */
export function floorGoalRows(
  headline: number | null,
  families: readonly FamilyResult[],
  cells: readonly FloorCellResult[],
): BenchRow[] {
  const matched = [
    { name: "example (headline)", ratio: headline },
    ...families
      .filter((f) => f.agents >= 20 && f.vicidial !== null)
      .map((f) => ({ name: f.name, ratio: f.matchedRatio })),
  ];
  const worst = [...matched].sort((a, b) => (a.ratio ?? 0) - (b.ratio ?? 0))[0];
  const matchedMet = matched.every((m) => (m.ratio ?? 0) >= 1.1);
  const seeds = cells[0]?.seeds ?? 0;
  const floorMet = cells.filter((c) => c.judgement.met).length;
  return [
    {
      suite: SUITE,
      metric: `the example family's matched ratio against tuned VICIdial, the lowest of ${matched.length} (the headline and the family from 20 agents with a legal VICIdial mode): ${worst?.name ?? "—"}`,
      unit: "×",
      ours: worst?.ratio ?? Number.NaN,
      target: "≥ 1.10",
      met: matchedMet,
    },
    {
      suite: SUITE,
      metric: `GOAL issue 80 §5 (floor cells): ${floorMet} of ${cells.length} floor cells at most progressive's share of days over + 1 pp (seeds 1–${seeds}${seeds < GOAL_FLOOR_SEEDS ? `; judged on the goal's ${GOAL_FLOOR_SEEDS} with CXO_BENCH_FLOOR_SEEDS=${GOAL_FLOOR_SEEDS}` : ""}), and the family's matched ratio ≥ 1.10 ${matchedMet ? "kept" : "NOT kept"}`,
      unit: "cells",
      ours: floorMet,
      baseline: cells.length,
      baselineLabel: "floor cells",
      target: `all, on ≥ ${GOAL_FLOOR_SEEDS} seeds, and matched ≥ 1.10`,
      met: floorMet === cells.length && matchedMet && seeds >= GOAL_FLOOR_SEEDS,
    },
  ];
}

export default async function pacingBench(): Promise<BenchRow[]> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const { example: scenario, family } = pacingScenarios();
  const log = (phase: string, done: number, total: number) => {
    if (done === total)
      process.stderr.write(
        `  ${phase}: ${total} jobs (at ${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
      );
  };

  // The engine's speed first, on an idle machine's worth of this process (measured beside the
  // workers at load 3–14 it read 3.0 M events/s for progressive, against 7.7 M alone at load 2–3).
  const speed = { progressive: engineSpeed(scenario, "progressive"), cxo: engineSpeed(scenario, "cxo") };
  // Everything at once: the runs share the worker pool and keep both cores busy. The main run
  // first (its jobs ahead of all others'), then the family's largest scenarios: the smallest
  // ones' short jobs fill the end, so no core waits on one long last chain.
  const sizeOf = (s: Scenario) => s.agents * s.days * (s.endSecond - s.startSecond);
  const largest = Math.max(...family.map((f) => sizeOf(f.scenario)));
  const benches = Promise.all([
    // The main run's stages follow one another: its jobs go first, the family's fill the gaps.
    runBench({
      scenario,
      controllers: MAIN_CONTROLLERS,
      replications: 10,
      seed: 1,
      workers: 2,
      tuneDays: MAIN_TUNE_DAYS,
      priority: 1,
      onProgress: log,
    }),
    ...family.map((f) =>
      runBench({
        scenario: f.scenario,
        controllers: ["cxo", "progressive", ...FAMILY_VICIDIAL],
        replications: 2,
        matchedReplications: 2,
        seed: 1,
        workers: 2,
        tuneDays: 30,
        quick: true,
        frontierTargets: [0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.035],
        adaptiveFrontier: true,
        priority: (0.4 * sizeOf(f.scenario)) / largest,
        onProgress: (phase: string, done: number, total: number) => log(`${f.name}: ${phase}`, done, total),
      }),
    ),
  ]);
  // The live loop's rows on this thread meanwhile.
  const twinStarted = performance.now();
  const twin = twinRows();
  const twinSeconds = (performance.now() - twinStarted) / 1000;
  const ledgerStarted = performance.now();
  const ledgerCpuStarted = process.threadCpuUsage();
  const ledger = ledgerRows(family);
  const ledgerCpu = process.threadCpuUsage(ledgerCpuStarted);
  process.stderr.write(
    `  ledger calibration rows: ${((performance.now() - ledgerStarted) / 1000).toFixed(1)} s wall, ${((ledgerCpu.user + ledgerCpu.system) / 1e6).toFixed(1)} s CPU of the main thread\n`,
  );
  const [main, ...familyReports] = await benches;
  const wall = (performance.now() - started) / 1000;
  const cpuUsed = process.cpuUsage(cpuStarted);
  const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
  // Issue 80 §5's floor cells after the rest, timed apart: at the goal's 100 seeds they are about
  // 10 minutes of CPU on their own, which the suite's ≤ 300 s does not cover.
  const floorStarted = performance.now();
  const floorCpuStarted = process.cpuUsage();
  const floorCells = await judgeFloorCells(family, floorSeedCount());
  const floorWall = (performance.now() - floorStarted) / 1000;
  const floorCpuUsed = process.cpuUsage(floorCpuStarted);
  const floorCpu = (floorCpuUsed.user + floorCpuUsed.system) / 1e6;
  // Where the CPU went (the pool's threads; the main thread's own work is the rest).
  const spent = [...poolCpuSeconds()].sort((a, b) => b[1] - a[1]);
  const byScenario = new Map<string, number>();
  for (const [key, seconds] of spent) {
    const name = key.split(" · ")[0] as string;
    byScenario.set(name, (byScenario.get(name) ?? 0) + seconds);
  }
  process.stderr.write(
    `  CPU by scenario (threads): ${[...byScenario]
      .sort((a, b) => b[1] - a[1])
      .map(([n, s]) => `${n} ${s.toFixed(0)} s`)
      .join(", ")}\n` +
      `  CPU by scenario · controller, top 15: ${spent
        .slice(0, 15)
        .map(([k, s]) => `${k} ${s.toFixed(0)} s`)
        .join(", ")}\n`,
  );
  const pool = poolUsage();
  const spells = [...poolIdleSpells()].sort((a, b) => b[1] - b[0] - (a[1] - a[0]));
  const idle = spells.reduce((a, [from, to]) => a + (to - from), 0) / 1000;
  process.stderr.write(
    `  pool: ${pool.jobs} jobs on ${pool.threads} threads over ${pool.spanSeconds.toFixed(0)} s, ` +
      `${pool.busyThreadSeconds.toFixed(0)} thread-s busy (${((100 * pool.busyThreadSeconds) / Math.max(1e-9, pool.threads * pool.spanSeconds)).toFixed(1)}%), ` +
      `${idle.toFixed(0)} thread-s idle between jobs; ${poolShared().jobs} jobs (${poolShared().days} days) not run, another VICIdial mode's run being theirs; the twin rows took ${twinSeconds.toFixed(1)} s of the main thread; ` +
      `longest idle spells: ${spells
        .slice(0, 6)
        .map(
          ([from, to]) => `${((to - from) / 1000).toFixed(1)} s at ${((from - started) / 1000).toFixed(0)} s`,
        )
        .join(", ")}\n`,
  );
  if (process.env.CXO_BENCH_HASHES === "1") {
    mkdirSync(path.join(here, "out"), { recursive: true });
    writeFileSync(
      path.join(here, "out", "pacing-job-hashes.txt"),
      [...poolResultHashes()]
        .map(([job, result]) => `${job} ${result}\n`)
        .sort()
        .join(""),
    );
  }
  if (process.env.CXO_BENCH_REPEATS === "1") {
    const r = poolRepeats();
    process.stderr.write(`  repeated jobs: ${r.repeats} (${r.repeatedDays} days)\n`);
  }
  const families = family.map((f, i) => familyResult(f.name, f.scenario, familyReports[i] as BenchReport));

  const cxo = main.controllers.find((c) => c.name === "cxo");
  if (!cxo) throw new Error("cxo missing from the bench");
  const bestVici = bestVicidial(main);
  const target = scenario.limits.target;

  mkdirSync(path.join(here, "out"), { recursive: true });
  writeFileSync(
    path.join(here, "out", "pacing.json"),
    `${JSON.stringify(
      {
        ...jsonOf(main),
        family: families.map((f) => ({
          name: f.name,
          agents: f.agents,
          window: f.window,
          matchedRatio: f.matchedRatio,
          against: f.against,
          progressiveRatio: f.progressiveRatio,
          targets: f.targets,
          cxo: {
            connectsPerAgentHour: f.cxo.connectsPerAgentHour,
            occupancy: f.cxo.occupancy,
            abandonment: f.cxo.abandonment,
            noiseFloor: f.cxo.noiseFloor ?? null,
          },
          progressive: {
            connectsPerAgentHour: f.progressive.connectsPerAgentHour,
            occupancy: f.progressive.occupancy,
            abandonment: f.progressive.abandonment,
          },
          vicidial: f.vicidial
            ? {
                name: f.vicidial.name,
                tuning: f.vicidial.tuning,
                connectsPerAgentHour: f.vicidial.connectsPerAgentHour,
                occupancy: f.vicidial.occupancy,
                abandonment: f.vicidial.abandonment,
                matched: f.vicidial.matched,
              }
            : null,
        })),
        engineEventsPerCpuSecond: { now: speed, before: EVENTS_PER_SECOND_BEFORE },
        suiteWallSeconds: wall,
        suiteCpuSeconds: cpu,
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(path.join(here, "out", "pacing.html"), benchHtml(main));

  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const rows: BenchRow[] = [...twin, ...ledger];
  for (const c of main.controllers)
    rows.push({
      suite: SUITE,
      metric: `${c.name} connects/agent-hour (occupancy ${(c.occupancy * 100).toFixed(1)}%, abandonment ${pct(c.abandonment.mean)}, worst window ${pct(c.abandonment.worstWindow)}, worst 30 min ${(c.abandonment.worst30Min * 100).toFixed(1)}% = ${floorText(c)}${c.matched?.ratio ? `; cxo ${c.matched.ratio.toFixed(3)}× at its abandonment` : ""})`,
      unit: "connects/agent-h",
      ours: c.connectsPerAgentHour,
    });
  rows.push({
    suite: SUITE,
    metric: `HEADLINE cxo vs best tuned VICIdial (legal window kept) at matched abandonment ${bestVici?.matched ? pct(bestVici.matched.abandonment) : ""}`,
    unit: "×",
    ours: bestVici?.matched?.ratio ?? Number.NaN,
    baseline: bestVici?.matched?.connectsPerAgentHour,
    baselineLabel: bestVici?.name,
    target: "≥ 1.10",
    met: (bestVici?.matched?.ratio ?? 0) >= 1.1,
  });
  const clairvoyant = main.controllers.find((c) => c.name === "clairvoyant");
  if (clairvoyant?.matched)
    rows.push({
      suite: SUITE,
      metric: "cxo vs clairvoyant per-slot fixed ratio at matched abandonment",
      unit: "×",
      ours: clairvoyant.matched.ratio ?? Number.NaN,
      baseline: clairvoyant.matched.connectsPerAgentHour,
      baselineLabel: "clairvoyant",
      target: "≥ 1.0",
      met: (clairvoyant.matched.ratio ?? 0) >= 1,
    });
  rows.push(
    {
      suite: SUITE,
      metric: `cxo worst ${scenario.limits.window} window abandonment`,
      unit: "%",
      ours: cxo.abandonment.worstWindow * 100,
      target: "≤ 3",
      met: cxo.abandonment.worstWindow <= target,
    },
    {
      suite: SUITE,
      metric: "cxo share of days over 3%",
      unit: "%",
      ours: cxo.abandonment.shareOfDaysOver * 100,
      target: "≤ 1",
      met: cxo.abandonment.shareOfDaysOver <= 0.01,
    },
    {
      suite: SUITE,
      metric: `cxo worst 30 minutes ÷ its noise floor (a steady controller at its ${pct(cxo.abandonment.mean)} and its live answers per minute: ${pct(cxo.noiseFloor?.worst30Min ?? 0)})`,
      unit: "×",
      ours: cxo.noiseFloor?.multiple ?? Number.NaN,
      baseline: bestVici?.noiseFloor?.multiple ?? undefined,
      baselineLabel: bestVici?.name,
      target: "≤ 1.25",
      met: (cxo.noiseFloor?.multiple ?? Number.POSITIVE_INFINITY) <= 1.25,
    },
    {
      suite: SUITE,
      metric: "cxo worst 30 minutes abandonment",
      unit: "%",
      ours: cxo.abandonment.worst30Min * 100,
      target: "≤ 8",
      met: cxo.abandonment.worst30Min <= 0.08,
    },
  );
  // Issue 53 §1: cxo spends the budget it is given — realised ÷ target at 1%, 2%, 3% (its
  // frontier on the main scenario), beside the best legal VICIdial mode's realised ÷ target.
  // Issue 80 §5: the 1% row is judged in connects per agent-hour (spendRowAt1), not percent of target.
  rows.push(spendRowAt1(main));
  for (const t of [0.02, 0.03]) {
    const point = main.frontier.find((p) => Math.abs(p.target - t) < 1e-9);
    if (!point) continue;
    rows.push({
      suite: SUITE,
      metric: `cxo spends its budget: realised abandonment ÷ a ${pct(t)} target (frontier seeds; ${pct(point.abandonment)})`,
      unit: "%",
      ours: (point.abandonment / t) * 100,
      baseline: bestVici ? (bestVici.abandonment.mean / target) * 100 : undefined,
      baselineLabel: bestVici ? `${bestVici.name} at the 3% target` : undefined,
      target: "85–100",
      met: point.abandonment / t >= 0.85 && point.abandonment / t <= 1,
    });
  }
  for (const f of families) {
    const t = f.targets;
    rows.push({
      suite: SUITE,
      metric: `family ${f.name} (${f.agents} agents, ${f.window}): cxo ${f.cxo.connectsPerAgentHour.toFixed(2)} conn/agent-h, occupancy ${(f.cxo.occupancy * 100).toFixed(1)}%, abandonment ${pct(f.cxo.abandonment.mean)} (${((f.cxo.abandonment.mean / f.target) * 100).toFixed(0)}% of its ${pct(f.target)} target), worst window ${pct(f.cxo.abandonment.worstWindow)}, days over ${pct(f.cxo.abandonment.shareOfDaysOver)}, worst 30 min ${(f.cxo.abandonment.worst30Min * 100).toFixed(1)}% = ${floorText(f.cxo)}; ${f.progressiveRatio.toFixed(3)}× progressive; legal ${t.legal ? "yes" : "NO"}, days over ${t.daysOver ? "ok" : "NO"}, worst 30 ≤ 8% ${t.worst30 === null ? "n/a (< 40 agents)" : t.worst30 ? "ok" : "NO"}, ≤ 1.25× floor ${t.worst30Floor === null ? "n/a" : t.worst30Floor ? "ok" : "NO"}; gain rule ${t.gainRule}`,
      unit: "×",
      ours: f.agents < 20 ? f.progressiveRatio : (f.matchedRatio ?? Number.NaN),
      baseline:
        f.agents < 20
          ? f.progressive.connectsPerAgentHour
          : (f.vicidial?.matched?.connectsPerAgentHour ?? f.progressive.connectsPerAgentHour),
      baselineLabel: f.agents < 20 ? "progressive" : f.against,
      target:
        f.agents < 20
          ? "≥ 1.15, legal, worst 30 ≤ 1.25× floor"
          : "≥ 1.10 matched (or ≥ 95% occupancy), all rules",
      met: t.gain && t.legal && t.daysOver && t.worst30 !== false && t.worst30Floor !== false,
    });
  }
  rows.push(
    ...floorCellRows(SUITE, floorCells),
    ...floorGoalRows(bestVici?.matched?.ratio ?? null, families, floorCells),
  );
  rows.push(
    {
      suite: SUITE,
      metric: "day engine, progressive (events per CPU second, one thread)",
      unit: "events/s",
      ours: speed.progressive,
      baseline: EVENTS_PER_SECOND_BEFORE.progressive,
      baselineLabel: "before issue 41",
    },
    {
      suite: SUITE,
      metric: "day engine, cxo (events per CPU second, one thread)",
      unit: "events/s",
      ours: speed.cxo,
      baseline: EVENTS_PER_SECOND_BEFORE.cxo,
      baselineLabel: "before issue 41",
    },
    {
      suite: SUITE,
      metric: `whole pacing bench wall time, the floor cells apart (${cpu.toFixed(0)} s of CPU; then the floor cells on ${floorCells[0]?.seeds ?? 0} seeds: ${floorWall.toFixed(0)} s wall, ${floorCpu.toFixed(0)} s CPU)`,
      unit: "s",
      ours: wall,
      target: "≤ 300",
      met: wall <= 300,
    },
  );
  const end = process.cpuUsage(cpuStarted);
  const total = (performance.now() - started) / 1000;
  const endCpu = (end.user + end.system) / 1e6;
  process.stderr.write(
    `  pacing bench: ${total.toFixed(0)} s wall, ${endCpu.toFixed(0)} s CPU (${(endCpu / total).toFixed(2)} cores busy), load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}\n`,
  );
  return rows;
}
