import { erlangB } from "./erlang-b.ts";
import { logAdd, logIntegral, sigmoid, softplus } from "./log-math.ts";
import { deterministicPatience, type Patience } from "./patience.ts";

/**
 * M/M/n+G (Zeltyn & Mandelbaum 2005): Poisson arrivals λ, n exponential agents of rate μ,
 * callers who abandon after a patience drawn from G. With g(x) = λH(x) − nμx:
 *
 *   J = ∫₀^∞ e^{g(x)} dx,  ε = 1/B(n−1, a),  P(W>0) = λJ/(ε + λJ)
 *   P(Ab) = (1 + (λ − nμ)J)/(ε + λJ) = λ·∫G(x)e^{g(x)}dx / (ε + λJ)
 *
 * The second form of P(Ab) (from integrating d/dx e^{g} by parts) has no cancellation. The
 * offered wait V has density f_V(v) = λB e^{g(v)}/(1 + λJB) on v > 0, which gives the
 * mean wait of answered calls and the service level. Everything is carried in log space so
 * long patience on an overloaded centre (e^{λτ} ≫ 10³⁰⁸) stays finite.
 */
export interface ImpatientQueueResult {
  pWait: number;
  pAbandon: number;
  /** Mean wait of the calls that reach an agent. */
  asaServed: number;
  /** Mean wait over every arrival, abandoned ones included (time spent before giving up). */
  meanWaitAll: number;
  /** P(reach an agent within t), over every arrival (abandoned calls count as misses). */
  serviceLevel: number;
  /** Served load per agent, λ(1 − P(Ab))/(nμ). */
  occupancy: number;
}

export function impatientQueue(
  servers: number,
  arrivalRate: number,
  serviceRate: number,
  patience: Patience,
  slTime = 0,
): ImpatientQueueResult {
  if (!Number.isInteger(servers) || servers < 1) throw new RangeError("servers must be a whole number ≥ 1");
  const a = arrivalRate / serviceRate;
  const drain = servers * serviceRate;
  const g = (x: number) => arrivalRate * patience.cumulative(x) - drain * x;
  const hMax = patience.cumulative(Number.POSITIVE_INFINITY);
  // Beyond `end` the integrand is below e^{−60} of its peak: the rest of the tail is negligible.
  const peakBound = Number.isFinite(hMax) ? arrivalRate * hMax : Number.POSITIVE_INFINITY;
  if (!Number.isFinite(peakBound) && arrivalRate >= drain)
    throw new RangeError(
      `unstable: with unbounded patience a = ${a.toFixed(3)} must be below n = ${servers}`,
    );
  const end = Number.isFinite(peakBound)
    ? (peakBound + 60) / drain + Math.max(0, ...patience.breakpoints)
    : 60 / (drain - arrivalRate);
  const cuts = [0, ...patience.breakpoints.filter((b) => b > 0 && b < end), end];
  if (slTime > 0 && slTime < end) cuts.push(slTime);
  cuts.sort((x, y) => x - y);
  const integrate = (w: (x: number) => number, upTo = end) => {
    let total = Number.NEGATIVE_INFINITY;
    for (let i = 0; i + 1 < cuts.length; i++) {
      const lo = cuts[i] as number;
      const hi = Math.min(cuts[i + 1] as number, upTo);
      // w sees x nudged inside the piece, so a jump of Ḡ at a cut belongs to the right side.
      const inset = (hi - lo) * 1e-9;
      const inside = (x: number) => w(Math.min(Math.max(x, lo + inset), hi - inset));
      if (hi > lo) total = logAdd(total, logIntegral(g, inside, lo, hi));
    }
    return total;
  };
  const logJ = integrate(() => 1);
  const logB = Math.log(servers === 0 ? 1 : erlangB(servers - 1, a));
  const logLambda = Math.log(arrivalRate);
  const logDensityScale = logLambda + logB - softplus(logLambda + logB + logJ);
  const pWait = sigmoid(logLambda + logB + logJ);
  const logAbandonIntegral = integrate((x) => 1 - patience.survival(x));
  const pAbandon = Math.min(1, Math.exp(logDensityScale + logAbandonIntegral));
  const servedWait = Math.exp(logDensityScale + integrate((x) => x * patience.survival(x)));
  const meanWaitAll = Math.exp(logDensityScale + integrate((x) => patience.cumulative(x)));
  const servedWithin =
    slTime > 0 ? Math.exp(logDensityScale + integrate((x) => patience.survival(x), slTime)) : 0;
  return {
    pWait,
    pAbandon,
    asaServed: pAbandon < 1 ? servedWait / (1 - pAbandon) : 0,
    meanWaitAll,
    serviceLevel: Math.min(1, 1 - pWait + servedWithin),
    occupancy: (arrivalRate * (1 - pAbandon)) / drain,
  };
}

/**
 * M/M/n+D: deterministic patience τ (the 2-second rule). P(W>0) and P(Ab) in closed form,
 *   J = (e^{(λ−nμ)τ} − 1)/(λ − nμ) + e^{(λ−nμ)τ}/(nμ),
 * in log space; the wait figures come from the general M/M/n+G integrals. τ = 0 is Erlang B.
 */
export function mmnD(
  servers: number,
  arrivalRate: number,
  serviceRate: number,
  tau: number,
  slTime = 0,
): ImpatientQueueResult {
  const general = impatientQueue(servers, arrivalRate, serviceRate, deterministicPatience(tau), slTime);
  const a = arrivalRate / serviceRate;
  const drain = servers * serviceRate;
  const c = arrivalRate - drain;
  const ct = c * tau;
  // log of (e^{cτ} − 1)/c, finite for every sign of c.
  const logRamp =
    tau === 0
      ? Number.NEGATIVE_INFINITY
      : Math.abs(ct) < 1e-12
        ? Math.log(tau)
        : c > 0
          ? ct + Math.log(-Math.expm1(-ct) / c)
          : Math.log(Math.expm1(ct) / c);
  const logTail = ct - Math.log(drain);
  const logJ = logAdd(logRamp, logTail);
  const logB = Math.log(erlangB(servers - 1, a));
  const logLambda = Math.log(arrivalRate);
  const l = logLambda + logB + logJ;
  const pWait = sigmoid(l);
  const pAbandon = Math.exp(logLambda + logB + logTail - softplus(l));
  return { ...general, pWait, pAbandon, occupancy: (arrivalRate * (1 - pAbandon)) / drain };
}
