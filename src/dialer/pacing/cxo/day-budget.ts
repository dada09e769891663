import type { PacingLimits } from "../types.ts";
import type { FloorEstimate } from "./floor.ts";
import { FLOOR_MIN_PEOPLE } from "./floor.ts";
import { AIM_MIN_SHARE, BUDGET_MIN_REST_SHARE, rateLeftToday, Z_ONE_PERCENT } from "./shared.ts";
import { STEER_TARGET_FROM } from "./steering.ts";

/**
 * The day's budget re-planned at every tick: at targets under STEER_TARGET_FROM on the FTC
 * window, where the day is the line (≤ 1% of days over) and the detector's floor alone leaves
 * room under the target. The budget left for the rest of the day is target × (people so far +
 * people still to come) − drops so far − a reserve of 2.33 spreads of the drops of the day's tail
 * (which nothing after can pay back); the dials for the rest are scaled so its pacing drops fit.
 * Floor drops seen early are paid for by pacing less later; only the tail's are held in reserve.
 * Without it the example and its four variants spend 75–76% of a 1% target; with it 86–87%, 0–3
 * days of 300 over, as many connects per agent-hour.
 */
/** The reserve covers the day's drops over at most this share of its people (the day's tail). */
const BUDGET_TAIL_SHARE = 0.1;
/** …never less than this share of them (the end no pacing answers to in time). */
const BUDGET_END_SHARE = 0.05;
/**
 * Pacing drops come in clusters (every agent busy at once): in the reserve's variance a person
 * counts the floor's chance + this multiple of the pacing room (target − floor).
 */
const BUDGET_PACING_CLUSTER = 2.5;
/** Pacing drops grow about as the dials' factor to this power: the factor is the wanted ratio's root. */
const BUDGET_RESPONSE = 2;
/** The factor's ceiling (the plain steering's). */
const BUDGET_FACTOR_MAX = 1.25;
/**
 * Its floor: cutting the dials further (to the steering's 0.25, near progressive, when the floor
 * ran hot early) paid for more days' floor but cost ~1.5% of connects on the example at 1%; at
 * 0.6 no more days over and as many connects.
 */
const BUDGET_FACTOR_MIN = 0.6;
/**
 * The planner is off on a day where the floor's own chance (floor + this many of a day's binomial
 * spreads at it) reaches the target: at 2.33 it planned days the floor rules, one of them over 1%.
 */
const BUDGET_FLOOR_Z = 3;
/** …read from at least this many people (effective, the estimate's weights counted): ~2 days of the example. */
const BUDGET_FLOOR_PEOPLE = 8000;
/**
 * A floor-light day: the floor as read at the day's opening under this share of the target. The
 * day's drops are then pacing drops the dials answer for, and the planner's constants above,
 * fitted where the floor is most of the target, leave its budget unspent (77.6% and 70.0% of 1% on
 * the two floor-light scenarios). Three changes on such a day:
 * - the gain's loop weighs a hot half hour's pacing drops as any other (BUDGET_LIGHT_HOT_WEIGHT in
 *   place of the ordinary hot weight): drops come in clusters and a good share fall in hot half
 *   hours, and with the extra weight the gain settled where the days made 75% of the pacing drops
 *   the set point asked for (the hot half hour still cuts the dials);
 * - the reserve's cluster term BUDGET_LIGHT_CLUSTER: the 2.5 covers floor-heavy days, which a
 *   floor-light day is not (its pacing drops come 1.3–1.8 to a minute);
 * - the factor up to BUDGET_LIGHT_FACTOR_MAX and the set point up to BUDGET_LIGHT_SET_MAX × the
 *   target: a team's thin mornings and evenings make fewer drops for the same dials, so the budget
 *   they leave is spent while the whole team is in.
 * Together: 86.9% and 86.8% spent, no day over, connects per agent-hour as before (±0.4%).
 */
const BUDGET_LIGHT_FLOOR_SHARE = 0.25;
const BUDGET_LIGHT_HOT_WEIGHT = 0;
const BUDGET_LIGHT_CLUSTER = 1.25;
const BUDGET_LIGHT_FACTOR_MAX = 1.5;
const BUDGET_LIGHT_SET_MAX = 1.2;
/** The set point is never below this share of the day's plan. */
export const SET_POINT_MIN_SHARE = 0.25;

/** The day's planner: judged at each day's opening, then re-planned at every tick of the days it holds. */
export class DayBudget {
  /** Today's budget is re-planned at every tick (judged at the day's opening). */
  day = false;
  /** …and the floor under a quarter of the target there. */
  light = false;
  /** The dials' factor for the rest of today (set by `plan`). */
  factor = 1;
  /** The rate the factor asks of the rest of the day (set by `plan`). */
  private setPoint = 0;

  /**
   * Judges today at its opening (judged at every tick, a floor estimate near the line switched
   * days half-way, to a lower aim, and a day ended over). Not at targets from STEER_TARGET_FROM up
   * (the stronger steering's), under Ofcom's rolling window or the calendar day (their own
   * guards), on the campaign's first day (no volume, no time-of-day forecast), on a young floor
   * estimate (one read 0.35–0.5% on a 0.57% floor's first days and planned days the floor rules),
   * nor where the detector's floor alone puts a day near the target (nothing left to re-plan with).
   */
  open(limits: PacingLimits, dayVolume: number, floor: FloorEstimate): void {
    this.day = this.applies(limits, dayVolume, floor);
    this.light = this.day && floor.read() < BUDGET_LIGHT_FLOOR_SHARE * limits.target;
  }

  private applies(limits: PacingLimits, volume: number, floor: FloorEstimate): boolean {
    const { target } = limits;
    if (target >= STEER_TARGET_FROM || limits.window === "ofcom-24h" || limits.window === "day") return false;
    if (volume <= 0) return false;
    if (floor.readyPeople() < FLOOR_MIN_PEOPLE || floor.readyEffectivePeople() < BUDGET_FLOOR_PEOPLE)
      return false;
    const f = floor.read();
    return f + BUDGET_FLOOR_Z * Math.sqrt(f / volume) < target;
  }

  /**
   * On the planner's days, once the time-of-day forecast of the day's people exists: the day's
   * plan — target − the reserve of a whole day's tail ÷ a day's people — and in `factor` the
   * dials' factor for the rest of today: the rate the rest may run at (the budget left less the
   * reserve of what is left of the tail, over the people still to come), its pacing part (less
   * the floor) against the plan's, through the BUDGET_RESPONSE-th root, within its bounds. Floor
   * drops (or a cluster of pacing drops) early in a day thus cut the rest's dials, a quiet
   * morning raises them. NaN on other days.
   */
  plan(
    target: number,
    volume: number,
    floor: number,
    today: { drops: number; lives: number; toCome: number },
  ): number {
    if (!this.day || Number.isNaN(today.toCome)) return Number.NaN;
    const light = this.light;
    const perPerson =
      floor + (light ? BUDGET_LIGHT_CLUSTER : BUDGET_PACING_CLUSTER) * Math.max(0, target - floor);
    const tail = BUDGET_TAIL_SHARE * volume;
    const reserveOf = (people: number) =>
      Z_ONE_PERCENT * Math.sqrt(perPerson * Math.max(BUDGET_END_SHARE * volume, Math.min(people, tail)));
    const plan = Math.max(AIM_MIN_SHARE * target, target - reserveOf(volume) / volume);
    const rest = Math.max(BUDGET_MIN_REST_SHARE * volume, today.toCome);
    const restRate = rateLeftToday(target, today.drops, today.lives, rest, reserveOf(rest));
    const wanted = (restRate - floor) / Math.max(1e-6, plan - floor);
    const factor =
      wanted <= 0
        ? BUDGET_FACTOR_MIN
        : Math.max(
            BUDGET_FACTOR_MIN,
            Math.min(light ? BUDGET_LIGHT_FACTOR_MAX : BUDGET_FACTOR_MAX, wanted ** (1 / BUDGET_RESPONSE)),
          );
    this.factor = factor;
    this.setPoint = floor + (plan - floor) * factor ** BUDGET_RESPONSE;
    return plan;
  }

  /**
   * The set point on a planner's day: the rate its factor asks of the rest of the day, at most the
   * target (BUDGET_LIGHT_SET_MAX × it on a floor-light day). The gain so learns only how far the
   * dials' response errs, not the factor's own swing (aimed at the day's plan, it unlearnt each
   * evening's spend and the next morning ran short).
   */
  plannedSetPoint(plan: number, target: number): number {
    const cap = (this.light ? BUDGET_LIGHT_SET_MAX : 1) * target;
    return Math.max(SET_POINT_MIN_SHARE * plan, Math.min(cap, this.setPoint));
  }

  /** The extra weight of a hot half hour's pacing drops in the gain's loop (`ordinary`; none on a floor-light day). */
  hotDropWeight(ordinary: number): number {
    return this.light ? BUDGET_LIGHT_HOT_WEIGHT : ordinary;
  }
}
