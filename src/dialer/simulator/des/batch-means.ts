/**
 * Confidence intervals by the method of batch means: the measured window is cut into b equal
 * time batches, each batch's ratio (e.g. abandoned / answered) is one roughly independent
 * observation, and the interval is the ratio of totals ± t(0.975, b−1)·s/√b. Batches of
 * several minutes make the autocorrelation between neighbours negligible for call centres.
 */
const T_975: Record<number, number> = {
  1: 12.706,
  2: 4.303,
  3: 3.182,
  4: 2.776,
  5: 2.571,
  6: 2.447,
  7: 2.365,
  8: 2.306,
  9: 2.262,
  10: 2.228,
  11: 2.201,
  12: 2.179,
  13: 2.16,
  14: 2.145,
  15: 2.131,
  16: 2.12,
  17: 2.11,
  18: 2.101,
  19: 2.093,
  20: 2.086,
  24: 2.064,
  29: 2.045,
  39: 2.023,
  49: 2.01,
  59: 2.001,
  99: 1.984,
};

/** Two-sided 95% Student t quantile for `df` degrees of freedom (the nearest table row at or below df: conservative). */
export function tQuantile975(df: number): number {
  if (df < 1) return Number.POSITIVE_INFINITY;
  let quantile = 12.706;
  for (const [key, value] of Object.entries(T_975)) if (Number(key) <= df) quantile = value;
  return df >= 120 ? 1.96 : quantile;
}

export interface RatioEstimate {
  value: number;
  low: number;
  high: number;
  halfWidth: number;
}

/** Ratio of sums with a batch-means 95% CI, clamped to [0, 1] when `clampUnit`. */
export function batchRatio(
  numerators: ArrayLike<number>,
  denominators: ArrayLike<number>,
  clampUnit = true,
): RatioEstimate {
  let num = 0;
  let den = 0;
  const ratios: number[] = [];
  for (let i = 0; i < numerators.length; i++) {
    const n = numerators[i] as number;
    const d = denominators[i] as number;
    num += n;
    den += d;
    if (d > 0) ratios.push(n / d);
  }
  const value = den > 0 ? num / den : 0;
  if (ratios.length < 2)
    return {
      value,
      low: clampUnit ? 0 : value,
      high: clampUnit ? 1 : value,
      halfWidth: Number.POSITIVE_INFINITY,
    };
  let mean = 0;
  for (const r of ratios) mean += r;
  mean /= ratios.length;
  let ss = 0;
  for (const r of ratios) ss += (r - mean) * (r - mean);
  const sd = Math.sqrt(ss / (ratios.length - 1));
  const halfWidth = (tQuantile975(ratios.length - 1) * sd) / Math.sqrt(ratios.length);
  const low = value - halfWidth;
  const high = value + halfWidth;
  return {
    value,
    low: clampUnit ? Math.max(0, low) : low,
    high: clampUnit ? Math.min(1, high) : high,
    halfWidth,
  };
}
