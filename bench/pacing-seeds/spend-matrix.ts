/**
 * Issue 53 §1 cell by cell: does `cxo` spend 85–100% of any target from 1% to 3% with the legal
 * window kept and ≤ 1% of days over, on the example, its robustness variants and every scenario
 * in examples/pacing/? Each cell (a scenario at a target) runs `cxo` (its defaults) and
 * progressive on the same seeds, 30-day runs. Progressive places a call only for an agent who is
 * ready, so it makes no pacing drop: its rate is the floor no controller removes (the detector's
 * hold past the connect threshold, people hung up on as machines), drops that fall on every
 * person with the same chance whoever paces. On each of cxo's own days (its people) the floor
 * alone is then a binomial, and where it would put more than 1% of those days over the target
 * — with no pacing drop at all — no controller can meet the cell at that volume: the cell says
 * so ("floor") rather than "not met". Not a suite of `npm run bench` (about 13 minutes of CPU
 * for seeds 1–10); run it by hand:
 *
 * Issue 67 §3 restates the rule: where progressive (the detector's floor alone) ends ≤ 1% of
 * its days over the target, cxo's realised mean is 85–100% of the target with ≤ 1% of days over
 * and the legal window kept ("met"); on every other cell cxo's days over are no more than
 * progressive's ("met: no worse than the floor"). And on the Ofcom cells at 2% and 3%, cxo given
 * the operator's estimate of the people hung up on as machines (the scenario's own share of
 * machine verdicts, `limits.amdFalsePositive`) spends ≥ 80% with no 24 hours over (rows marked
 * "with the estimate").
 *
 *   npx node bench/pacing-seeds/spend-matrix.ts [FIRST_SEED] [LAST_SEED] [--targets 1,2,3] [--scenarios a,b] [--tuning k=v,k=v] [--json]
 *
 * `--tuning` runs cxo with those keys of its tuning schema (e.g. `steer=0`, no in-day steering:
 * src/dialer/pacing/cxo/tuning.ts; an unknown key is refused); progressive is unchanged. The
 * floor switch and Ofcom's rolling budget this script also ran are no longer in the controller
 * (docs/notes/pacing-history.md).
 *
 * Prints one line per cell: realised ÷ target, days over, worst day, worst legal window,
 * connects per agent-hour, progressive's days over, and the verdict.
 */
import type { Scenario } from "../../src/dialer/pacing/scenario.ts";
import type { DaysResult } from "../../src/dialer/simulator/day/engine.ts";
import type { Job } from "../../src/dialer/simulator/pacing-bench/job.ts";
import { figuresOf, worstLegalWindow } from "../../src/dialer/simulator/pacing-bench/metrics.ts";
import { runJobs } from "../../src/dialer/simulator/pacing-bench/pool.ts";
import { betaCdf } from "../../src/strategy/beta.ts";
import { operatorEstimate } from "../support/operator-estimate.ts";
import { pacingScenarios } from "../support/pacing-scenarios.ts";

/** The issue's rule: realised mean 85–100% of the target, ≤ 1% of days over, the legal window kept. */
const SPEND_MIN = 0.85;
const DAYS_OVER_MAX = 0.01;
/** Issue 67 §3: Ofcom cells with the operator's estimate spend at least this share of the target. */
const OFCOM_SPEND_MIN = 0.8;

const argv = process.argv.slice(2);
const json = argv.includes("--json");
const targetsAt = argv.indexOf("--targets");
const scenariosAt = argv.indexOf("--scenarios");
const tuningAt = argv.indexOf("--tuning");
const cxoTuning: Record<string, number> = Object.fromEntries(
  (tuningAt >= 0 ? (argv[tuningAt + 1] ?? "") : "")
    .split(",")
    .filter((kv) => kv.includes("="))
    .map((kv) => [kv.slice(0, kv.indexOf("=")), Number(kv.slice(kv.indexOf("=") + 1))]),
);
const only = scenariosAt >= 0 ? (argv[scenariosAt + 1] ?? "").split(",") : null;
const targets = (targetsAt >= 0 ? (argv[targetsAt + 1] ?? "") : "1,2,3")
  .split(",")
  .map((t) => Number(t) / 100);
const positional = argv.filter(
  (a, i) =>
    !a.startsWith("--") &&
    (targetsAt < 0 || i !== targetsAt + 1) &&
    (scenariosAt < 0 || i !== scenariosAt + 1) &&
    (tuningAt < 0 || i !== tuningAt + 1),
);
const first = Number(positional[0] ?? 1);
const last = Number(positional[1] ?? 6);
if (!(Number.isInteger(first) && Number.isInteger(last) && first >= 1 && last >= first))
  throw new RangeError("seeds: FIRST_SEED and LAST_SEED are whole numbers, 1 ≤ FIRST ≤ LAST");
if (!targets.every((t) => t > 0 && t < 1))
  throw new RangeError("--targets: percentages between 0 and 100, comma-separated (1,2,3)");

const { example, family } = pacingScenarios();
const scenarios: { name: string; scenario: Scenario }[] = [
  { name: "example", scenario: example },
  ...family,
].filter((s) => only === null || only.includes(s.name));
const seeds = Array.from({ length: last - first + 1 }, (_, i) => first + i);
const at = (scenario: Scenario, target: number): Scenario => ({
  ...scenario,
  limits: { ...scenario.limits, target },
});
const jobsOf = (scenario: Scenario, controller: string): Job[] =>
  seeds.map((seed) => ({
    scenario,
    controller,
    tuning: controller === "cxo" ? cxoTuning : {},
    seed,
    firstDay: 0,
    days: scenario.days,
  }));

/**
 * The share of `runs`' days the floor alone (each person dropped with chance `floor`, no other
 * drop) would end over `target`: the mean over the days of P(Binomial(people, floor) > target ×
 * people), by P(X ≥ k) = I_floor(k, people − k + 1).
 */
function floorDaysOver(runs: DaysResult[], target: number, floor: number): number {
  let sum = 0;
  let count = 0;
  for (const r of runs)
    for (let d = 0; d < r.days; d++) {
      const people = Math.round(r.lives[d] as number);
      if (people <= 0) continue;
      const k = Math.floor(target * people + 1e-9) + 1;
      sum += k > people ? 0 : betaCdf(floor, k, people - k + 1);
      count++;
    }
  return count > 0 ? sum / count : 0;
}

/** The worst day's rate over the runs. */
function worstDay(runs: DaysResult[]): number {
  let worst = 0;
  for (const r of runs)
    for (let d = 0; d < r.days; d++) {
      const lives = r.lives[d] as number;
      if (lives > 0) worst = Math.max(worst, (r.abandons[d] as number) / lives);
    }
  return worst;
}

interface Cell {
  name: string;
  agents: number;
  window: string;
  target: number;
  /** cxo's realised mean ÷ the target. */
  spend: number;
  daysOver: number;
  days: number;
  worstDay: number;
  worstWindow: number;
  connectsPerAgentHour: number;
  /** Progressive on the same seeds: its days over the target and its mean (the floor). */
  progressiveDaysOver: number;
  progressiveMean: number;
  /** The share of cxo's days the floor alone would end over the target (its binomial on their people). */
  floorDaysOver: number;
  /** "met"; "floor": the floor alone ends > 1% of cxo's days over, no controller can meet it; "not met". */
  verdict: "met" | "floor" | "not met";
  /** Issue 67 §3's rule (the restatement above). */
  restated: "met" | "met: no worse than the floor" | "not met";
  /** cxo was given the operator's estimate (Ofcom cells). */
  estimate: number | null;
}

const started = performance.now();
const cells: Cell[] = [];
for (const { name, scenario } of scenarios) {
  // Progressive does not read the target: one run per seed serves every target.
  const progressive = await runJobs(jobsOf(scenario, "progressive"), { workers: 2 });
  const floorRate = figuresOf(scenario, progressive).abandonment.mean;
  const estimated = scenario.limits.window === "ofcom-24h" ? operatorEstimate(scenario) : null;
  const variants: Array<{ target: number; estimate: number | null }> = [
    ...targets.map((target) => ({ target, estimate: null })),
    ...(estimated === null
      ? []
      : targets.filter((t) => t >= 0.02 - 1e-9).map((target) => ({ target, estimate: estimated }))),
  ];
  for (const { target, estimate } of variants) {
    const plain = at(scenario, target);
    const s =
      estimate === null
        ? plain
        : { ...plain, limits: { ...plain.limits, amdFalsePositive: { rate: estimate } } };
    const runs = await runJobs(jobsOf(s, "cxo"), { workers: 2 });
    const f = figuresOf(s, runs);
    const progressiveShareOver = figuresOf(s, progressive).abandonment.shareOfDaysOver;
    const floorOver = floorDaysOver(runs, target, floorRate);
    const spend = f.abandonment.mean / target;
    const worstWindow = Math.max(...runs.map((r) => worstLegalWindow(s, r)));
    const met =
      spend >= SPEND_MIN &&
      spend <= 1 &&
      f.abandonment.shareOfDaysOver <= DAYS_OVER_MAX &&
      worstWindow <= target;
    const verdict: Cell["verdict"] = met ? "met" : floorOver > DAYS_OVER_MAX ? "floor" : "not met";
    const progressiveOver = Math.round(progressiveShareOver * f.days);
    const cxoOver = Math.round(f.abandonment.shareOfDaysOver * f.days);
    const restated: Cell["restated"] =
      estimate !== null
        ? spend >= OFCOM_SPEND_MIN && worstWindow <= target
          ? "met"
          : "not met"
        : progressiveShareOver <= DAYS_OVER_MAX
          ? met
            ? "met"
            : "not met"
          : cxoOver <= progressiveOver
            ? "met: no worse than the floor"
            : "not met";
    const cell: Cell = {
      name,
      agents: scenario.agents,
      window: scenario.limits.window,
      target,
      spend,
      daysOver: Math.round(f.abandonment.shareOfDaysOver * f.days),
      days: f.days,
      worstDay: worstDay(runs),
      worstWindow,
      connectsPerAgentHour: f.connectsPerAgentHour,
      progressiveDaysOver: Math.round(progressiveShareOver * f.days),
      progressiveMean: floorRate,
      floorDaysOver: floorOver,
      verdict,
      restated,
      estimate,
    };
    cells.push(cell);
    if (!json) {
      const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
      console.log(
        `${`${name} (${scenario.agents}, ${scenario.limits.window})`.padEnd(44)} at ${pct(target)}${estimate === null ? "" : ` with the estimate ${pct(estimate)}`}: ` +
          `spends ${(spend * 100).toFixed(1)}%, ${cell.daysOver}/${cell.days} days over (worst ${pct(cell.worstDay)}), ` +
          `window ${pct(worstWindow)}, ${f.connectsPerAgentHour.toFixed(3)} conn/agent-h; ` +
          `progressive ${pct(floorRate)}, ${cell.progressiveDaysOver}/${cell.days} days over; the floor alone ${pct(floorOver)} of cxo's days — ${verdict}; issue 67: ${restated}`,
      );
    }
  }
}
if (json) console.log(JSON.stringify({ seeds: [first, last], cells }, null, 2));
const count = (v: string) => cells.filter((c) => c.verdict === v).length;
const restated = (v: string) => cells.filter((c) => c.restated.startsWith(v)).length;
console.error(
  `issue 67's rule: ${restated("met")} of ${cells.length} met (${cells.filter((c) => c.restated === "met: no worse than the floor").length} of them no worse than the floor), ${restated("not met")} not met`,
);
console.error(
  `${cells.length} cells: ${count("met")} met, ${count("floor")} beyond any controller (the floor alone over on > 1% of days), ${count("not met")} not met; ${((performance.now() - started) / 1000).toFixed(0)} s wall`,
);
