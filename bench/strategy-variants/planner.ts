import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { hourAgnostic, oracle } from "../../src/strategy/policies.ts";
import { learnedPlanned } from "../../src/strategy/policy-learned.ts";
import { loadPopulationFile } from "../../src/strategy/population.ts";
import { type Policy, type SimResult, simulate } from "../../src/strategy/simulate.ts";
import { buildWorld } from "../../src/strategy/world.ts";
import { exactModel } from "./exact-model.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * The planner experiment of docs/strategy.md ("What the list can tell"): on seeded lists of a
 * population, the learned strategy (from history) and the oracle, each as a ratio to hour-agnostic.
 * `npx node bench/strategy-variants/planner.ts POPULATION.yaml [replications] [first seed] [names]`
 * (names, comma-separated: `learned` — the product's learn and plan from
 * history, as the bench —, `oracle` — the bench's: each hour the contacts with the best true rate —,
 * `oracle-planned` — the product's plan fed each contact's true rates —, `exact` — plan on the
 * exact model of the column, bench/strategy-variants/exact-model.ts). Every planned strategy
 * allocates as the product does (best draw first). The `prices` allocation the experiment also
 * ran is a parameter of plan-allocate.ts's `planBatch` now, no longer module state this script
 * set; the product's plan passes none, so this script cannot reach it until the plan's options
 * carry it (docs/notes/strategy-history.md has the figures it gave).
 */
const file = process.argv[2];
if (!file) throw new Error("usage: planner.ts POPULATION.yaml [replications] [first seed] [names]");
const replications = Number(process.argv[3] ?? 2);
const first = Number(process.argv[4] ?? 1);
const names = (process.argv[5] ?? "learned,oracle").split(",");
if (process.argv[6] !== undefined && process.argv[6] !== "draws")
  throw new Error(
    "planner.ts: only the product's allocation (draws) is reachable from the plan (see the header)",
  );
const population = loadPopulationFile(file);
const per1000 = (r: SimResult) => (1000 * r.rpcs) / r.attempts;
const ratios = new Map<string, number[]>();
for (let r = 0; r < replications; r++) {
  const seed = first + r;
  const world = buildWorld(population, seed, engine);
  const policies: Policy[] = [];
  for (const name of names) {
    if (name === "learned") policies.push(learnedPlanned({ fromHistory: true, seed: seed * 31 + 5 }));
    else if (name === "oracle") policies.push(oracle());
    else if (name === "exact")
      policies.push(
        learnedPlanned({
          fromHistory: true,
          seed: seed * 31 + 5,
          model: exactModel,
          name: "plan, exact model",
        }),
      );
    else if (name === "oracle-planned")
      policies.push(
        learnedPlanned({ fromHistory: true, seed: seed * 31 + 5, oracle: true, name: "oracle-planned" }),
      );
    else throw new Error(`unknown strategy ${name}`);
  }
  const baseRun = await simulate(world, hourAgnostic());
  const base = per1000(baseRun);
  for (const policy of policies) {
    const started = performance.now();
    const run = await simulate(world, policy);
    const ratio = per1000(run) / base;
    ratios.set(policy.name, [...(ratios.get(policy.name) ?? []), ratio]);
    process.stderr.write(
      `seed ${seed} ${policy.name}: ${ratio.toFixed(3)}× (${run.attempts} attempts, ${run.rpcs} RPCs; hour-agnostic ${baseRun.attempts}, ${baseRun.rpcs}) ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
    );
  }
}
const mean = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
const oracles = [...ratios].filter(([n]) => n.startsWith("oracle")).map(([, xs]) => mean(xs));
const best = Math.max(...oracles);
for (const [name, xs] of ratios)
  console.log(
    `${name}: ${mean(xs).toFixed(3)}× hour-agnostic [${xs.map((x) => x.toFixed(3)).join(" ")}]${oracles.length ? `, ${((100 * (mean(xs) - 1)) / (best - 1)).toFixed(1)}% of the best oracle's lift` : ""}`,
  );
