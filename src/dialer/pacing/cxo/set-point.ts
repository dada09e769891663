import type { PacingLimits } from "../types.ts";
import type { DayBudget } from "./day-budget.ts";
import { SET_POINT_MIN_SHARE } from "./day-budget.ts";
import type { DaySpread } from "./day-spread.ts";
import type { FloorEstimate } from "./floor.ts";
import { type LegalWindow, WINDOW_GUARD_MIN_LIVES } from "./legal-window.ts";
import type { TimeOfDayPriors } from "./priors.ts";
import type { BudgetDay, RemainingBudget } from "./remaining-budget.ts";
import { AIM_MIN_SHARE, FLOOR_BOUND_SHARE, Z_ONE_PERCENT } from "./shared.ts";
import {
  boostOf,
  STEER_BOOST_Z,
  STEER_EARLY_SPREAD_SHARE,
  STEER_SPREAD_SHARE,
  steerFactorOf,
  steeringOn,
} from "./steering.ts";
import type { CxoTuning } from "./tuning.ts";

/** Before a day's volume (and so its binomial spread) is known, the aim is this share of the target. */
export const FIRST_DAY_MARGIN = 0.8;
/** The set point is moved by this multiple of the overspend (the window's or today's over the aim). */
const OVERSPEND_CORRECTION = 2;
/**
 * Under Ofcom's window with the operator's estimate of the people hung up on as machines (they
 * are counted, not left to the margin): the aim's ceiling × the target (0.8 without it): 81.6% of
 * a 2% target and 84.5% of 3% spent with every 24 hours under it, against 76.8% and 77.2% at 0.8.
 * An estimate of none (rate 0) counts nobody, and the margin stays: the other thing it holds is
 * the rolling window's own swing (with no one hung up on, at 0.9 a 2% target's worst 24 hours
 * reached 2.03%).
 */
const OFCOM_ESTIMATE_CEILING = 0.9;

/** The rules the set point reads, each with its own state. */
export interface SetPointRules {
  readonly limits: PacingLimits;
  readonly tuning: CxoTuning;
  /** The operator's estimate of people hung up on as machines, per machine verdict (0: none given). */
  readonly hiddenShare: number;
  readonly spread: DaySpread;
  readonly floor: FloorEstimate;
  readonly window: LegalWindow;
  readonly priors: TimeOfDayPriors;
  readonly dayBudget: DayBudget;
  readonly remaining: RemainingBudget;
}

/**
 * The abandonment the gain aims at now (spend the budget). The day's **aim** is what a day should
 * realise: the margin, and low enough that a day ends over the target on ≤ 1% of days — target −
 * 2.33 × the spread of its day rates around their plan (learnt; never below the binomial spread
 * of the detector's floor, which no pacing steers, nor a share of the binomial spread of a day's
 * live answers; the whole of it before the spread is learnt). The day's **plan** is the aim less
 * how far its days have ended from their plan on average (the short guard and the opening's
 * caution leave days below the set point): the rate the gain is set to, so the days realise the
 * aim. Over-spent so far (the window or today) lowers it, under-spent raises it, never above the
 * target. The steering's factor on the dials and the day's projected rate (the day guard's) are
 * set with it.
 */
export class SetPoint {
  /** The day's aim and plan at the last tick (NaN before the first). */
  aim = Number.NaN;
  plan = Number.NaN;
  /** Today's rate at its end if the people still to come are dropped at the plan (0 before the volume is learnt). */
  projected = 0;
  /** The factor on the dials: the steering's, or a budget rule's (1: none, or today on its aim). */
  steerFactor = 1;
  private readonly r: SetPointRules;
  /** The tick's aim, plan, spread, boost and today's counts: one object reused (a fresh one every second was garbage). */
  private readonly spent: BudgetDay = { aim: 0, plan: 0, spread: 0, boost: 0, drops: 0, lives: 0, toCome: 0 };

  constructor(rules: SetPointRules) {
    this.r = rules;
  }

  /** The set point for the tick of `day`. */
  next(day: number): number {
    const { limits, tuning, spread: days, floor, window } = this.r;
    const { target } = limits;
    const margin = tuning.margin;
    const ofcom = window.rolling24 !== null;
    const volume = days.volume;
    const floorRate = floor.rate;
    const learnt = days.learnt();
    const binomial = volume > 0 ? Math.sqrt((margin * target) / volume) : 0;
    // Drops no pacing removes (the detector's floor) are a binomial the budget cannot steer.
    const floorSpread = volume > 0 ? Math.sqrt(floorRate / volume) : 0;
    // Where the floor is most of the target, nothing steers most of the day's drops: the whole
    // binomial spread counts (a 1% target over a ~0.6% floor).
    const floorBound = floorRate >= FLOOR_BOUND_SHARE * target;
    const steering = steeringOn(limits, tuning.steer, volume, floorRate);
    const floorPart = floorBound ? floorSpread : 0;
    // The stronger steering (none where the floor is most of the target: nothing to steer with).
    const boost = steering && !floorBound ? boostOf(target, volume) : 0;
    // Steering takes the detector floor's chance out of a day's rate as well (its drops count in
    // today's, and pacing drops are cut for them), except where the floor is most of the target.
    const spread = steering
      ? learnt
        ? Math.max(days.missSpread, STEER_SPREAD_SHARE * binomial, floorPart)
        : Math.max(STEER_EARLY_SPREAD_SHARE * binomial, floorPart)
      : Math.max(
          learnt ? days.missSpread : 0,
          floorSpread,
          learnt && !floorBound && !ofcom ? tuning.spreadFloor * binomial : binomial,
        );
    // Under Ofcom's rolling 24 hours its guard binds first: an aim above 0.8 × the target (0.9
    // with the operator's estimate) only makes it fire, so the aim stays there at most, the whole
    // binomial counts in its spread and the plan is the aim. Where the floor is most of the
    // target, days end over the plan for the floor's sake and a lower plan would only cost
    // connects: the plan is the aim there too.
    const ceiling = ofcom
      ? Math.min(margin, this.r.hiddenShare > 0 ? OFCOM_ESTIMATE_CEILING : FIRST_DAY_MARGIN)
      : margin;
    const aim = Math.max(
      AIM_MIN_SHARE * target,
      Math.min(
        (volume > 0 ? ceiling : FIRST_DAY_MARGIN) * target,
        target - (Z_ONE_PERCENT + STEER_BOOST_Z * Math.min(1, 4 * boost)) * spread,
      ),
    );
    const plan = Math.max(
      AIM_MIN_SHARE * target,
      Math.min(
        tuning.planMax * target,
        // Under the stronger steering the plan is corrected by the days' habitual miss again, and
        // the steering aims at the plan as the gain does: with both at the aim, proportional
        // steering left days 0.1 point under it (its factor sits > 1 only while a day runs short);
        // with the gain at the plan and the steering at the aim the two pulled apart.
        aim -
          (learnt && !floorBound && !ofcom && !steering
            ? days.missMean
            : learnt && steering
              ? boost * days.missMean
              : 0),
      ),
    );
    this.aim = aim;
    this.plan = plan;
    const a = this.spent;
    a.aim = aim;
    a.plan = plan;
    a.spread = spread;
    a.boost = boost;
    return this.spend(day, steering, floorBound);
  }

  /** The aim and plan spent: the steering, the budget rules, the guards' projections, the set point. */
  private spend(day: number, steering: boolean, floorBound: boolean): number {
    const { limits, tuning, spread: days, floor, window, priors, dayBudget, remaining } = this.r;
    const { target } = limits;
    const a = this.spent;
    const { aim, plan } = a;
    a.lives = window.livesOn(day);
    a.drops = window.dropsOn(day);
    a.toCome = priors.peopleToCome();
    const today = a;
    this.steerFactor = steering ? steerFactorOf(tuning.steer, days.volume, aim, plan, a.boost, today) : 1;
    // At low targets on the FTC window the day's budget is re-planned at every tick instead.
    const budgetPlan = dayBudget.plan(target, days.volume, floor.read(), today);
    if (!Number.isNaN(budgetPlan)) {
      this.steerFactor = dayBudget.factor;
      this.aim = budgetPlan;
      this.plan = budgetPlan;
    }
    // The remaining budget: the dials steered against it, the gain at its rate.
    const budgetRest = floorBound ? Number.NaN : remaining.rest(days.volume, a);
    if (!Number.isNaN(remaining.factor) && !floorBound) this.steerFactor = remaining.factor;
    const windowRate = window.judge(aim);
    const todayRate = today.lives > 0 ? today.drops / today.lives : 0;
    // The day's guard: today's rate at its end if the people still to come today (the
    // time-of-day prior of its volume) are dropped at the plan. Before a day's volume is learnt
    // (the campaign's first day) nobody is foreseen. Where the calendar day is the legal window
    // the guard then judges today's rate so far (without it a first day ended at 2.16% against
    // 2%); elsewhere a first day over the target breaks no law, and the guard firing on it cost
    // the days after.
    this.projected =
      today.lives < WINDOW_GUARD_MIN_LIVES
        ? 0
        : !Number.isNaN(today.toCome)
          ? (today.drops + plan * today.toCome) / (today.lives + today.toCome)
          : limits.window === "day"
            ? today.drops / today.lives
            : 0;
    // The planner's set point: the rate its factor asks of the rest of the day.
    if (!Number.isNaN(budgetPlan)) return dayBudget.plannedSetPoint(budgetPlan, target);
    const over = Math.max(windowRate, todayRate) - aim;
    if (!Number.isNaN(budgetRest))
      return Math.max(SET_POINT_MIN_SHARE * plan, Math.min(tuning.planMax * target, budgetRest));
    return Math.max(SET_POINT_MIN_SHARE * plan, Math.min(target, plan - OVERSPEND_CORRECTION * over));
  }
}
