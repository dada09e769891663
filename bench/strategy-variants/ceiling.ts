import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { hourAgnostic, oracle } from "../../src/strategy/policies.ts";
import { learnedPlanned } from "../../src/strategy/policy-learned.ts";
import { loadPopulationFile } from "../../src/strategy/population.ts";
import { type Policy, type SimResult, simulate } from "../../src/strategy/simulate.ts";
import { attemptMs, buildWorld, slotAt, type World } from "../../src/strategy/world.ts";
import { exactModel } from "./exact-model.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * How much of the oracle's lift is within reach on a population (docs/strategy.md, "What the
 * list can tell"): besides the oracle and the learned strategy (from history), strategies that
 * know more than a learner can —
 * - `plan, exact model`: the product's plan every morning (as the learned strategy) on a model of
 *   the exact rates each column value stands for (the population's segments mixed by the
 *   column's accuracy, averaged over the individual shifts): learning made perfect;
 * - `bayes, column + own misses`: each hour, the contacts with the highest expected rate under
 *   the exact posterior of their segment (from the column), level and shift (from the
 *   population's distributions and the contact's own unanswered attempts);
 * - `bayes, true segment + own misses`: the same, told each contact's true segment.
 * `npx node bench/strategy-variants/ceiling.ts POPULATION.yaml [replications]` (seeds 1…N, as
 * the bench's replications).
 */

const LEVELS = 9;

/** Φ⁻¹ by bisection (enough for a 9-point grid). */
function normalQuantile(p: number): number {
  let lo = -8;
  let hi = 8;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    const cdf = 0.5 * (1 + erf(mid / Math.SQRT2));
    if (cdf < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function erf(x: number): number {
  // Abramowitz and Stegun 7.1.26
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

function bayes(name: string, knowSegment: boolean): Policy {
  let hypotheses: Array<{ segment: number; level: number; shift: number }> = [];
  let logWeight = new Float64Array(0);
  const rateOf = (world: World, k: number, slot: number) => {
    const h = hypotheses[k] as { segment: number; level: number; shift: number };
    const rpc = world.population.segments[h.segment]?.rpc as Float64Array;
    return Math.min(0.95, h.level * (rpc[(slot - h.shift + 168) % 168] as number));
  };
  const missed = (world: World, c: number, slot: number) => {
    const n = hypotheses.length;
    for (let k = 0; k < n; k++)
      logWeight[c * n + k] = (logWeight[c * n + k] as number) + Math.log(1 - rateOf(world, k, slot));
  };
  return {
    name,
    gated: true,
    startDay(world, _state, day) {
      if (day !== 0) return;
      const { spec } = world.population;
      const sigma = spec.variation.level;
      const most = spec.variation.shiftHours;
      hypotheses = [];
      world.population.segments.forEach((_, segment) => {
        for (let i = 0; i < LEVELS; i++)
          for (let shift = -most; shift <= most; shift++)
            hypotheses.push({
              segment,
              level: Math.exp(sigma * normalQuantile((i + 0.5) / LEVELS) - (sigma * sigma) / 2),
              shift,
            });
      });
      const n = hypotheses.length;
      logWeight = new Float64Array(world.size * n);
      const shares = world.population.segments.map((s) => s.share);
      const accuracy = spec.list.observable.accuracy;
      for (let c = 0; c < world.size; c++)
        for (let k = 0; k < n; k++) {
          const s = (hypotheses[k] as { segment: number }).segment;
          const hint = world.hint[c] as number;
          const prior = knowSegment
            ? s === world.segment[c]
              ? 1
              : 0
            : (shares[s] as number) *
              ((s === hint ? accuracy : 0) + (1 - accuracy) * (shares[hint] as number));
          logWeight[c * n + k] = Math.log(Math.max(prior, 1e-300));
        }
      const { contact, slot, rpc } = world.history;
      for (let i = 0; i < contact.length; i++)
        if (!rpc[i]) missed(world, contact[i] as number, slot[i] as number);
    },
    eligible: (world, state, c, h) =>
      state.lastMs[c] === Number.NEGATIVE_INFINITY ||
      attemptMs(world, c, h) >= (state.lastMs[c] as number) + world.population.spec.minRetryMinutes * 60_000,
    score(world, _state, c, h) {
      const slot = slotAt(world, c, h);
      const n = hypotheses.length;
      let top = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < n; k++) top = Math.max(top, logWeight[c * n + k] as number);
      let sum = 0;
      let rate = 0;
      for (let k = 0; k < n; k++) {
        const w = Math.exp((logWeight[c * n + k] as number) - top);
        sum += w;
        rate += w * rateOf(world, k, slot);
      }
      return rate / sum;
    },
    observe(world, c, slot, rpc) {
      if (!rpc) missed(world, c, slot);
    },
  };
}

const file = process.argv[2];
if (!file) throw new Error("usage: ceiling.ts POPULATION.yaml [replications]");
const replications = Number(process.argv[3] ?? 2);
const population = loadPopulationFile(file);
const per1000 = (r: SimResult) => (1000 * r.rpcs) / r.attempts;
const ratios = new Map<string, number[]>();
for (let r = 0; r < replications; r++) {
  const world = buildWorld(population, 1 + r, engine);
  const seed = (1 + r) * 31 + 5;
  const policies: Policy[] = [
    oracle(),
    learnedPlanned({ fromHistory: true, seed, name: "learned, from history" }),
    learnedPlanned({ fromHistory: true, seed, name: "plan, exact model", model: exactModel }),
    bayes("bayes, column + own misses", false),
    bayes("bayes, true segment + own misses", true),
  ];
  const base = per1000(await simulate(world, hourAgnostic()));
  for (const policy of policies) {
    const ratio = per1000(await simulate(world, policy)) / base;
    ratios.set(policy.name, [...(ratios.get(policy.name) ?? []), ratio]);
    process.stderr.write(`replication ${r + 1} ${policy.name}: ${ratio.toFixed(3)}×\n`);
  }
}
const mean = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
const oracleLift = mean(ratios.get("oracle") ?? []) - 1;
for (const [name, xs] of ratios)
  console.log(
    `${name}: ${mean(xs).toFixed(3)}× hour-agnostic, ${((100 * (mean(xs) - 1)) / oracleLift).toFixed(1)}% of the oracle's lift`,
  );
