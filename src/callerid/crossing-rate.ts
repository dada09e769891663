/**
 * The false-alarm hazard of the Bernoulli CUSUM (cusum.ts) computed, not bounded: the chance per
 * step that the statistic, running under "answers as expected", crosses h, in its
 * quasi-stationary regime. calibration.ts turns it into the threshold for a false-alarm rate.
 *
 * Why: Ville's inequality (at most e^-h per start) is a bound, and on hours of many calls it is
 * loose by a factor of about 5 (the statistic jumps over h with an overshoot and falls back fast):
 * on the bench's default pool the threshold that gives 1 % false alarms per 21 days is 8.5, the
 * bound's 10.1. Every nat of threshold is about nine calls of a ×0.3 label's evidence.
 *
 * How: a step of an hour of c calls at expected rate p is A·ln r + U·ln((1 − r·p)/(1 − p)), with
 * A answers and U others; calls per hour vary (Poisson around their mean), so A and U are taken
 * as independent Poisson(c·p) and Poisson(c·(1 − p)) (Poisson thinning; a little more spread than
 * a fixed c, so the threshold errs high, the safe side). The statistic is a Markov chain on a grid
 * of GRID nats over [0, h); the mass that leaves over h per step, renormalised over what stayed,
 * converges to the hazard λ(h). Results are cached by (c, p, r, h) rounded: a pool of numbers of
 * like volume costs a few chains.
 */

const GRID = 0.1;
const TAIL = 1e-10;
const MAX_STEPS = 400;
const cache = new Map<string, number>();

/** Poisson(mean) probabilities over 0..k where the remaining tail is under TAIL. */
function poissonPmf(mean: number): number[] {
  const out: number[] = [];
  let p = Math.exp(-mean);
  let cumulative = 0;
  for (let k = 0; k < 10_000; k++) {
    out.push(p);
    cumulative += p;
    if (k > mean && 1 - cumulative < TAIL) break;
    p = (p * mean) / (k + 1);
  }
  return out;
}

/** Gauss–Hermite nodes (standard errors) and weights: an error of the expectation (calibration.ts uses them for the level's too). */
export const NODES: ReadonlyArray<readonly [number, number]> = [
  [-Math.sqrt(3), 1 / 6],
  [0, 2 / 3],
  [Math.sqrt(3), 1 / 6],
];

/**
 * The step's distribution on the grid: offset (in grid units) → probability. The test reads
 * the hour's expected rate from peers' counts, so it tests against p·(1 + e), e of relative
 * standard error `error`, while answers run at p: the step is averaged over e.
 */
function stepPmf(
  calls: number,
  p: number,
  ratio: number,
  error: number,
  bias: number,
): Array<[number, number]> {
  const answers = poissonPmf(calls * p);
  const others = poissonPmf(calls * (1 - p));
  const byOffset = new Map<number, number>();
  for (const [z, weight] of error > 0 ? NODES : [[0, 1] as const]) {
    const tested = Math.min(0.99, Math.max(0.001, p * (1 + bias) * (1 + z * error)));
    const down = Math.log(ratio);
    const up = Math.log((1 - ratio * tested) / (1 - tested));
    answers.forEach((pa, a) => {
      if (pa < TAIL) return;
      others.forEach((pu, u) => {
        const q = pa * pu * weight;
        if (q < TAIL) return;
        const k = Math.round((a * down + u * up) / GRID);
        byOffset.set(k, (byOffset.get(k) ?? 0) + q);
      });
    });
  }
  return [...byOffset.entries()];
}

/**
 * λ(h): per step, the chance that the CUSUM crosses h, in steps of `calls` calls (mean) at
 * expected rate p, tested against × ratio, with answers as expected and the expectation read
 * with relative standard error `error` per hour.
 */
export function crossingRate(
  calls: number,
  p: number,
  ratio: number,
  h: number,
  error = 0,
  bias = 0,
): number {
  const c = calls < 20 ? Math.round(calls * 4) / 4 : Number(calls.toPrecision(2));
  const rate = Math.round(p * 200) / 200;
  const level = Math.round(h * 10) / 10;
  const e = Math.round(error * 100) / 100;
  const b = Math.round(bias * 200) / 200;
  const key = `${c}|${rate}|${ratio}|${level}|${e}|${b}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const hazard = chain(stepPmf(Math.max(c, 0.25), Math.min(0.95, Math.max(0.005, rate)), ratio, e, b), level);
  cache.set(key, hazard);
  return hazard;
}

/**
 * The quasi-stationary crossing rate by power iteration. The hottest loop of the check (a
 * threshold's bisection runs it per candidate h). The step's offsets are sorted, with their
 * cumulative probabilities: from a state i, every offset of −i or lower lands on 0 and every one
 * of `states − i` or higher leaves, so each is one product from the cumulative sums, and only
 * the offsets between are spread one by one (at most `states` of them, where the step has some
 * 200 offsets on 0.1-nat grid: about 3× fewer products than spreading every offset; the hazards
 * agree with the offset-by-offset sums to 1e-12 relative).
 */
function chain(steps: Array<[number, number]>, h: number): number {
  const states = Math.max(1, Math.ceil(h / GRID));
  const sorted = [...steps].sort((a, b) => a[0] - b[0]);
  const count = sorted.length;
  const offsets = Int32Array.from(sorted, ([k]) => k);
  const probabilities = Float64Array.from(sorted, ([, q]) => q);
  // below[s]: the probability of the offsets before s (sorted); below[count] is the total.
  const below = new Float64Array(count + 1);
  for (let s = 0; s < count; s++) below[s + 1] = (below[s] as number) + (probabilities[s] as number);
  const total = below[count] as number;
  // For each state, the first offset over −i (lo) and the first at or over states − i (hi).
  const lo = new Int32Array(states);
  const hi = new Int32Array(states);
  for (let i = 0; i < states; i++) {
    let a = 0;
    while (a < count && (offsets[a] as number) <= -i) a++;
    let b = a;
    while (b < count && (offsets[b] as number) < states - i) b++;
    lo[i] = a;
    hi[i] = b;
  }
  let v = new Float64Array(states);
  let w = new Float64Array(states);
  v[0] = 1;
  let hazard = 0;
  for (let n = 0; n < MAX_STEPS; n++) {
    w.fill(0);
    let out = 0;
    let floor = 0;
    for (let i = 0; i < states; i++) {
      const mass = v[i] as number;
      if (mass < 1e-300) continue;
      const a = lo[i] as number;
      const b = hi[i] as number;
      floor += mass * (below[a] as number);
      out += mass * (total - (below[b] as number));
      for (let s = a; s < b; s++) {
        const j = i + (offsets[s] as number);
        w[j] = (w[j] as number) + mass * (probabilities[s] as number);
      }
    }
    w[0] = (w[0] as number) + floor;
    const stayed = 1 - out;
    for (let i = 0; i < states; i++) w[i] = (w[i] as number) / stayed;
    const converged = n > 20 && Math.abs(out - hazard) <= 1e-4 * out;
    hazard = out;
    [v, w] = [w, v];
    if (converged) break;
  }
  return hazard;
}
