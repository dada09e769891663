import { RollingCounts } from "../rolling.ts";
import { type PacingLimits, WINDOW_SECONDS } from "../types.ts";
import { DAY } from "./shared.ts";

/** Ofcom's rolling counts: 10-minute buckets, 144 of them (24 hours). */
const ROLLING_BUCKET_SECONDS = 600;
const ROLLING_BUCKETS = 144;
/** The legal window's guard judges the window once it holds this many live answers. */
export const WINDOW_GUARD_MIN_LIVES = 200;
/** Ofcom's guard looks this many 10-minute buckets ahead: the hour about to fall out of the 24. */
const WINDOW_LEAD_BUCKETS = 6;

/**
 * What the controller counted in the legal window (people and drops), per day and in total, the
 * last 30 minutes (the short guard's) and, under Ofcom's rule, the last 24 hours from any moment
 * (kept in 10-minute buckets: the window is not the calendar day).
 */
export class LegalWindow {
  /** The last 30 minutes' people and drops (the short guard). */
  readonly recent = new RollingCounts(60, 30, 2);
  /** Ofcom's rolling 24 hours (null under a window of calendar days). */
  readonly rolling24: RollingCounts | null;
  /** The window's counted rate at the last judgement (an hour ahead too, under Ofcom's window). */
  rate = 0;
  /** Whether the rolling window held enough live answers to be judged. */
  judged = false;
  private readonly windowDays: number;
  private readonly dayLives: Float64Array;
  private readonly dayDrops: Float64Array;
  private windowLives = 0;
  private windowDrops = 0;

  constructor(limits: PacingLimits) {
    this.windowDays = Math.max(1, Math.round(WINDOW_SECONDS[limits.window] / DAY));
    this.dayLives = new Float64Array(this.windowDays);
    this.dayDrops = new Float64Array(this.windowDays);
    this.rolling24 =
      limits.window === "ofcom-24h" ? new RollingCounts(ROLLING_BUCKET_SECONDS, ROLLING_BUCKETS, 2) : null;
  }

  /** The tick's people and drops, counted on `day` at `now`. */
  add(day: number, now: number, people: number, drops: number): void {
    const slot = day % this.windowDays;
    this.dayLives[slot] = (this.dayLives[slot] as number) + people;
    this.dayDrops[slot] = (this.dayDrops[slot] as number) + drops;
    this.windowLives += people;
    this.windowDrops += drops;
    this.recent.at(now);
    this.recent.add(0, people);
    this.recent.add(1, drops);
    if (this.rolling24) {
      this.rolling24.at(now);
      this.rolling24.add(0, people);
      this.rolling24.add(1, drops);
    }
  }

  /** People counted on `day` (while it is in the window). */
  livesOn(day: number): number {
    return this.dayLives[day % this.windowDays] as number;
  }

  /** Drops counted on `day` (while it is in the window). */
  dropsOn(day: number): number {
    return this.dayDrops[day % this.windowDays] as number;
  }

  /** A new day `to` after `from`: the days that fell out of the window forgotten, the window's totals summed afresh. */
  roll(from: number, to: number): void {
    const { windowDays, dayLives, dayDrops } = this;
    if (!Number.isNaN(from))
      for (let d = from + 1; d <= to && d <= from + windowDays; d++) {
        dayLives[d % windowDays] = 0;
        dayDrops[d % windowDays] = 0;
      }
    // Summed afresh once a day (kept by each tick's counts between).
    this.windowLives = 0;
    this.windowDrops = 0;
    for (let i = 0; i < windowDays; i++) {
      this.windowLives += dayLives[i] as number;
      this.windowDrops += dayDrops[i] as number;
    }
  }

  /**
   * Judges the window: its counted rate now (returned), and in `rate` the larger of that and,
   * under Ofcom's rolling 24 hours, the rate an hour from now if the hour coming runs at `aim`
   * with yesterday's volume (a rolling window also rises when a good hour falls out of it).
   */
  judge(aim: number): number {
    let wl = this.windowLives;
    let wd = this.windowDrops;
    if (this.rolling24) {
      wl = this.rolling24.total(0);
      wd = this.rolling24.total(1);
    }
    const windowRate = wl > 0 ? wd / wl : 0;
    this.rate = windowRate;
    this.judged = false;
    if (this.rolling24 && wl >= WINDOW_GUARD_MIN_LIVES) {
      const outLives = this.rolling24.leaving(0, WINDOW_LEAD_BUCKETS);
      const outDrops = this.rolling24.leaving(1, WINDOW_LEAD_BUCKETS);
      this.rate = Math.max(windowRate, (wd - outDrops + aim * outLives) / wl);
      this.judged = true;
    }
    return windowRate;
  }
}
