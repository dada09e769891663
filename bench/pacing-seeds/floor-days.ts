/**
 * The floor cells day by day (issue 80 §5, a diagnostic): cxo and progressive on the same seeds,
 * the days each ends over the target by the day's index in the run, and the days cxo ends over
 * that progressive does not. By hand:
 *
 *   npx node bench/pacing-seeds/floor-days.ts FIRST_SEED LAST_SEED [--cells a,b] [--tuning k=v,k=v] [--json FILE]
 */
import { writeFileSync } from "node:fs";
import type { Scenario } from "../../src/dialer/pacing/scenario.ts";
import type { Job } from "../../src/dialer/simulator/pacing-bench/job.ts";
import { runJobs } from "../../src/dialer/simulator/pacing-bench/pool.ts";
import { withOperatorEstimate } from "../support/operator-estimate.ts";
import { pacingScenarios } from "../support/pacing-scenarios.ts";
import { FLOOR_CELLS } from "./floor-judgement.ts";

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? (argv[i + 1] ?? "") : null;
};
const tuning: Record<string, number> = Object.fromEntries(
  (opt("--tuning") ?? "")
    .split(",")
    .filter((kv) => kv.includes("="))
    .map((kv) => [kv.slice(0, kv.indexOf("=")), Number(kv.slice(kv.indexOf("=") + 1))]),
);
const cellsOpt = opt("--cells");
const positional = argv.filter((a, i) => !a.startsWith("--") && !argv[i - 1]?.startsWith("--"));
const first = Number(positional[0] ?? 1);
const last = Number(positional[1] ?? 20);
const seeds = Array.from({ length: last - first + 1 }, (_, i) => first + i);
const { family } = pacingScenarios();
const cells = FLOOR_CELLS.filter((c) => cellsOpt === null || cellsOpt.split(",").includes(c.name));
const started = performance.now();
const out: Record<string, unknown> = {};
for (const { name, target } of cells) {
  const found = family.find((f) => f.name === name);
  if (!found) throw new Error(name);
  const atTarget: Scenario = { ...found.scenario, limits: { ...found.scenario.limits, target } };
  const cxoScenario = atTarget.limits.window === "ofcom-24h" ? withOperatorEstimate(atTarget) : atTarget;
  const jobs = (s: Scenario, controller: string, t: Record<string, number>): Job[] =>
    seeds.map((seed) => ({ scenario: s, controller, tuning: t, seed, firstDay: 0, days: s.days }));
  const [c, p] = await Promise.all([
    runJobs(jobs(cxoScenario, "cxo", tuning), { workers: 2 }),
    runJobs(jobs(atTarget, "progressive", {}), { workers: 2 }),
  ]);
  const days = atTarget.days;
  const byDayC = new Array(days).fill(0);
  const byDayP = new Array(days).fill(0);
  const excess: string[] = [];
  let overC = 0;
  let overP = 0;
  let connC = 0;
  let connP = 0;
  let presC = 0;
  let presP = 0;
  const perSeed: { seed: number; c: number; p: number }[] = [];
  const rows: number[][] = [];
  c.forEach((rc, k) => {
    const rp = p[k];
    if (!rp) return;
    let sc = 0;
    let sp = 0;
    for (let d = 0; d < days; d++) {
      const oc = (rc.abandons[d] as number) / (rc.lives[d] as number) > target + 1e-12;
      const op = (rp.abandons[d] as number) / (rp.lives[d] as number) > target + 1e-12;
      rows.push([
        seeds[k] as number,
        d,
        rc.lives[d] as number,
        rc.abandons[d] as number,
        rp.lives[d] as number,
        rp.abandons[d] as number,
      ]);
      if (oc) {
        byDayC[d]++;
        overC++;
        sc++;
      }
      if (op) {
        byDayP[d]++;
        overP++;
        sp++;
      }
      if (oc && !op) excess.push(`s${seeds[k]}d${d}`);
      connC += rc.connects[d] as number;
      connP += rp.connects[d] as number;
      presC += rc.presentSeconds[d] as number;
      presP += rp.presentSeconds[d] as number;
    }
    perSeed.push({ seed: seeds[k] as number, c: sc, p: sp });
  });
  const n = seeds.length * days;
  console.log(
    `${name}: cxo ${overC}/${n} prog ${overP}/${n} (${(((overC - overP) / n) * 100).toFixed(2)} pp); conn/agent-h cxo ${((connC / presC) * 3600).toFixed(3)} prog ${((connP / presP) * 3600).toFixed(3)}`,
  );
  console.log(`  by day cxo  ${byDayC.join(" ")}`);
  console.log(`  by day prog ${byDayP.join(" ")}`);
  console.log(`  cxo over, prog not (${excess.length}): ${excess.join(" ")}`);
  out[name] = { rows, byDayC, byDayP };
}
const json = opt("--json");
if (json) writeFileSync(json, JSON.stringify(out));
console.error(`${((performance.now() - started) / 1000).toFixed(0)} s wall`);
