import type { PacingLimits } from "../types.ts";
import { Z_ONE_PERCENT } from "./shared.ts";

/** In-day steering: the factor on the dials is kept within these bounds. */
export const STEER_MIN = 0.25;
const STEER_MAX = 1.25;
/** In-day steering's strength is `steer` per drop on a day of this many drops at the aim, less on larger days. */
export const STEER_REFERENCE_DROPS = 55;
/**
 * Under in-day steering the aim's spread is never below this share of a day's binomial spread
 * once the day-to-day spread is learnt, and this larger share before (from the second day).
 */
export const STEER_SPREAD_SHARE = 0.25;
export const STEER_EARLY_SPREAD_SHARE = 0.5;
/**
 * The stronger steering engages by the day's **need**: a day's binomial spread at the target as
 * a share of the target, √(target / people a day) / target. From 0 at NEED_FROM to full at
 * NEED_FULL (a 2% target on 22–25 agents: 0.15; the 50-agent example at 2–3%, 0.07–0.09, already
 * spends ~90% and keeps the plain steering), and off again from NEED_LAST to NEED_END: on a
 * 10-agent team at 2% (need 0.21) it cost 1.9% of connects at the same abandonment and still
 * spent only 79% of the target.
 */
const STEER_NEED_FROM = 0.1;
const STEER_NEED_FULL = 0.14;
const STEER_NEED_LAST = 0.18;
export const STEER_NEED_END = 0.21;
/**
 * And by the target: full from 2%, none at 1.5% or less. Connects bend hardest against
 * abandonment at low targets, so swinging the dials around the day's mean costs most there: at
 * 1% the 25- and 50-agent scenarios lost 1.3–1.7% of connects at the same abandonment.
 */
export const STEER_TARGET_FROM = 0.015;
const STEER_TARGET_FULL = 0.02;
/** Fully engaged: the factor's ceiling (STEER_MAX plain; days end short, so the ceiling binds first). */
export const STEER_BOOST_MAX = 2;
/**
 * Fully engaged, β grows as the day's people run out: × (people a day ÷ people still to come
 * today)^STEER_RAMP, at most × STEER_RAMP_CAP^STEER_RAMP (a miss late in the day has fewer people
 * left to be paid back on).
 */
const STEER_RAMP = 0.75;
const STEER_RAMP_CAP = 4;
/**
 * Engaged (in full from a quarter of the boost), the aim keeps (2.33 + this) spreads below the
 * target, not 2.33: the spread it is learnt from is small and uncertain (~9 days' weight); with
 * 2.33 a day in 120 still ended over 2% on the 22–25-agent scenarios, with 2.83 none in 180.
 */
export const STEER_BOOST_Z = 0.5;
/**
 * Where the detector's floor is this share of the target or more, cutting the dials buys next to
 * nothing: no steering, and no window or day guard.
 */
export const GUARD_FLOOR_SHARE = 0.75;

/**
 * Whether in-day steering is on: a day's volume known, not under Ofcom's window (its aim stays
 * low), not where the calendar day is the legal window (the higher aim steering allows put days
 * over a limit that is a breach there), and not where the floor (or the floor and a day's chance
 * at the target) reaches the target (there it would cut connects for drops no pacing removes, or
 * push the pacing drops it has room for into clusters).
 */
export function steeringOn(
  limits: PacingLimits,
  steer: number,
  dayVolume: number,
  floorRate: number,
): boolean {
  const { target } = limits;
  return (
    steer > 0 &&
    limits.window !== "ofcom-24h" &&
    limits.window !== "day" &&
    dayVolume > 0 &&
    floorRate < GUARD_FLOOR_SHARE * target &&
    floorRate + Z_ONE_PERCENT * Math.sqrt(target / dayVolume) < target
  );
}

/** The stronger steering's share (0–1) on days of `volume` people: by the day's need and the target. */
export function boostOf(target: number, volume: number): number {
  const need = Math.sqrt(target / volume) / target;
  const byNeed = Math.max(
    0,
    Math.min(
      1,
      (need - STEER_NEED_FROM) / (STEER_NEED_FULL - STEER_NEED_FROM),
      (STEER_NEED_END - need) / (STEER_NEED_END - STEER_NEED_LAST),
    ),
  );
  const byTarget = Math.max(
    0,
    Math.min(1, (target - STEER_TARGET_FROM) / (STEER_TARGET_FULL - STEER_TARGET_FROM)),
  );
  return byNeed * byTarget;
}

/**
 * In-day steering's factor on the dials: today's drops over (or under) the plan × today's people
 * scale them, e^(−β × excess). Its strength per drop: `steer` on a day of STEER_REFERENCE_DROPS
 * drops at the aim, less on larger days in proportion to the square root (the day's chance in
 * drops grows so: at 0.02 a drop a 120-agent team's ~1,200 drops a day kept the factor at its
 * bounds and cost 0.4% of connects for no spend). The stronger steering (`boost`): twice β,
 * growing as the day's people run out, the factor up to STEER_BOOST_MAX.
 */
export function steerFactorOf(
  steer: number,
  dayVolume: number,
  aim: number,
  plan: number,
  boost: number,
  today: { drops: number; lives: number; toCome: number },
): number {
  const beta = steer * Math.min(1, Math.sqrt(STEER_REFERENCE_DROPS / (aim * dayVolume)));
  const ramp =
    boost <= 0 || Number.isNaN(today.toCome)
      ? 1
      : Math.min(STEER_RAMP_CAP, dayVolume / Math.max(1, today.toCome)) ** (STEER_RAMP * boost);
  return Math.max(
    STEER_MIN,
    Math.min(
      STEER_MAX + (STEER_BOOST_MAX - STEER_MAX) * boost,
      Math.exp(-beta * (1 + boost) * ramp * (today.drops - plan * today.lives)),
    ),
  );
}
