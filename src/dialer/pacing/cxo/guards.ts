import type { PacingLimits } from "../types.ts";
import type { LegalWindow } from "./legal-window.ts";
import { GUARD_FLOOR_SHARE } from "./steering.ts";
import type { CxoTuning } from "./tuning.ts";

/** The short guard reads the last 30 minutes once they hold this many live answers. */
const HOT_MIN_LIVES = 20;
/** The short guard's line: chance's reach (this many binomial standard deviations), never under this multiple of the target. */
const HOT_CHANCE_Z = 2;
export const HOT_MIN_FACTOR = 1.5;
export const HOT_MAX_FACTOR = 2;

/**
 * The guards that cut the dials (× `hotCut`) and weigh pacing drops harder in the gain's loop:
 * the short guard (the last 30 minutes over their line), the window's (the legal window's
 * counted rate, now or an hour ahead under Ofcom's, over `windowGuard` × the target) and the
 * day's (today's projected rate over `dayGuard` × the target). The last two stay off where the
 * detector's floor is most of the target: cutting the dials buys next to nothing there (the
 * frontier's foot, where they cost connects for no abandonment).
 */
export function isHot(
  limits: PacingLimits,
  tuning: CxoTuning,
  window: LegalWindow,
  floorRate: number,
  dayProjected: number,
): boolean {
  const recentLives = window.recent.total(0);
  const guarded = floorRate < GUARD_FLOOR_SHARE * limits.target;
  return (
    (recentLives >= HOT_MIN_LIVES &&
      window.recent.total(1) > hotShare(limits, tuning, recentLives) * recentLives) ||
    (guarded && window.judged && window.rate > tuning.windowGuard * limits.target) ||
    (guarded && dayProjected > tuning.dayGuard * limits.target)
  );
}

/**
 * The short guard's line for a half hour of `lives` live answers: what chance alone leaves at the
 * target (target + 2 binomial standard deviations), between 1.5 × and `hotMax` × the target (or
 * the tuning's fixed `hotFactor`). On a small team's thin half hours chance alone reaches 2 × the
 * target, and a guard at 1.5 × fired for nothing and cost connects; on a large team's thick ones
 * 2 × let real clusters of drops through, so there the line stays at 1.5 ×. Under Ofcom's window
 * (`hotMax` 1.5) the line is 1.5 ×.
 */
export function hotShare(limits: PacingLimits, tuning: CxoTuning, lives: number): number {
  const { target } = limits;
  if (tuning.hotFactor !== undefined) return tuning.hotFactor * target;
  const chance = target + HOT_CHANCE_Z * Math.sqrt((target * (1 - target)) / lives);
  const max = limits.window === "ofcom-24h" ? HOT_MIN_FACTOR : HOT_MAX_FACTOR;
  return Math.min(max * target, Math.max(HOT_MIN_FACTOR * target, chance));
}
