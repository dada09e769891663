import { erlangB } from "./erlang-b.ts";

/**
 * Erlang C (M/M/n, infinite patience). Rates in any one time unit; `slSeconds`-style targets in
 * the same unit as 1/μ. Requires a = λ/μ < n: otherwise the queue grows without bound.
 */
export interface ErlangCResult {
  /** P(an arrival waits at all). */
  pWait: number;
  /** Mean wait over all arrivals (those that do not wait count 0), in time units. */
  asa: number;
  /** P(wait ≤ t). */
  serviceLevel: number;
  /** a/n: fraction of agent time busy. */
  occupancy: number;
}

export function erlangC(servers: number, arrivalRate: number, serviceRate: number, t = 0): ErlangCResult {
  const a = arrivalRate / serviceRate;
  if (!(a < servers))
    throw new RangeError(`unstable: offered load a = λ/μ = ${a.toFixed(3)} must be below n = ${servers}`);
  const b = erlangB(servers, a);
  const pWait = (servers * b) / (servers - a * (1 - b));
  const drain = servers * serviceRate - arrivalRate;
  return {
    pWait,
    asa: pWait / drain,
    serviceLevel: 1 - pWait * Math.exp(-drain * t),
    occupancy: a / servers,
  };
}
