import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { hourAgnostic, oracle } from "../../src/strategy/policies.ts";
import { learnedPlanned } from "../../src/strategy/policy-learned.ts";
import { loadPopulationFile } from "../../src/strategy/population.ts";
import { type SimResult, simulate } from "../../src/strategy/simulate.ts";
import { buildWorld } from "../../src/strategy/world.ts";
import { exactModel } from "./exact-model.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Screening of a learner change on the bench's lists and luck (seeds as `cxo strategy bench
 * --seed FIRST --replications N`): hour-agnostic, the oracle and the learned strategy from
 * history only (no cold learner, no accuracy curve), the first two cached across runs.
 * `npx node bench/strategy-variants/screen.ts POPULATION.yaml [replications] [first seed] [exact]`
 */
const file = process.argv[2];
if (!file) throw new Error("usage: screen.ts POPULATION.yaml [replications] [first seed]");
const replications = Number(process.argv[3] ?? 2);
const first = Number(process.argv[4] ?? 1);
/** `exact`: plan on the exact model (ceiling.ts's "plan, exact model") instead of learning. */
const exact = process.argv[5] === "exact";
const population = loadPopulationFile(file);
const per1000 = (r: SimResult) => (1000 * r.rpcs) / r.attempts;
// Hour-agnostic and the oracle do not depend on the learner: cached per population file and seed.
const cacheFile = join(tmpdir(), `cxo-screen-${file.replace(/\W/g, "_")}.json`);
const cache: Record<string, number> = existsSync(cacheFile)
  ? JSON.parse(readFileSync(cacheFile, "utf8"))
  : {};
const learned: number[] = [];
const oracles: number[] = [];
for (let seed = first; seed < first + replications; seed++) {
  const world = buildWorld(population, seed, engine);
  cache[`base${seed}`] ??= per1000(await simulate(world, hourAgnostic()));
  cache[`oracle${seed}`] ??= per1000(await simulate(world, oracle()));
  const base = cache[`base${seed}`] as number;
  const top = cache[`oracle${seed}`] as number;
  writeFileSync(cacheFile, JSON.stringify(cache));
  const mine = per1000(
    await simulate(
      world,
      learnedPlanned({ fromHistory: true, seed: seed * 31 + 5, ...(exact ? { model: exactModel } : {}) }),
    ),
  );
  learned.push(mine / base);
  oracles.push(top / base);
  process.stderr.write(
    `seed ${seed}: learned ${(mine / base).toFixed(3)}× oracle ${(top / base).toFixed(3)}×\n`,
  );
}
const mean = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
console.log(
  `${file} seeds ${first}-${first + replications - 1}: learned ${mean(learned).toFixed(3)}× oracle ${mean(oracles).toFixed(3)}× share ${((100 * (mean(learned) - 1)) / (mean(oracles) - 1)).toFixed(1)}% [${learned.map((x) => x.toFixed(3)).join(" ")}]`,
);
