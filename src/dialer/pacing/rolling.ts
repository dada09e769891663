import type { PacingObservation } from "./types.ts";

/** The series a controller's window counts first (`addCalls`): dials, live answers, abandons; its own follow from CALL_SERIES. */
export const DIALS = 0;
export const LIVES = 1;
export const DROPS = 2;
export const CALL_SERIES = 3;

/**
 * Event counts over a rolling time window, in fixed buckets (no allocation per tick): the
 * controllers' "last 30 minutes" / "last hour" statistics.
 */
export class RollingCounts {
  private readonly sums: Float64Array[];
  /** Each series' total, kept as values are added and recomputed when buckets fall out. */
  private readonly totals: Float64Array;
  private bucket = Number.NaN;
  private readonly bucketSeconds: number;
  private readonly buckets: number;

  constructor(bucketSeconds: number, buckets: number, series: number) {
    this.bucketSeconds = bucketSeconds;
    this.buckets = buckets;
    this.sums = Array.from({ length: series }, () => new Float64Array(buckets));
    this.totals = new Float64Array(series);
  }

  /** Moves the window to `now`, clearing buckets that fell out. */
  at(now: number): this {
    const b = Math.floor(now / this.bucketSeconds);
    if (b === this.bucket) return this;
    if (Number.isNaN(this.bucket) || b - this.bucket >= this.buckets) {
      for (const s of this.sums) s.fill(0);
    } else {
      for (let i = this.bucket + 1; i <= b; i++) for (const s of this.sums) s[i % this.buckets] = 0;
    }
    this.bucket = b;
    // Summed afresh once per bucket (no drift from adding and removing), kept by add() between.
    this.sums.forEach((s, series) => {
      let sum = 0;
      for (let i = 0; i < this.buckets; i++) sum += s[i] as number;
      this.totals[series] = sum;
    });
    return this;
  }

  /** Moves the window to the observation's time and counts its dials, live answers and abandons. */
  addCalls(o: PacingObservation): void {
    const c = o.counts;
    this.at(o.now);
    this.add(DIALS, c.dials);
    this.add(LIVES, c.liveAnswers);
    this.add(DROPS, c.abandons);
  }

  add(series: number, value: number): void {
    const s = this.sums[series] as Float64Array;
    const i = this.bucket % this.buckets;
    s[i] = (s[i] as number) + value;
    this.totals[series] = (this.totals[series] as number) + value;
  }

  /** The sum of the `n` oldest buckets: what falls out of the window over the next `n` buckets. */
  leaving(series: number, n: number): number {
    const s = this.sums[series] as Float64Array;
    let sum = 0;
    for (let k = 1; k <= n && k < this.buckets; k++) sum += s[(this.bucket + k) % this.buckets] as number;
    return sum;
  }

  total(series: number): number {
    return this.totals[series] as number;
  }
}
