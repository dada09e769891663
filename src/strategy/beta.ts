/**
 * The Beta distribution's pieces the strategy needs, pure: its quantiles (for the model's 90%
 * intervals) and a seeded sampler (for Thompson sampling). No dependency does this for us.
 */

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), accurate to ~15 digits for x > 0.
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-12) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b): the Beta(a, b) CDF at x. */
export function betaCdf(x: number, a: number, b: number): number {
  return betaCdfOf(a, b)(x);
}

/**
 * Beta(a, b)'s CDF as a function of x, with the three log-gammas (a third of its cost) taken
 * once: a quantile's bisection asks one distribution at 17 to 40 points. The same operations in
 * the same order as computing them at each point, so the same values to the last bit.
 */
export function betaCdfOf(a: number, b: number): (x: number) => number {
  const logNorm = logGamma(a + b) - logGamma(a) - logGamma(b);
  const split = (a + 1) / (a + b + 2);
  return (x) => {
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    const front = Math.exp(logNorm + a * Math.log(x) + b * Math.log(1 - x));
    return x < split
      ? (front * betaContinuedFraction(x, a, b)) / a
      : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
  };
}

/** The q-quantile of Beta(a, b), by bisection to 1e-7. */
export function betaQuantile(q: number, a: number, b: number): number {
  const cdf = betaCdfOf(a, b);
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 40 && hi - lo > 1e-7; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The 90% central interval [5%, 95%] of Beta(a, b), rounded to 6 digits. */
export function interval90(a: number, b: number): [number, number] {
  return [round6(betaQuantile(0.05, a, b)), round6(betaQuantile(0.95, a, b))];
}

export const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** A seeded uniform generator in [0, 1) (mulberry32): the same seed gives the same stream. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a text mixed with a seed: a record's own random stream, whatever the list order. */
export function hashSeed(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function standardNormal(uniform: () => number): number {
  let u = uniform();
  while (u <= Number.EPSILON) u = uniform();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

/** Gamma(shape, 1) by Marsaglia and Tsang (shape < 1 boosted by U^(1/shape)). */
function sampleGamma(shape: number, uniform: () => number): number {
  if (shape < 1) return sampleGamma(shape + 1, uniform) * uniform() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = standardNormal(uniform);
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = uniform();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * One draw from Beta(a, b). Both shapes above 1 (every slot with evidence): Cheng's algorithm BB
 * (R. C. H. Cheng, "Generating beta variates with nonintegral shape parameters", CACM 21(4),
 * 1978), exact by rejection, two uniforms and about one logarithm a draw; otherwise the ratio of
 * two gamma draws.
 */
export function sampleBeta(a: number, b: number, uniform: () => number): number {
  const lo = Math.min(a, b);
  if (lo <= 1) {
    const x = sampleGamma(a, uniform);
    const y = sampleGamma(b, uniform);
    return x / (x + y);
  }
  const hi = Math.max(a, b);
  const sum = lo + hi;
  const beta = Math.sqrt((sum - 2) / (2 * lo * hi - sum));
  const gamma = lo + 1 / beta;
  for (;;) {
    const u1 = uniform();
    const u2 = uniform();
    if (u1 <= 0 || u1 >= 1) continue;
    const v = beta * Math.log(u1 / (1 - u1));
    const w = Math.min(lo * Math.exp(v), Number.MAX_VALUE);
    const z = u1 * u1 * u2;
    const r = gamma * v - Math.LN2 * 2;
    const s = lo + r - w;
    if (s + 2.609438 < 5 * z) {
      const t = Math.log(z);
      if (s <= t && r + sum * Math.log(sum / (hi + w)) < t) continue;
    }
    return lo === a ? w / (hi + w) : hi / (hi + w);
  }
}
