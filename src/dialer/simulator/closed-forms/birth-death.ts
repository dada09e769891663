/**
 * The exact M/M/n+M birth–death chain (birth λ, death min(k,n)μ + max(k−n,0)θ), solved
 * numerically: the independent cross-check of the Erlang A closed form. Probabilities are
 * built as ratios π_k/π_{k−1} and normalised on the fly, so nothing overflows.
 */
export interface BirthDeathResult {
  pWait: number;
  pAbandon: number;
  occupancy: number;
  meanQueue: number;
}

export function birthDeathErlangA(
  servers: number,
  arrivalRate: number,
  serviceRate: number,
  abandonRate: number,
): BirthDeathResult {
  const weights: number[] = [1];
  let total = 1;
  let w = 1;
  for (let k = 1; k < 1_000_000; k++) {
    const death = Math.min(k, servers) * serviceRate + Math.max(k - servers, 0) * abandonRate;
    w *= arrivalRate / death;
    weights.push(w);
    total += w;
    if (total > 1e280) {
      for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] as number) / 1e280;
      total /= 1e280;
      w /= 1e280;
    }
    if (k > servers && w < total * 1e-18) break;
  }
  let pWait = 0;
  let abandonFlow = 0;
  let busy = 0;
  let queue = 0;
  for (let k = 0; k < weights.length; k++) {
    const p = (weights[k] as number) / total;
    if (k >= servers) pWait += p;
    const waiting = Math.max(k - servers, 0);
    abandonFlow += p * waiting * abandonRate;
    busy += p * Math.min(k, servers);
    queue += p * waiting;
  }
  return { pWait, pAbandon: abandonFlow / arrivalRate, occupancy: busy / servers, meanQueue: queue };
}
