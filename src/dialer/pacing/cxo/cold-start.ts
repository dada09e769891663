import type { FloorEstimate } from "./floor.ts";
import { FLOOR_BOUND_SHARE } from "./shared.ts";

/**
 * The gain a campaign starts from. It learns down only by the pacing drops it makes (each cuts
 * it by ~8% on the first answers), so a start above where the gain settles is paid for in drops
 * on the campaign's first day, before the detector's floor and a day's volume are known; a start
 * below is paid in connects while good answers raise it. Where a day's pacing drops are few the
 * first cost dominates: at a 1% target over a 0.6% detector floor a start at 0.5 ended the first
 * day over the target on most seeds of the small teams, which progressive never does. So the
 * start falls with the target below COLD_START_FULL_TARGET, as its square (the pacing drops a
 * target leaves fall faster than the target: the floor takes its share first): 0.125 at 1%. From
 * 2% up, 0.5. Where the floor is small the low start only costs connects (the gain climbs back on
 * good answers alone, slowly on a thin list), so it is lifted to 0.5 once the floor's upper bound
 * (COLD_START_RELEASE_PEOPLE people read) is under half the target.
 */
export const COLD_START_GAIN = 0.5;
const COLD_START_FULL_TARGET = 0.02;
const COLD_START_RELEASE_PEOPLE = 500;

export function coldStartGain(target: number): number {
  return COLD_START_GAIN * Math.min(1, (target / COLD_START_FULL_TARGET) ** 2);
}

/** The low start: held until the floor is read, and whether the campaign started low. */
export class ColdStart {
  /** The gain started low and is not lifted yet. */
  held: boolean;
  /** The campaign started low: its first day's miss is no day's (the gain spent it climbing). */
  readonly started: boolean;

  constructor(initialGain: number) {
    this.held = initialGain < COLD_START_GAIN;
    this.started = this.held;
  }

  /**
   * Judged at a day's end while held: once the floor as the ready ticks read it, its drops one
   * Poisson standard error up (plus one), is under half the target on COLD_START_RELEASE_PEOPLE
   * people or more, the floor is not what a low target fights and `lift` raises the gain to the
   * ordinary start. Over it, the start stays low for good.
   */
  judge(floor: FloorEstimate, target: number, lift: (gain: number) => void): void {
    if (!this.held) return;
    const n = floor.readyPeople();
    if (n < COLD_START_RELEASE_PEOPLE) return;
    this.held = false;
    const d = floor.readyDrops() + 1;
    if ((d + Math.sqrt(d)) / n >= FLOOR_BOUND_SHARE * target) return;
    lift(COLD_START_GAIN);
  }
}
