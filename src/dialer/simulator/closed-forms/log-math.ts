/** log(1 + e^x) without overflow for large x or loss of precision for very negative x. */
export function softplus(x: number): number {
  if (x === Number.NEGATIVE_INFINITY) return 0;
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** 1 / (1 + e^{−x}). */
export function sigmoid(x: number): number {
  return Math.exp(x - softplus(x));
}

/** log(e^a + e^b). */
export function logAdd(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  const high = Math.max(a, b);
  return high + Math.log1p(Math.exp(Math.min(a, b) - high));
}

/**
 * log ∫_lo^hi w(x)·e^{g(x)} dx by composite Simpson's rule with `panels` (even) panels,
 * factoring out max g so the exponentials never overflow. w must be ≥ 0.
 */
export function logIntegral(
  g: (x: number) => number,
  w: (x: number) => number,
  lo: number,
  hi: number,
  panels = 4000,
): number {
  if (!(hi > lo)) return Number.NEGATIVE_INFINITY;
  const n = panels % 2 === 0 ? panels : panels + 1;
  const h = (hi - lo) / n;
  const gs = new Float64Array(n + 1);
  let top = Number.NEGATIVE_INFINITY;
  for (let i = 0; i <= n; i++) {
    gs[i] = g(lo + i * h);
    if ((gs[i] as number) > top) top = gs[i] as number;
  }
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const weight = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    sum += weight * w(lo + i * h) * Math.exp((gs[i] as number) - top);
  }
  return sum > 0 ? top + Math.log((sum * h) / 3) : Number.NEGATIVE_INFINITY;
}
