/**
 * Issue 53 §2 on seeds outside the bench: `cxo` alone (its defaults, the scenario's target) on
 * the example, its robustness variants and every scenario in examples/pacing/, seeds in pairs
 * of two 30-day runs as the family's bench row takes them (seeds 1–2 are the bench's own), and
 * for each pair its worst 30 minutes against its noise floor (`worstRollingFloor`: a steady
 * controller with the pair's mean abandonment and the same live answers per minute), the legal
 * window and the days over the target. Not a suite of `npm run bench` (about 10 minutes of CPU
 * for seeds 1–20); run it by hand:
 *
 *   npx node bench/pacing-seeds/floor-seeds.ts [FIRST_SEED] [LAST_SEED] [--json]
 *
 * Prints one line per scenario: the worst multiple over the pairs, the pairs ≤ 1.25×, the worst
 * 30 minutes (the ≤ 8% rule from 40 agents up), and the legal figures.
 */
import type { Scenario } from "../../src/dialer/pacing/scenario.ts";
import type { Job } from "../../src/dialer/simulator/pacing-bench/job.ts";
import {
  figuresOf,
  worstLegalWindow,
  worstRollingFloor,
} from "../../src/dialer/simulator/pacing-bench/metrics.ts";
import { runJobs } from "../../src/dialer/simulator/pacing-bench/pool.ts";
import { pacingScenarios } from "../support/pacing-scenarios.ts";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const json = process.argv.includes("--json");
const first = Number(args[0] ?? 1);
const last = Number(args[1] ?? 20);
if (!(Number.isInteger(first) && Number.isInteger(last) && first >= 1 && last >= first + 1))
  throw new RangeError("seeds: FIRST_SEED and LAST_SEED are whole numbers, FIRST ≥ 1, LAST > FIRST");

const { example, family } = pacingScenarios();
const scenarios: { name: string; scenario: Scenario }[] = [{ name: "example", scenario: example }, ...family];

const seeds = Array.from({ length: last - first + 1 }, (_, i) => first + i);
const started = performance.now();
const rows = [];
for (const { name, scenario } of scenarios) {
  const jobs: Job[] = seeds.map((seed) => ({
    scenario,
    controller: "cxo",
    tuning: {},
    seed,
    firstDay: 0,
    days: scenario.days,
  }));
  const results = await runJobs(jobs, { workers: 2 });
  const pairs = [];
  for (let i = 0; i + 1 < results.length; i += 2) {
    const runs = [results[i], results[i + 1]].filter((r) => r !== undefined);
    const f = figuresOf(scenario, runs);
    const floor = worstRollingFloor(runs, f.abandonment.mean);
    pairs.push({
      seeds: [seeds[i], seeds[i + 1]],
      mean: f.abandonment.mean,
      worst30Min: f.abandonment.worst30Min,
      floor,
      multiple: floor > 0 ? f.abandonment.worst30Min / floor : null,
      worstWindow: Math.max(...runs.map((r) => worstLegalWindow(scenario, r))),
      shareOfDaysOver: f.abandonment.shareOfDaysOver,
    });
  }
  const multiples = pairs.map((p) => p.multiple ?? Number.POSITIVE_INFINITY);
  const row = {
    name,
    agents: scenario.agents,
    window: scenario.limits.window,
    target: scenario.limits.target,
    pairs,
    worstMultiple: Math.max(...multiples),
    pairsWithin: multiples.filter((m) => m <= 1.25).length,
    worst30Min: Math.max(...pairs.map((p) => p.worst30Min)),
    worstWindow: Math.max(...pairs.map((p) => p.worstWindow)),
    daysOver: Math.max(...pairs.map((p) => p.shareOfDaysOver)),
  };
  rows.push(row);
  if (!json) {
    const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
    const outside = pairs.filter((p) => (p.seeds[0] as number) > 2);
    const worstOutside = Math.max(...outside.map((p) => p.multiple ?? Number.POSITIVE_INFINITY));
    console.log(
      `${name} (${scenario.agents} agents, ${scenario.limits.window}, target ${pct(scenario.limits.target)}): ` +
        `worst 30 min ÷ floor ${row.worstMultiple.toFixed(2)}× at worst (outside seeds 1–2: ${outside.length ? worstOutside.toFixed(2) : "–"}×), ` +
        `${row.pairsWithin}/${pairs.length} pairs ≤ 1.25×; multiples ${multiples.map((m) => m.toFixed(2)).join(" ")}; ` +
        `worst 30 min ${pct(row.worst30Min)}; worst legal window ${pct(row.worstWindow)}; days over ≤ ${pct(row.daysOver)}`,
    );
  }
}
if (json) console.log(JSON.stringify({ seeds: [first, last], rows }, null, 2));
console.error(`${((performance.now() - started) / 1000).toFixed(0)} s wall`);
