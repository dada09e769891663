/**
 * Issue 80 §5's floor cells alone (the rows `npm run bench -- pacing` prints), on seeds 1–N
 * without the rest of the bench; by hand:
 *
 *   npx node bench/pacing-seeds/floor-cells.ts [SEEDS] [--json]
 *
 * SEEDS defaults to the goal's 100. Prints one line per cell and the verdict.
 */
import { pacingScenarios } from "../support/pacing-scenarios.ts";
import { floorCellRows, GOAL_FLOOR_SEEDS, judgeFloorCells } from "./floor-judgement.ts";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const seeds = Number(args[0] ?? GOAL_FLOOR_SEEDS);
if (!(Number.isInteger(seeds) && seeds >= 1)) throw new RangeError("SEEDS: a whole number ≥ 1");
const started = performance.now();
const cpu = process.cpuUsage();
const cells = await judgeFloorCells(pacingScenarios().family, seeds);
if (process.argv.includes("--json")) console.log(JSON.stringify(cells, null, 2));
else
  for (const row of floorCellRows("pacing", cells))
    console.log(`${row.met ? "met" : "NOT MET"}: ${row.metric}`);
const used = process.cpuUsage(cpu);
console.error(
  `${((performance.now() - started) / 1000).toFixed(0)} s wall, ${((used.user + used.system) / 1e6).toFixed(0)} s CPU`,
);
