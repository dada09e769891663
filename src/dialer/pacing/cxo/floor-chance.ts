import type { PacingObservation } from "../types.ts";
import type { FloorEstimate } from "./floor.ts";

/**
 * The floor's chance (`FloorChance`). Where the detector's floor is most of a low target, a day's
 * drops are a Poisson count whose own chance of passing the target × the day's people is large
 * (progressive dialling ends such days over too), and each pacing drop a day carries raises it.
 * Pacing also adds people, which raise the line the drops are judged against. So, judged at each
 * day's opening: the pacing drops per person a day of the campaign's own volume may carry so that
 * its chance of ending over stays within FLOOR_CHANCE_ALLOWANCE of what progressive dialling's
 * smaller day (its volume estimated from the campaign's own calls, `ProgressiveVolume`) would
 * have at the floor alone. That rate caps the gain's pacing aim; where it leaves less than
 * FLOOR_CHANCE_SWITCH_DROPS pacing drops a day (the gain's loop cannot aim that low: it learns
 * from the pacing drops it makes, a few a month there) the day is dialled progressively.
 */
export const FLOOR_CHANCE_ALLOWANCE = 0.005;
/**
 * The floor rules a day when progressive's day, at the floor alone, ends over the target more
 * often than this (the aim's own line, ≤ 1% of days over); elsewhere no cap.
 */
export const FLOOR_CHANCE_RULES = 0.01;
/** The floor is judged once the ready ticks have read this many people (~1 day of a 10-agent team). */
export const FLOOR_CHANCE_MIN_PEOPLE = 1000;
/** Fewer pacing drops a day than this under the cap: the day is dialled progressively. */
export const FLOOR_CHANCE_SWITCH_DROPS = 0.5;
/** The ratio of the campaign's day to progressive's, exponentially weighted: the old value's weight. */
const RATIO_KEEP = 0.7;
const RATIO_NEW = 0.3;

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms). */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
function lnGamma(x: number): number {
  const y = x - 1;
  let a = LANCZOS[0] as number;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * P(X ≥ k) for X ~ Poisson(mean), for a real k > 0: the regularized lower incomplete gamma
 * P(k, mean), the Poisson tail at whole k and smooth between them (a day's line, target ×
 * people, is seldom whole), by its series.
 */
export function poissonTail(k: number, mean: number): number {
  if (k <= 0) return 1;
  if (mean <= 0) return 0;
  let term = 1 / k;
  let sum = term;
  for (let n = 1; n < 10_000; n++) {
    term *= mean / (k + n);
    sum += term;
    if (term < sum * 1e-14) break;
  }
  return Math.min(1, Math.exp(k * Math.log(mean) - mean - lnGamma(k) + Math.log(sum)));
}

/**
 * The pacing drops per person a day of `people` may carry over a floor of `floor` drops per
 * person so that its chance of ending over `target` is at most that of progressive's day
 * (`people` ÷ `ratio`, at the floor alone) plus `allowance`. Infinite with no floor or where
 * progressive's day ends over on FLOOR_CHANCE_RULES of days or fewer; 0 where the floor alone
 * on the day's people is already past the line.
 */
export function chancePacingCap(
  target: number,
  floor: number,
  people: number,
  allowance: number,
  ratio = 1,
): number {
  if (!(people > 0) || !(floor > 0)) return Number.POSITIVE_INFINITY;
  const k = target * people + 0.5;
  const base = floor * people;
  const baseline = people / Math.max(1, ratio);
  const progressive = poissonTail(target * baseline + 0.5, floor * baseline);
  // Not a day the floor rules: there the aim's own ≤ 1% of days over holds.
  if (progressive <= FLOOR_CHANCE_RULES) return Number.POSITIVE_INFINITY;
  const line = progressive + allowance;
  if (line >= 1) return Number.POSITIVE_INFINITY;
  if (poissonTail(k, base) > line) return 0;
  // The mean drops whose chance reaches the line, by bisection (the tail rises with the mean).
  let lo = base;
  let hi = base + k + 10 * Math.sqrt(k);
  if (poissonTail(k, hi) <= line) return (hi - base) / people;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (poissonTail(k, mid) <= line) lo = mid;
    else hi = mid;
  }
  return (lo - base) / people;
}

/**
 * Progressive dialling's day against the campaign's, from its own calls (Little's law): under
 * progressive every agent not busy waits on one call, so a live answer takes an agent the mean
 * handle time H plus the mean time a dial rings (D: calls ringing ÷ dials a second) over the
 * people per dial (p); progressive's people = agent-seconds ÷ (H + D ÷ p). `ratio`: the
 * campaign's people over that, by the day, exponentially weighted (NaN before a day is seen).
 */
export class ProgressiveVolume {
  ratio = Number.NaN;
  private ringSeconds = 0;
  private dials = 0;
  private people = 0;
  private agentSeconds = 0;
  private busySeconds = 0;
  private handled = 0;

  /** A tick's observation and its people counted. */
  add(o: PacingObservation, people: number): void {
    this.ringSeconds += o.callsRinging * o.elapsed;
    this.people += people;
    this.agentSeconds += o.agentsLoggedIn * o.elapsed;
    this.busySeconds += (o.agentsTalking + o.agentsWrapping) * o.elapsed;
    this.handled += o.counts.handled;
  }

  /**
   * The dials of a tick the controller paced. Progressive ticks' dials are not counted: a day
   * dialled progressively throughout leaves the ratio as it was (a day's own figures would read
   * its ratio as 1 and lock the campaign into progressive days).
   */
  addDials(n: number): void {
    this.dials += n;
  }

  /** The day's figures into the ratio, and a new day. */
  roll(): void {
    if (this.dials > 0 && this.handled > 0 && this.people > 0) {
      const handle = this.busySeconds / this.handled;
      const ring = this.ringSeconds / this.dials;
      const perDial = this.people / this.dials;
      const ratio = this.people / (this.agentSeconds / (handle + ring / perDial));
      this.ratio = Number.isNaN(this.ratio) ? ratio : RATIO_KEEP * this.ratio + RATIO_NEW * ratio;
    }
    this.ringSeconds = 0;
    this.dials = 0;
    this.people = 0;
    this.agentSeconds = 0;
    this.busySeconds = 0;
    this.handled = 0;
  }
}

/** The floor's chance, judged at each day's opening: the cap on the gain's pacing aim, and whether today is progressive. */
export class FloorChance {
  /** Pacing drops per person the gain may aim at today (infinite: no cap). */
  cap = Number.POSITIVE_INFINITY;
  /** Today is dialled progressively. */
  progressive = false;
  readonly volume = new ProgressiveVolume();

  open(target: number, dayVolume: number, floor: FloorEstimate): void {
    this.volume.roll();
    const ratio = this.volume.ratio;
    this.cap =
      dayVolume > 0 && floor.readyPeople() >= FLOOR_CHANCE_MIN_PEOPLE
        ? chancePacingCap(
            target,
            floor.read(),
            dayVolume,
            FLOOR_CHANCE_ALLOWANCE,
            Number.isNaN(ratio) ? 1 : ratio,
          )
        : Number.POSITIVE_INFINITY;
    this.progressive = this.cap * dayVolume < FLOOR_CHANCE_SWITCH_DROPS;
  }
}
