/**
 * Event counts over a rolling time window, in fixed buckets (no allocation per tick): the
 * controllers' "last 30 minutes" / "last hour" statistics.
 */
export class RollingCounts {
  private readonly sums: Float64Array[];
  private bucket = Number.NaN;
  private readonly bucketSeconds: number;
  private readonly buckets: number;

  constructor(bucketSeconds: number, buckets: number, series: number) {
    this.bucketSeconds = bucketSeconds;
    this.buckets = buckets;
    this.sums = Array.from({ length: series }, () => new Float64Array(buckets));
  }

  /** Moves the window to `now`, clearing buckets that fell out. */
  at(now: number): this {
    const b = Math.floor(now / this.bucketSeconds);
    if (Number.isNaN(this.bucket) || b - this.bucket >= this.buckets) {
      for (const s of this.sums) s.fill(0);
    } else {
      for (let i = this.bucket + 1; i <= b; i++) for (const s of this.sums) s[i % this.buckets] = 0;
    }
    this.bucket = b;
    return this;
  }

  add(series: number, value: number): void {
    const s = this.sums[series] as Float64Array;
    const i = this.bucket % this.buckets;
    s[i] = (s[i] as number) + value;
  }

  total(series: number): number {
    const s = this.sums[series] as Float64Array;
    let sum = 0;
    for (let i = 0; i < this.buckets; i++) sum += s[i] as number;
    return sum;
  }
}
