/**
 * Caller patience as M/M/n+G needs it: the survival function Ḡ(x) = P(patience > x), its
 * integral H(x) = ∫₀ˣ Ḡ(u)du, and the points where Ḡ jumps (numerical integration is split
 * there so Simpson's rule stays accurate).
 */
export interface Patience {
  readonly kind: "deterministic" | "exponential";
  /** Mean patience, in the same time unit as the rates. */
  readonly mean: number;
  survival(x: number): number;
  cumulative(x: number): number;
  /** Jumps of Ḡ inside (0, ∞). */
  readonly breakpoints: readonly number[];
}

/** The 2-second rule: every answered call waits exactly τ for an agent, then is dropped. */
export function deterministicPatience(tau: number): Patience {
  if (!(tau >= 0)) throw new RangeError("patience τ must be ≥ 0");
  return {
    kind: "deterministic",
    mean: tau,
    survival: (x) => (x < tau ? 1 : 0),
    cumulative: (x) => Math.min(x, tau),
    breakpoints: tau > 0 ? [tau] : [],
  };
}

/** Exponential patience with the given mean (Erlang A). */
export function exponentialPatience(mean: number): Patience {
  if (!(mean > 0)) throw new RangeError("mean patience must be > 0");
  const theta = 1 / mean;
  return {
    kind: "exponential",
    mean,
    survival: (x) => Math.exp(-theta * x),
    cumulative: (x) => -Math.expm1(-theta * x) / theta,
    breakpoints: [],
  };
}
