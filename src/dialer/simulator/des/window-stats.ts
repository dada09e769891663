import { batchRatio, type RatioEstimate } from "./batch-means.ts";
import type { SimParams } from "./params.ts";

/**
 * What the DES measures over its window (after the warm-up, to the end): counts of what
 * happened in it, time integrals of the state, and live answers and abandons per batch for the
 * batch-means confidence interval. The warm-up's events run the same model but count nowhere.
 */
export class WindowStats {
  readonly start: number;
  readonly end: number;
  readonly seconds: number;
  private readonly batches: number;
  private readonly batchLength: number;
  private readonly batchLive: Float64Array<ArrayBuffer>;
  private readonly batchAbandoned: Float64Array<ArrayBuffer>;

  dials = 0;
  machines = 0;
  noAnswers = 0;
  busies = 0;
  blocked = 0;
  lives = 0;
  connects = 0;
  abandoned = 0;
  queued = 0;
  overTau = 0;
  peakChannels = 0;
  servedWaitSum = 0;
  waitAllSum = 0;
  holdingSum = 0;
  holdingCount = 0;

  busyIntegral = 0;
  channelIntegral = 0;
  waitingIntegral = 0;
  levelIntegral = 0;

  constructor(params: SimParams) {
    this.start = params.warmupSeconds;
    this.seconds = params.hours * 3600;
    this.end = this.start + this.seconds;
    this.batches = params.batches;
    this.batchLength = this.seconds / this.batches;
    this.batchLive = new Float64Array(this.batches);
    this.batchAbandoned = new Float64Array(this.batches);
  }

  contains(t: number): boolean {
    return t >= this.start && t < this.end;
  }

  /** A live answer at `t` (in the window), for its batch. */
  countLive(t: number): void {
    const batch = this.batchOf(t);
    this.batchLive[batch] = (this.batchLive[batch] as number) + 1;
  }

  /** An abandon of the call that was ready at `readyAt` (in the window), for that batch. */
  countAbandoned(readyAt: number): void {
    const batch = this.batchOf(readyAt);
    this.batchAbandoned[batch] = (this.batchAbandoned[batch] as number) + 1;
  }

  /** Adds the state held from `from` to `t` to the integrals, for the part inside the window. */
  integrate(
    from: number,
    t: number,
    busyAgents: number,
    channels: number,
    waiting: number,
    level: number,
  ): void {
    if (t <= this.start) return;
    const lo = from > this.start ? from : this.start;
    const hi = t < this.end ? t : this.end;
    if (hi > lo) {
      const span = hi - lo;
      this.busyIntegral += busyAgents * span;
      this.channelIntegral += channels * span;
      this.waitingIntegral += waiting * span;
      this.levelIntegral += level * span;
    }
  }

  /** Abandoned ÷ live answers with its 95% interval over the batches. */
  abandonment(): RatioEstimate {
    const ratio = batchRatio(this.batchAbandoned, this.batchLive);
    // No drop seen: batch means say [0, 0]; the rule of three (95% upper bound 3/n) is honest.
    if (this.abandoned === 0 && this.lives > 0) ratio.high = Math.min(1, 3 / this.lives);
    return ratio;
  }

  private batchOf(t: number): number {
    return Math.min(this.batches - 1, Math.floor((t - this.start) / this.batchLength));
  }
}
