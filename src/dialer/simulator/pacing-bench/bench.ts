import { controllerNames } from "../../pacing/registry.ts";
import { answerRateAt, presentAt, type Scenario } from "../../pacing/scenario.ts";
import type { DaysResult } from "../day/engine.ts";
import type {
  BenchOptions,
  BenchReport,
  BenchRun,
  ControllerReport,
  FrontierPoint,
  MatchedFigures,
  TunedPoint,
  Tuning,
} from "./bench-types.ts";
import { BENCH_CONTROLLERS } from "./controllers.ts";
import type { Job } from "./job.ts";
import { type ControllerFigures, ceilingOf, figuresOf, worstRollingFloor } from "./metrics.ts";
import { runJobs } from "./pool.ts";
import { QUICK_STAGES, type Stage, TUNING_STAGES } from "./tuning.ts";

export type {
  BenchOptions,
  BenchReport,
  ControllerReport,
  FrontierPoint,
  MatchedFigures,
  TunedPoint,
  Tuning,
};
export { BENCH_CONTROLLERS };

const TUNING_SEED_OFFSET = 1_000_003;

/** The tuning rule: the legal window alone (its worst value on the tuning days ≤ the target). */
function meets(scenario: Scenario, f: ControllerFigures): boolean {
  return f.abandonment.worstWindow <= scenario.limits.target;
}

/** The rules reported for every controller alike on the reported days. */
export function rulesOf(scenario: Scenario, f: ControllerFigures) {
  return {
    legalWindow: f.abandonment.worstWindow <= scenario.limits.target,
    daysOver: f.abandonment.shareOfDaysOver <= 0.01,
    worst30Min: f.abandonment.worst30Min <= 0.08,
  };
}

/**
 * cxo's connects at a realised abandonment, read off its frontier (points sorted by
 * abandonment; linear between neighbours). Above the top point the top point's connects (cxo
 * at less abandonment than the baseline: the baseline's favour); below the lowest point, null.
 */
export function matchOnFrontier(
  frontier: { abandonment: number; connectsPerAgentHour: number }[],
  abandonment: number,
): { connects: number | null; method: MatchedFigures["method"] } {
  const points = [...frontier].sort((a, b) => a.abandonment - b.abandonment);
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last || abandonment < first.abandonment - 1e-12)
    return { connects: null, method: "below-frontier" };
  if (abandonment >= last.abandonment) return { connects: last.connectsPerAgentHour, method: "clamped-top" };
  // Best connects reachable at or under this abandonment: the upper envelope, interpolated.
  let best = first.connectsPerAgentHour;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] as (typeof points)[number];
    const b = points[i + 1] as (typeof points)[number];
    if (abandonment >= b.abandonment) {
      best = Math.max(best, b.connectsPerAgentHour);
      continue;
    }
    if (abandonment >= a.abandonment) {
      const span = b.abandonment - a.abandonment;
      const x = span > 0 ? (abandonment - a.abandonment) / span : 1;
      best = Math.max(best, a.connectsPerAgentHour + x * (b.connectsPerAgentHour - a.connectsPerAgentHour));
    }
    break;
  }
  return { connects: best, method: "interpolated" };
}

function better(a: TunedPoint | undefined, b: TunedPoint): boolean {
  if (!a) return true;
  if (a.meets !== b.meets) return b.meets;
  return b.meets ? b.connectsPerAgentHour > a.connectsPerAgentHour : b.abandonment < a.abandonment;
}

/**
 * `cxo dialer pacing bench`: every controller on the same random numbers (replication r uses
 * seed + r for every controller: common random numbers), the baselines grid-tuned first on
 * other seeds (tuning seeds never overlap the reported ones) over `tuneDays` (default 90) days,
 * each tuning selected on the legal window alone (its worst window ≤ the target; the most
 * connects among those). `cxo` is not tuned per scenario: it runs its defaults.
 *
 * Comparisons are made at matched realised abandonment (issue 41 §2): `cxo` is also run at
 * other targets on the first `matchedReplications` reported seeds, which draws its frontier of
 * connects against realised abandonment (progressive's point anchors the low end); each
 * baseline's realised abandonment on the same seeds is read off that frontier (linear
 * interpolation), and the ratio of connects there is the headline. The extra rules (≤ 1% of
 * days over the target, worst 30 minutes ≤ 8%) are reported for every controller alike.
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const started = performance.now();
  const run = benchRun(options);
  const { scenario, names } = run;
  // Nothing waits on what it does not need (issue 53 §3): the clairvoyant's slot runs, cxo's
  // front points, each baseline's tuning chain (its next stage waits for its own previous one,
  // not every controller's) and each controller's replications (as soon as its own tuning is
  // known: cxo and progressive at once) all share the worker pool from the start, so the cores
  // do not idle at the end of a stage. Every job is the one it was; only the order differs.
  const clairvoyantPoints = names.includes("clairvoyant")
    ? clairvoyantSchedules(
        scenario,
        run.tuneSeed,
        options.workers,
        run.progress("clairvoyant slots"),
        options.priority,
        options.signal,
      ).then((schedules) =>
        evaluateTunings(
          run,
          "clairvoyant",
          schedules.map((tuning) => ({ controller: "clairvoyant", tuning })),
        ),
      )
    : Promise.resolve([]);
  const frontierRuns = startFrontier(run);
  const chains = tuneBaselines(run);
  const bestOf = (name: string): Promise<TunedPoint | undefined> => {
    if (name === "clairvoyant")
      return clairvoyantPoints.then((points) => {
        let best: TunedPoint | undefined;
        for (const point of points) if (better(best, point)) best = point;
        return best;
      });
    return chains.get(name)?.then((chain) => chain.best) ?? Promise.resolve(undefined);
  };
  const replicationRuns = names.map((name) =>
    bestOf(name).then((best) => runReplications(run, name, best?.tuning ?? {})),
  );
  // Settled even when a step below fails first (no unhandled rejection); awaited after them.
  for (const pending of [clairvoyantPoints, frontierRuns, ...chains.values(), ...replicationRuns])
    void (pending as Promise<unknown>).catch(() => undefined);

  // 1. Tuning: every controller's chain, its points in the order of old (stage by stage, the
  // controllers in turn), then the clairvoyant's.
  const { best, points } = await tuningOf(run, chains);
  for (const point of await clairvoyantPoints) {
    points.push(point);
    if (better(best.get("clairvoyant"), point)) best.set("clairvoyant", point);
  }
  // 2. The reported replications: every controller on the same seeds.
  const replicationResults = await Promise.all(replicationRuns);
  const byName = new Map(names.map((name, i) => [name, replicationResults[i] as DaysResult[]]));
  const figures = new Map(names.map((name) => [name, figuresOf(scenario, byName.get(name) ?? [])]));
  // 3. The matched comparison on the first matchedReps seeds.
  const frontier = await matchedFrontier(run, byName, await frontierRuns);
  return {
    scenario: scenario.name,
    limits: { target: scenario.limits.target, window: scenario.limits.window },
    replications: run.replications,
    days: scenario.days,
    seed: run.seed,
    controllers: controllerReports(run, best, byName, figures, frontier),
    ceiling: { connectsPerAgentHour: ceilingOf(scenario) },
    front: frontOf(run, points, figures, frontier),
    frontier,
    tuneDays: run.tuneDays,
    series: seriesOf(run, byName),
    wallSeconds: (performance.now() - started) / 1000,
  };
}

/** The run's settings from the options (defaults filled, controller names checked). */
function benchRun(options: BenchOptions): BenchRun {
  const { scenario } = options;
  const replications = options.replications ?? 10;
  const seed = options.seed ?? 1;
  const known = new Set(controllerNames());
  const wanted = options.controllers ?? [...BENCH_CONTROLLERS];
  for (const name of wanted) if (!known.has(name)) throw new RangeError(`unknown controller "${name}"`);
  const names =
    wanted.includes("progressive") || options.predictiveGain === false ? wanted : [...wanted, "progressive"];
  // cxo's frontier: its defaults at other targets on the first reported seeds (not tuning: cxo
  // is never tuned; these runs only read where it stands at each abandonment).
  const matchedReps = names.includes("cxo")
    ? Math.min(replications, options.front === false ? 0 : (options.matchedReplications ?? 4))
    : 0;
  const frontierTargets = (options.frontierTargets ?? [0.005, 0.01, 0.015, 0.02, 0.025, 0.035]).filter(
    (t) => Math.abs(t - scenario.limits.target) > 1e-9,
  );
  return {
    options,
    scenario,
    replications,
    seed,
    tuneSeed: seed + TUNING_SEED_OFFSET,
    tuneDays: options.tuneDays ?? 90,
    names,
    wanted,
    matchedReps,
    frontierTargets,
    progress: (phase: string) => (done: number, total: number) => options.onProgress?.(phase, done, total),
  };
}

/** Tuning points: each (controller, tuning) over the tuning days on the tuning seed. */
async function evaluateTunings(
  run: BenchRun,
  phase: string,
  batch: { controller: string; tuning: Tuning; scenario?: Scenario }[],
): Promise<TunedPoint[]> {
  const tuneJob = (controller: string, tuning: Tuning, sc = run.scenario): Job => ({
    scenario: sc,
    controller,
    tuning,
    seed: run.tuneSeed,
    firstDay: 0,
    days: run.tuneDays,
  });
  const results = await runJobs(
    batch.map((b) => tuneJob(b.controller, b.tuning, b.scenario)),
    {
      workers: run.options.workers,
      priority: run.options.priority,
      onProgress: run.progress(phase),
      signal: run.options.signal,
    },
  );
  return results.map((r, i) => {
    const b = batch[i] as { controller: string; tuning: Tuning; scenario?: Scenario };
    const f = figuresOf(b.scenario ?? run.scenario, [r]);
    return {
      controller: b.controller,
      tuning: b.tuning,
      abandonment: f.abandonment.mean,
      occupancy: f.occupancy,
      connectsPerAgentHour: f.connectsPerAgentHour,
      meets: meets(b.scenario ?? run.scenario, f),
    } satisfies TunedPoint;
  });
}

/** One baseline's tuning: its points stage by stage and the best of them. */
interface TuningChain {
  stages: TunedPoint[][];
  best: TunedPoint | undefined;
}

/**
 * The baselines' grids, each controller's stages one after the other (each stage refines
 * around that controller's best so far), the controllers' chains side by side.
 */
function tuneBaselines(run: BenchRun): Map<string, Promise<TuningChain>> {
  const stages = run.options.quick ? QUICK_STAGES : TUNING_STAGES;
  const tunable = run.names.filter((n) => stages[n] !== undefined);
  const depth = Math.max(0, ...tunable.map((n) => (stages[n] as Stage[]).length));
  const chain = async (name: string): Promise<TuningChain> => {
    const out: TuningChain = { stages: [], best: undefined };
    for (const [s, stage] of (stages[name] as Stage[]).entries()) {
      const batch = stage(out.best?.tuning, run.scenario.limits.target).map((tuning) => ({
        controller: name,
        tuning,
      }));
      const points = await evaluateTunings(run, `tuning ${s + 1}/${depth} ${name}`, batch);
      for (const point of points) if (better(out.best, point)) out.best = point;
      out.stages.push(points);
    }
    return out;
  };
  return new Map(tunable.map((name) => [name, chain(name)]));
}

/** The chains' bests, and their points stage by stage with the controllers in turn in each. */
async function tuningOf(
  run: BenchRun,
  chains: Map<string, Promise<TuningChain>>,
): Promise<{ best: Map<string, TunedPoint>; points: TunedPoint[] }> {
  const done = new Map<string, TuningChain>();
  for (const [name, chain] of chains) done.set(name, await chain);
  const best = new Map<string, TunedPoint>();
  const points: TunedPoint[] = [];
  const depth = Math.max(0, ...[...done.values()].map((c) => c.stages.length));
  for (let s = 0; s < depth; s++)
    for (const name of run.names) {
      const stage = done.get(name)?.stages[s];
      if (stage) points.push(...stage);
    }
  for (const [name, chain] of done) if (chain.best) best.set(name, chain.best);
  return { best, points };
}

/** cxo at a frontier target on the r-th reported seed. */
function frontierJob(run: BenchRun, target: number, r: number): Job {
  return {
    scenario: { ...run.scenario, limits: { ...run.scenario.limits, target } },
    controller: "cxo",
    tuning: {},
    seed: run.seed + r,
    firstDay: 0,
    days: run.scenario.days,
  };
}

/** The whole frontier's runs, queued at once (not with `adaptiveFrontier`: those wait for the replications). */
function startFrontier(run: BenchRun): Promise<DaysResult[]> {
  const frontierJobs: Job[] = [];
  if (!run.options.adaptiveFrontier)
    for (const target of run.frontierTargets)
      for (let r = 0; r < run.matchedReps; r++) frontierJobs.push(frontierJob(run, target, r));
  if (frontierJobs.length === 0) return Promise.resolve([] as DaysResult[]);
  // Needed only after the replications: behind this bench's tuning stages in the queue.
  return runJobs(frontierJobs, {
    workers: run.options.workers,
    priority: (run.options.priority ?? 0) - 0.5,
    onProgress: run.progress("cxo frontier"),
    signal: run.options.signal,
  });
}

/** One controller on the reported seeds (common random numbers), the first with its day series. */
function runReplications(run: BenchRun, name: string, tuning: Tuning): Promise<DaysResult[]> {
  const jobs: Job[] = [];
  for (let r = 0; r < run.replications; r++)
    jobs.push({
      scenario: run.scenario,
      controller: name,
      tuning,
      seed: run.seed + r,
      firstDay: 0,
      days: run.scenario.days,
      series: r === 0,
    });
  return runJobs(jobs, {
    workers: run.options.workers,
    priority: run.options.priority,
    onProgress: run.progress(`replications ${name}`),
    signal: run.options.signal,
  });
}

/**
 * cxo's frontier on the first matched seeds: the frontier targets' runs, its own run at the
 * scenario's target and progressive's point (the foot), sorted by realised abandonment. With
 * `adaptiveFrontier`, only the targets bracketing the baselines' abandonments are run here.
 */
async function matchedFrontier(
  run: BenchRun,
  byName: Map<string, DaysResult[]>,
  frontierResults: DaysResult[],
): Promise<FrontierPoint[]> {
  const { scenario, matchedReps, frontierTargets } = run;
  const frontier: FrontierPoint[] = [];
  if (matchedReps === 0) return frontier;
  const at = (runs: DaysResult[], target: number) => {
    const f = figuresOf(scenario, runs);
    frontier.push({
      target,
      abandonment: f.abandonment.mean,
      connectsPerAgentHour: f.connectsPerAgentHour,
      occupancy: f.occupancy,
    });
  };
  if (!run.options.adaptiveFrontier)
    for (const [i, target] of frontierTargets.entries())
      at(frontierResults.slice(i * matchedReps, (i + 1) * matchedReps), target);
  at((byName.get("cxo") ?? []).slice(0, matchedReps), scenario.limits.target);
  const progressiveRuns = byName.get("progressive")?.slice(0, matchedReps);
  if (progressiveRuns) at(progressiveRuns, 0);
  if (run.options.adaptiveFrontier) await adaptFrontier(run, byName, frontier, at);
  frontier.sort((a, b) => a.abandonment - b.abandonment);
  return frontier;
}

/**
 * The adaptive frontier: for each baseline, the two grid targets whose predicted abandonment
 * (realised ≈ k × target, k from cxo's own run) brackets the baseline's, then refined where the
 * prediction missed until the bracket is the one the full grid gives.
 */
async function adaptFrontier(
  run: BenchRun,
  byName: Map<string, DaysResult[]>,
  frontier: FrontierPoint[],
  at: (runs: DaysResult[], target: number) => void,
): Promise<void> {
  const { scenario, matchedReps, names } = run;
  const abandonments = names
    .filter((n) => n !== "cxo" && n !== "progressive")
    .map((n) => figuresOf(scenario, (byName.get(n) ?? []).slice(0, matchedReps)).abandonment.mean);
  const grid = [...run.frontierTargets].sort((a, b) => a - b);
  const done = new Set<number>();
  const runTargets = async (targets: number[]) => {
    const fresh = targets.filter((t) => !done.has(t));
    for (const t of fresh) done.add(t);
    const jobs = fresh.flatMap((t) => Array.from({ length: matchedReps }, (_, r) => frontierJob(run, t, r)));
    const runs = await runJobs(jobs, {
      workers: run.options.workers,
      priority: run.options.priority,
      onProgress: run.progress("cxo frontier"),
      signal: run.options.signal,
    });
    for (const [i, t] of fresh.entries()) at(runs.slice(i * matchedReps, (i + 1) * matchedReps), t);
  };
  // Realised ≈ k × target, k from cxo's reported run at the scenario's target.
  const own = frontier.find((p) => p.target === scenario.limits.target);
  const k = own && own.abandonment > 0 ? own.abandonment / scenario.limits.target : 1;
  const wantedTargets = new Set<number>();
  for (const a of abandonments) {
    const below = grid.filter((t) => k * t <= a).pop();
    const above = grid.find((t) => k * t > a);
    if (below !== undefined) wantedTargets.add(below);
    if (above !== undefined) wantedTargets.add(above);
  }
  await runTargets([...wantedTargets]);
  // Where the prediction missed, refine: while a baseline's bracket (the nearest frontier
  // points below and above its abandonment) has grid targets between its two targets not run
  // yet, run the one nearest the prediction. The bracket then is the one the full grid gives.
  for (let round = 0; round < 4; round++) {
    const more = new Set<number>();
    for (const a of abandonments) {
      let lo: FrontierPoint | undefined;
      let hi: FrontierPoint | undefined;
      for (const p of frontier) {
        if (p.abandonment <= a && (!lo || p.abandonment > lo.abandonment)) lo = p;
        if (p.abandonment > a && (!hi || p.abandonment < hi.abandonment)) hi = p;
      }
      const from = lo?.target ?? 0;
      const to = hi?.target ?? Number.POSITIVE_INFINITY;
      const between = grid.filter((t) => !done.has(t) && t > from && t < to);
      if (between.length === 0) continue;
      between.sort((x, y) => Math.abs(k * x - a) - Math.abs(k * y - a));
      more.add(between[0] as number);
    }
    if (more.size === 0) break;
    await runTargets([...more]);
  }
}

/** Each controller asked for: its figures, rules, predictive gain and matched comparison. */
function controllerReports(
  run: BenchRun,
  best: Map<string, TunedPoint>,
  byName: Map<string, DaysResult[]>,
  figures: Map<string, ControllerFigures>,
  frontier: FrontierPoint[],
): ControllerReport[] {
  const { scenario, matchedReps } = run;
  const progressiveTalk = figures.get("progressive")?.talkMinutesPerAgentHour;
  const matchedOf = (name: string): MatchedFigures | null => {
    // cxo itself, and progressive (the frontier's foot: it would match itself).
    if (matchedReps === 0 || name === "cxo" || name === "progressive") return null;
    const f = figuresOf(scenario, (byName.get(name) ?? []).slice(0, matchedReps));
    const { connects, method } = matchOnFrontier(frontier, f.abandonment.mean);
    return {
      replications: matchedReps,
      abandonment: f.abandonment.mean,
      connectsPerAgentHour: f.connectsPerAgentHour,
      cxoConnectsPerAgentHour: connects,
      ratio: connects === null || f.connectsPerAgentHour <= 0 ? null : connects / f.connectsPerAgentHour,
      method,
    };
  };
  return run.wanted.map((name) => {
    const f = figures.get(name) as ControllerFigures;
    const floor = worstRollingFloor(byName.get(name) ?? [], f.abandonment.mean);
    return {
      name,
      tuning: best.get(name)?.tuning ?? {},
      connectsPerAgentHour: f.connectsPerAgentHour,
      occupancy: f.occupancy,
      predictiveGain: progressiveTalk === undefined ? null : f.talkMinutesPerAgentHour - progressiveTalk,
      idleBetweenCalls: f.idleBetweenCalls,
      abandonment: f.abandonment,
      meetsTarget: best.get(name)?.meets ?? rulesOf(scenario, f).legalWindow,
      rules: rulesOf(scenario, f),
      matched: matchedOf(name),
      noiseFloor: { worst30Min: floor, multiple: floor > 0 ? f.abandonment.worst30Min / floor : null },
    };
  });
}

/**
 * Best occupancy, and best connects per agent-hour, per controller at abandonment ≤ 1%, 2%, 3%
 * (tuning points; cxo: its frontier). The connects judge the 1% spend row (issue 80 §5).
 */
function frontOf(
  run: BenchRun,
  points: TunedPoint[],
  figures: Map<string, ControllerFigures>,
  frontier: FrontierPoint[],
): BenchReport["front"] {
  return run.wanted.flatMap((controller) =>
    [0.01, 0.02, 0.03].map((target) => {
      let occupancy: number | null = null;
      let connects: number | null = null;
      const consider = (p: { abandonment: number; occupancy: number; connectsPerAgentHour: number }) => {
        if (p.abandonment > target) return;
        if (occupancy === null || p.occupancy > occupancy) occupancy = p.occupancy;
        if (connects === null || p.connectsPerAgentHour > connects) connects = p.connectsPerAgentHour;
      };
      for (const p of points) if (p.controller === controller) consider(p);
      if (controller === "progressive") {
        const f = figures.get("progressive");
        occupancy = f?.occupancy ?? null;
        connects = f?.connectsPerAgentHour ?? null;
      }
      if (controller === "cxo") for (const p of frontier) if (p.target > 0) consider(p);
      return { controller, target, occupancy, connectsPerAgentHour: connects };
    }),
  );
}

/** Replication 0 of each controller by 5-minute slot of the day, averaged over its days. */
function seriesOf(run: BenchRun, byName: Map<string, DaysResult[]>): BenchReport["series"] {
  return run.wanted.map((controller) => {
    const days = byName.get(controller)?.[0]?.series ?? [];
    const bins = days[0]?.ratio.length ?? 0;
    const ratio: number[] = [];
    const answerRate: number[] = [];
    const abandonment: (number | null)[] = [];
    for (let b = 0; b < bins; b++) {
      let r = 0;
      let l = 0;
      let a = 0;
      for (const d of days) {
        r += d.ratio[b] as number;
        l += d.lives[b] as number;
        a += d.abandons[b] as number;
      }
      ratio.push(r / days.length);
      answerRate.push((days[0]?.answerRate[b] as number) ?? 0);
      abandonment.push(l > 0 ? a / l : null);
    }
    return { controller, ratio, answerRate, abandonment };
  });
}

/**
 * The clairvoyant reference's candidate schedules: for each 15-minute slot, the abandonment of
 * fixed levels 1.0…2.6 in that slot's true conditions (answer rate at its middle, staffing),
 * one simulated hour each on the tuning seed; a schedule takes per slot the largest level whose
 * abandonment stays ≤ a per-slot aim, for aims 1.5…3.5%; the bench keeps the best schedule
 * that meets the target over whole days.
 */
export async function clairvoyantSchedules(
  scenario: Scenario,
  seed: number,
  workers: number | undefined,
  onProgress: (done: number, total: number) => void,
  priority?: number,
  signal?: AbortSignal,
): Promise<Tuning[]> {
  const slotSeconds = 900;
  const slots = Math.ceil((scenario.endSecond - scenario.startSecond) / slotSeconds);
  const levels: number[] = [];
  for (let x = 1; x <= 2.6 + 1e-9; x += 0.1) levels.push(Math.round(x * 10) / 10);
  const jobs: Job[] = [];
  for (let s = 0; s < slots; s++) {
    const mid = scenario.startSecond + (s + 0.5) * slotSeconds;
    const slotScenario: Scenario = {
      ...scenario,
      days: 1,
      startSecond: 9 * 3600,
      endSecond: 10 * 3600,
      staffing: [{ from: 0, to: 86_400, present: presentAt(scenario, mid) }],
      rampSeconds: 0,
      breaks: [],
      noiseAnswerRate: 0,
      noiseHandle: 0,
      answerTimes: [0],
      answerRates: [answerRateAt(scenario, mid)],
    };
    for (const ratio of levels)
      jobs.push({
        scenario: slotScenario,
        controller: "best-fixed",
        tuning: { ratio },
        seed: seed + s,
        firstDay: 0,
        days: 1,
      });
  }
  const results = await runJobs(jobs, { workers, priority, onProgress, ...(signal ? { signal } : {}) });
  const abandonment = (s: number, l: number) => {
    const r = results[s * levels.length + l] as DaysResult;
    const lives = r.lives[0] as number;
    return lives > 0 ? (r.abandons[0] as number) / lives : 0;
  };
  return [0.015, 0.02, 0.025, 0.03, 0.035].map((aim) => {
    const schedule: number[] = [];
    for (let s = 0; s < slots; s++) {
      let chosen = levels[0] as number;
      for (let l = 0; l < levels.length; l++) {
        if (abandonment(s, l) > aim) break;
        chosen = levels[l] as number;
      }
      schedule.push(chosen);
    }
    return { schedule: schedule.join(","), slotSeconds, scheduleStart: scenario.startSecond, aim };
  });
}
