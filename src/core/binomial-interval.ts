/**
 * Intervals for a binomial proportion (k of n): the ledger's figures (issue 67) and the
 * benches that report a rate with its uncertainty. Pure.
 */

/** The normal quantile of a two-sided 95% interval. */
export const Z95 = 1.959963984540054;
/** The normal quantile of a one-sided 95% bound. */
export const Z95_ONE_SIDED = 1.6448536269514722;

/**
 * Wilson's score interval for k of n (k and n may be fractional: effective counts of an
 * overdispersed sample). [0, 1] when n is 0.
 */
export function wilson(k: number, n: number, z = Z95): [number, number] {
  if (!(n > 0)) return [0, 1];
  const p = Math.min(1, Math.max(0, k / n));
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** P(X ≤ k) for X ~ Binomial(n, p), k and n whole: the terms by recurrence, summed in log space. */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k >= n || p <= 0) return 1;
  if (k < 0 || p >= 1) return 0;
  const step = Math.log(p) - Math.log1p(-p);
  // log P(X = i), from i = 0 up: the largest term is kept to sum without underflow.
  let log = n * Math.log1p(-p);
  let max = log;
  const logs = new Float64Array(k + 1);
  for (let i = 0; i <= k; i++) {
    logs[i] = log;
    if (log > max) max = log;
    log += Math.log((n - i) / (i + 1)) + step;
  }
  let sum = 0;
  for (let i = 0; i <= k; i++) sum += Math.exp((logs[i] as number) - max);
  return Math.min(1, Math.exp(max + Math.log(sum)));
}

/**
 * The exact (Clopper–Pearson) one-sided upper bound at `confidence`: the largest p for which
 * seeing k or fewer of n still has probability ≥ 1 − confidence. Whole k and n; 1 when k = n.
 */
export function exactUpper(k: number, n: number, confidence = 0.95): number {
  if (n <= 0 || k >= n) return 1;
  const alpha = 1 - confidence;
  let lo = k / n;
  let hi = 1;
  // 48 halvings: the bound to about 4e-15.
  for (let i = 0; i < 48; i++) {
    const mid = (lo + hi) / 2;
    if (binomialCdf(k, n, mid) > alpha) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The exact two-sided interval at 95% (each tail 2.5%). */
export function exactInterval(k: number, n: number): [number, number] {
  if (n <= 0) return [0, 1];
  const upper = exactUpper(k, n, 0.975);
  const lower = k <= 0 ? 0 : 1 - exactUpper(n - k, n, 0.975);
  return [lower, upper];
}
