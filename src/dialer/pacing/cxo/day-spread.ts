import { SPREAD_MIN_DAY_LIVES } from "./priors.ts";

/** Day volume, exponentially weighted: the old value's weight and the new day's. */
const DAY_VOLUME_KEEP = 0.7;
const DAY_VOLUME_NEW = 0.3;
/** Mean and mean square of how far each day's rate ended from its plan, exponentially weighted. */
const DAY_RATE_KEEP = 0.8;
const DAY_RATE_NEW = 0.2;
/** Days seen before the learnt spread is used. */
const SPREAD_MIN_DAYS = 5;

/**
 * The campaign's own days: a day's volume (people counted) and how far each day's rate ended
 * from the day's plan — the mean of that miss and its spread, exponentially weighted — learnt
 * once a day from yesterday's counts.
 */
export class DaySpread {
  /** People a day (0 until a day of SPREAD_MIN_DAY_LIVES or more is seen). */
  volume = 0;
  /** The days' mean miss of their plan, and its spread. */
  missMean = 0;
  missSpread = 0;
  private missSquare = 0;
  private pacedDays = 0;
  /** The first day's miss was left out (the second day's then seeds the mean and the square). */
  private firstMissSkipped = false;

  /** Enough days seen for the learnt spread to be used. */
  learnt(): boolean {
    return this.pacedDays >= SPREAD_MIN_DAYS;
  }

  /**
   * Yesterday's people and drops against its `plan`. The campaign's first day is left out of the
   * misses when `skipFirst` says so (read after the volume is learnt): a first day the gain
   * spent climbing from a low start, or one unsteered where the stronger steering follows — its
   * miss is not what a steered day misses by, and with the weight of a first value it held the
   * aim low for a week.
   */
  learn(lives: number, drops: number, plan: number, skipFirst: () => boolean): void {
    if (lives < SPREAD_MIN_DAY_LIVES) return;
    const rate = drops / lives;
    this.volume = this.volume > 0 ? DAY_VOLUME_KEEP * this.volume + DAY_VOLUME_NEW * lives : lives;
    this.pacedDays++;
    if (this.pacedDays === 1 && skipFirst()) {
      this.firstMissSkipped = true;
      return;
    }
    const first = this.pacedDays === (this.firstMissSkipped ? 2 : 1);
    if (!Number.isNaN(plan)) {
      const miss = rate - plan;
      this.missMean = first ? miss : DAY_RATE_KEEP * this.missMean + DAY_RATE_NEW * miss;
      this.missSquare = first ? miss * miss : DAY_RATE_KEEP * this.missSquare + DAY_RATE_NEW * miss * miss;
      this.missSpread = Math.sqrt(Math.max(0, this.missSquare - this.missMean * this.missMean));
    }
  }
}
