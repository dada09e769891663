import type { DistributionSpec } from "../../pacing/scenario.ts";
import type { Random } from "../des/prng.ts";

/**
 * Draws from a scenario distribution with a FIXED number of uniforms per draw (lognormal: two,
 * Box–Muller without keeping the spare). That keeps common random numbers exact: the k-th call
 * gets the same draw whichever controller placed it, whatever happened before.
 */
export function draw(spec: DistributionSpec, random: Random): number {
  const n = uniformsOf(spec);
  const u1 = n > 0 ? random.uniform() : 0;
  const u2 = n > 1 ? random.uniform() : 0;
  return drawFrom(spec, u1, u2);
}

/** How many uniforms a draw from `spec` takes: 0 (constant), 1 (exponential) or 2 (lognormal). */
export function uniformsOf(spec: DistributionSpec): number {
  if (spec.dist === "constant" || spec.mean === 0) return 0;
  return spec.dist === "exponential" ? 1 : 2;
}

/**
 * The draw `draw` makes from these uniforms (taken in this order). A caller that must take the
 * uniforms whether or not it needs the value (common random numbers) takes them first and
 * transforms them only when the value is used: the same draws, without the logarithms.
 */
export function drawFrom(spec: DistributionSpec, u1: number, u2: number): number {
  const mean = spec.mean;
  if (spec.dist === "constant" || mean === 0) return mean;
  if (spec.dist === "exponential") return -mean * Math.log(u1);
  const { mu, sigma } = lognormalOf(spec);
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.exp(mu + sigma * z);
}

/** A lognormal spec's log-mean and log-spread, kept on the spec (a draw is the simulator's commonest call). */
const LOGNORMAL = Symbol("lognormal parameters");
interface Lognormal {
  mean: number;
  cv: number | undefined;
  mu: number;
  sigma: number;
}

function lognormalOf(spec: DistributionSpec): Lognormal {
  const held = (spec as { [LOGNORMAL]?: Lognormal })[LOGNORMAL];
  if (held && held.mean === spec.mean && held.cv === spec.cv) return held;
  const cv = spec.cv ?? 1;
  const sigma2 = Math.log(1 + cv * cv);
  // The same expressions, in the same order, as computed on every draw before: the same draws.
  const fresh: Lognormal = {
    mean: spec.mean,
    cv: spec.cv,
    mu: Math.log(spec.mean) - sigma2 / 2,
    sigma: Math.sqrt(sigma2),
  };
  (spec as { [LOGNORMAL]?: Lognormal })[LOGNORMAL] = fresh;
  return fresh;
}

/**
 * `drawFrom` for one spec, with what it reads off the spec resolved once (its kind, the
 * lognormal's log-mean and spread): the day engine builds one per distribution of its scenario
 * and draws millions of times from each. The same expressions on the same uniforms as
 * `drawFrom`: the same draws.
 */
export class Sampler {
  /** How many uniforms a draw takes (`uniformsOf`). */
  readonly uniforms: number;
  private readonly mean: number;
  private readonly mu: number;
  private readonly sigma: number;

  constructor(spec: DistributionSpec) {
    this.uniforms = uniformsOf(spec);
    this.mean = spec.mean;
    const lognormal = this.uniforms === 2 ? lognormalOf(spec) : undefined;
    this.mu = lognormal ? lognormal.mu : 0;
    this.sigma = lognormal ? lognormal.sigma : 0;
  }

  /** `drawFrom(spec, u1, u2)`. */
  from(u1: number, u2: number): number {
    const n = this.uniforms;
    if (n === 0) return this.mean;
    if (n === 1) return -this.mean * Math.log(u1);
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.exp(this.mu + this.sigma * z);
  }

  /** `draw(spec, random)`. */
  draw(random: Random): number {
    const n = this.uniforms;
    const u1 = n > 0 ? random.uniform() : 0;
    const u2 = n > 1 ? random.uniform() : 0;
    return this.from(u1, u2);
  }
}

/** A seed for one stream of one day of one replication (splitmix-style mixing of the three). */
export function streamSeed(seed: number, day: number, stream: number): number {
  let z = (seed ^ Math.imul(day + 1, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca77)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d);
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b);
  return (z ^ (z >>> 16)) >>> 0;
}
