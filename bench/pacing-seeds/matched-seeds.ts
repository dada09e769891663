/**
 * Issue 67 §3 on days outside the bench: the family row's matched ratio (cxo ÷ the best legal
 * VICIdial mode at cxo's realised abandonment, VICIdial tuned as the bench tunes it) on the small
 * teams with long, heavy-tailed calls (22–26 agents), on other seeds: each first seed runs the
 * bench's family configuration (2 replications of the scenario's days, 30 tuning days) from it,
 * so seeds 3, 5, … are days the bench never reports. Not a suite of `npm run bench`; by hand:
 *
 *   npx node bench/pacing-seeds/matched-seeds.ts [FIRST_SEED] [LAST_SEED]
 *
 * Prints one line per scenario and first seed: the matched ratio, against which mode, and cxo's
 * legal figures.
 */
import { runBench } from "../../src/dialer/simulator/pacing-bench/bench.ts";
import { familyResult } from "../pacing.bench.ts";
import { pacingScenarios } from "../support/pacing-scenarios.ts";

const SMALL_LONG = ["decay-25", "shifts-25", "long-24", "long-22-day", "long-26-ofcom"];
const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const first = Number(args[0] ?? 3);
const last = Number(args[1] ?? 6);
if (!(Number.isInteger(first) && Number.isInteger(last) && first >= 1 && last >= first))
  throw new RangeError("seeds: FIRST_SEED and LAST_SEED are whole numbers, 1 ≤ FIRST ≤ LAST");
const { family } = pacingScenarios();
const started = performance.now();
for (let seed = first; seed <= last; seed += 2)
  for (const f of family.filter((x) => SMALL_LONG.includes(x.name))) {
    const report = await runBench({
      scenario: f.scenario,
      controllers: ["cxo", "progressive", "vicidial-hard-limit", "vicidial-tapered"],
      replications: 2,
      matchedReplications: 2,
      seed,
      workers: 2,
      tuneDays: 30,
      quick: true,
      frontierTargets: [0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.035],
      adaptiveFrontier: true,
    });
    const r = familyResult(f.name, f.scenario, report);
    const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
    console.log(
      `${f.name.padEnd(14)} seeds ${seed}–${seed + 1}: matched ${r.matchedRatio?.toFixed(3) ?? "—"}× ${r.against}` +
        ` (cxo ${r.cxo.connectsPerAgentHour.toFixed(3)} at ${pct(r.cxo.abandonment.mean)}, legal ${r.targets.legal ? "yes" : "NO"}, days over ${pct(r.cxo.abandonment.shareOfDaysOver)})`,
    );
  }
console.error(`${((performance.now() - started) / 1000).toFixed(0)} s wall`);
