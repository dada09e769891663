import type { DistributionSpec } from "../../pacing/scenario.ts";
import type { Random } from "../des/prng.ts";

/**
 * Draws from a scenario distribution with a FIXED number of uniforms per draw (lognormal: two,
 * Box–Muller without keeping the spare). That keeps common random numbers exact: the k-th call
 * gets the same draw whichever controller placed it, whatever happened before.
 */
export function draw(spec: DistributionSpec, random: Random): number {
  const mean = spec.mean;
  if (spec.dist === "constant" || mean === 0) return mean;
  if (spec.dist === "exponential") return -mean * Math.log(random.uniform());
  const cv = spec.cv ?? 1;
  const sigma2 = Math.log(1 + cv * cv);
  const z = Math.sqrt(-2 * Math.log(random.uniform())) * Math.cos(2 * Math.PI * random.uniform());
  return Math.exp(Math.log(mean) - sigma2 / 2 + Math.sqrt(sigma2) * z);
}

/** A seed for one stream of one day of one replication (splitmix-style mixing of the three). */
export function streamSeed(seed: number, day: number, stream: number): number {
  let z = (seed ^ Math.imul(day + 1, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca77)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d);
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b);
  return (z ^ (z >>> 16)) >>> 0;
}
