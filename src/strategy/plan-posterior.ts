import { betaCdfOf, sampleBeta } from "./beta.ts";
import { SLOTS_PER_WEEK, type SlotStats } from "./model-format.ts";

/**
 * A segment's Beta posterior per hour of week, ready for Thompson sampling: `alpha`/`beta` from
 * the model's estimate and its evidence (prior strength + attempts), and for each slot an upper
 * bound that a draw exceeds less than once in a million (`upper`), with the slots in the order of
 * that bound (`order`). The planner draws slots in that order and stops as soon as its best draw
 * is above every bound left: a well-learned model's many poor hours are then never drawn, and
 * the choice differs from drawing every slot less than once in ten thousand choices.
 */
export interface Posterior {
  /** The draws' Beta shapes: the posterior's evidence divided by `exploration`² (see posteriorOf). */
  alpha: Float64Array;
  beta: Float64Array;
  /** The posterior's own evidence per slot (prior strength + attempts). */
  evidence: Float64Array;
  estimate: Float64Array;
  interval: ReadonlyArray<readonly [number, number]>;
  upper: Float64Array;
  order: Int16Array;
}

/** The probability a draw may exceed its slot's bound. */
const TAIL = 1e-6;

/**
 * The (1 − TAIL)-quantile of Beta(a, b) rounded up, by bisection to 1e-5 (17 steps). Remembered
 * per shape (forgotten wholesale past a bound): a plan builds a posterior per segment and
 * attempt bucket, and their slots share few shapes (every unseen slot takes its parent's).
 */
const upperBounds = new Map<string, number>();
const UPPER_BOUNDS_KEPT = 100_000;

function upperBound(a: number, b: number): number {
  const key = `${a}|${b}`;
  const known = upperBounds.get(key);
  if (known !== undefined) return known;
  const cdf = betaCdfOf(a, b);
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 17; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < 1 - TAIL) lo = mid;
    else hi = mid;
  }
  if (upperBounds.size >= UPPER_BOUNDS_KEPT) upperBounds.clear();
  upperBounds.set(key, hi);
  return hi;
}

/**
 * `exploration`: the spread of the Thompson draws as a share of the posterior's standard
 * deviation (1: the posterior itself). Draws come from a Beta of the same mean with the evidence
 * divided by exploration²: below 1, hours the model rates poorly are tried less often on the
 * chance that they are better than they look (docs/strategy.md, Figures).
 */
export function posteriorOf(slots: readonly SlotStats[], strength: number, exploration = 1): Posterior {
  const sharpen = 1 / (exploration * exploration);
  const evidence = new Float64Array(SLOTS_PER_WEEK);
  const alpha = new Float64Array(SLOTS_PER_WEEK);
  const beta = new Float64Array(SLOTS_PER_WEEK);
  const estimate = new Float64Array(SLOTS_PER_WEEK);
  const upper = new Float64Array(SLOTS_PER_WEEK);
  const interval: Array<readonly [number, number]> = [];
  for (let s = 0; s < SLOTS_PER_WEEK; s++) {
    const stats = slots[s] as SlotStats;
    const p = Math.min(Math.max(stats.estimate, 1e-6), 1 - 1e-6);
    const n = strength + stats.attempts;
    evidence[s] = n;
    alpha[s] = p * n * sharpen;
    beta[s] = (1 - p) * n * sharpen;
    estimate[s] = stats.estimate;
    upper[s] = upperBound(alpha[s] as number, beta[s] as number);
    // Frozen: every row planned in the slot shares it (and its JSON text, files.ts).
    interval.push(Object.freeze([stats.interval90[0], stats.interval90[1]] as const));
  }
  const order = Int16Array.from({ length: SLOTS_PER_WEEK }, (_, s) => s).sort(
    (x, y) => (upper[y] as number) - (upper[x] as number) || x - y,
  );
  return { alpha, beta, evidence, estimate, interval, upper, order };
}

/**
 * One record's Thompson draws from one posterior: one draw per slot, made when first asked and
 * kept for the record's later attempts (one sample of the rates per record, then act on it).
 */
export class RecordDraws {
  private readonly draws = new Float64Array(SLOTS_PER_WEEK).fill(-1);
  private readonly touched = new Int16Array(SLOTS_PER_WEEK);
  private touchedCount = 0;
  private posterior: Posterior | undefined;
  private uniform: () => number = Math.random;

  /** Starts a record (its own random stream). */
  reset(uniform: () => number): void {
    this.forget();
    this.uniform = uniform;
    this.posterior = undefined;
  }

  draw(posterior: Posterior, slot: number): number {
    if (posterior !== this.posterior) {
      this.forget();
      this.posterior = posterior;
    }
    let value = this.draws[slot] as number;
    if (value < 0) {
      value = sampleBeta(posterior.alpha[slot] as number, posterior.beta[slot] as number, this.uniform);
      this.draws[slot] = value;
      this.touched[this.touchedCount++] = slot;
    }
    return value;
  }

  private forget(): void {
    for (let i = 0; i < this.touchedCount; i++) this.draws[this.touched[i] as number] = -1;
    this.touchedCount = 0;
  }
}
