import type { Random } from "./prng.ts";

/**
 * Duration distributions. Talk and wrap default to exponential (what Erlang A/C assume, so the
 * simulator can be checked against them); lognormal with a coefficient of variation is closer
 * to real talk times (right-skewed, no near-zero mass) and is offered for planning.
 */
export type Distribution =
  | { kind: "deterministic"; mean: number }
  | { kind: "exponential"; mean: number }
  | { kind: "lognormal"; mean: number; cv: number };

export type Sampler = (random: Random) => number;

export function sampler(distribution: Distribution): Sampler {
  const { mean } = distribution;
  if (!(mean >= 0) || !Number.isFinite(mean))
    throw new RangeError("a duration's mean must be finite and ≥ 0");
  if (mean === 0 || distribution.kind === "deterministic") return () => mean;
  if (distribution.kind === "exponential") return (random) => random.exponential(mean);
  const sigma2 = Math.log(1 + distribution.cv * distribution.cv);
  const sigma = Math.sqrt(sigma2);
  const mu = Math.log(mean) - sigma2 / 2;
  return (random) => Math.exp(mu + sigma * random.normal());
}
