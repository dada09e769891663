import { erlangB } from "./erlang-b.ts";

/**
 * Erlang A / Palm (M/M/n+M: exponential patience with mean 1/θ), after Mandelbaum & Zeltyn.
 * Stable for any load (abandonment keeps the queue finite), so a ≥ n is allowed.
 *
 *   x = nμ/θ, y = λ/θ, A(x,y) = 1 + Σ_{j≥1} y^j / Π_{k=1..j}(x+k)
 *   π_n = B / (1 + B(A−1)),  P(W>0) = A·π_n
 *   P(Ab | W>0) = 1/(ρA) + 1 − 1/ρ  with ρ = λ/(nμ)   (NOT λ/μ, a common bug)
 *
 * The series can reach e^{y} before it turns down (y = λ/θ is in the hundreds for big
 * centres), so it is summed with a running scale and only 1/A is used afterwards.
 */
export interface ErlangAResult {
  pWait: number;
  pAbandon: number;
  /** Mean wait over all arrivals, served or abandoned (= P(Ab)/θ for exponential patience). */
  meanWait: number;
  /** Served load per agent: λ(1 − P(Ab)) / (nμ). */
  occupancy: number;
}

const SCALE_LOG = Math.log(1e250);

/** log A(x, y), summed with rescaling so neither the terms nor the sum overflow. */
export function logSeriesA(x: number, y: number): number {
  let term = 1;
  let sum = 1;
  let scales = 0;
  for (let j = 1; j < 10_000_000; j++) {
    term *= y / (x + j);
    sum += term;
    if (sum > 1e250) {
      sum /= 1e250;
      term /= 1e250;
      scales += 1;
    }
    // Past the peak (x + j > y) the terms fall geometrically; stop when they stop counting.
    if (x + j > y && term < sum * 1e-17) break;
  }
  return Math.log(sum) + scales * SCALE_LOG;
}

export function erlangA(
  servers: number,
  arrivalRate: number,
  serviceRate: number,
  abandonRate: number,
): ErlangAResult {
  if (!(abandonRate > 0)) throw new RangeError("abandonRate θ must be > 0 (use Erlang C for θ = 0)");
  const a = arrivalRate / serviceRate;
  const b = erlangB(servers, a);
  const x = (servers * serviceRate) / abandonRate;
  const y = arrivalRate / abandonRate;
  const inverseA = Math.exp(-logSeriesA(x, y));
  // P(W>0) = A·B / (1 + B(A − 1)) = B / (1/A + B(1 − 1/A)), written with 1/A to avoid overflow.
  const pWait = b / (inverseA + b * (1 - inverseA));
  const rho = arrivalRate / (servers * serviceRate);
  const pAbandonGivenWait = inverseA / rho + 1 - 1 / rho;
  const pAbandon = Math.min(1, Math.max(0, pAbandonGivenWait * pWait));
  return {
    pWait,
    pAbandon,
    meanWait: pAbandon / abandonRate,
    occupancy: (arrivalRate * (1 - pAbandon)) / (servers * serviceRate),
  };
}
