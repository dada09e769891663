import type { PacingLimits } from "../types.ts";
import { rateLeftToday, Z_ONE_PERCENT } from "./shared.ts";
import {
  STEER_BOOST_MAX,
  STEER_BOOST_Z,
  STEER_MIN,
  STEER_NEED_END,
  STEER_REFERENCE_DROPS,
  STEER_TARGET_FROM,
} from "./steering.ts";

/**
 * The remaining budget (the small teams' 2–3% cells). Where a day's chance is largest against
 * the target the day's aim keeps room for a whole day's chance all day long, and most of it is
 * left unspent at the close (76–85% spent). The budget is re-planned at every tick: the target ×
 * today's people (so far and still to come by the time-of-day prior) − today's drops − a margin
 * for the chance still to come, over the people still to come: the rate the gain aims at for the
 * rest of the day. The margin shrinks as a random walk's (the aim's z × spread × √(people a day ×
 * people to come)) and is never under BUDGET_Z × √(cluster × the reference rate × people to
 * come), the drops still to come that no later tick can steer (drops come in pairs when two
 * answers find no agent). The dials are steered as well, by today's drops against the reference
 * path with the aim's margin so shrunk. Engaged by the day's need (√(target ÷ people a day) ÷
 * target): from BUDGET_NEED_DAY where the calendar day is the legal window, and elsewhere only
 * where the stronger steering is off for a day's chance (STEER_NEED_END); between, the stronger
 * steering serves and keeps the day (engaged on every FTC team it spent more but cost connects at
 * the same abandonment). At targets over 1.5% only, not under Ofcom's window (any 24 hours, not a
 * day) nor where the detector's floor is most of the target.
 */
const BUDGET_NEED_DAY = 0.1;
const BUDGET_NEED = STEER_NEED_END;
const BUDGET_AIM_Z = 1.5;
const BUDGET_Z = Z_ONE_PERCENT;
/**
 * The reference and the cluster factor. Where the calendar day is the legal window (a day over is
 * a breach) the reference rate is the aim and the cluster 0.75: with the plan (the aim less the
 * days' habitual miss, which the budget's own late spending raises) the plan fell to 0.4 × the
 * target, the dials sat at their ceiling all day and a day ended at 2.10% of a 2% target.
 * Elsewhere the plan and 0.5: with the aim a 10-agent team at 3% lost 4% of its connects.
 */
const BUDGET_CLUSTER_DAY = 0.75;
const BUDGET_CLUSTER = 0.5;
/** The budget's steering is this many times the in-day steering's β. */
const BUDGET_BETA = 4;

/** What the remaining budget reads of today and of the day's aim. */
export interface BudgetDay {
  aim: number;
  plan: number;
  spread: number;
  boost: number;
  drops: number;
  lives: number;
  toCome: number;
}

/** The remaining budget: the rate for the rest of today and, in `factor`, the dials' steering against it. */
export class RemainingBudget {
  /** The dials' factor set by the last `rest` (NaN: none set). */
  factor = Number.NaN;
  private readonly limits: PacingLimits;
  private readonly steer: number;

  constructor(limits: PacingLimits, steer: number) {
    this.limits = limits;
    this.steer = steer;
  }

  /** Whether it is engaged on days of `dayVolume` people (by the day's need, the target and the window). */
  on(dayVolume: number): boolean {
    const { target, window } = this.limits;
    if (window === "ofcom-24h" || dayVolume <= 0 || target <= STEER_TARGET_FROM) return false;
    const need = Math.sqrt(target / dayVolume) / target;
    return need >= (window === "day" ? BUDGET_NEED_DAY : BUDGET_NEED);
  }

  /**
   * Where engaged: the rate the gain aims at for the rest of today (NaN where not engaged, or
   * nobody is to come), and in `factor` the dials' steering (NaN before the forecast exists).
   */
  rest(dayVolume: number, d: BudgetDay): number {
    this.factor = Number.NaN;
    if (!this.on(dayVolume)) return Number.NaN;
    const { target } = this.limits;
    const dayWindow = this.limits.window === "day";
    const reference = dayWindow ? d.aim : d.plan;
    const cluster = dayWindow ? BUDGET_CLUSTER_DAY : BUDGET_CLUSTER;
    const zAim = Z_ONE_PERCENT + STEER_BOOST_Z * Math.min(1, 4 * d.boost);
    if (!Number.isNaN(d.toCome)) {
      const margin = this.margin(reference, cluster, zAim * d.spread, d.lives, d.toCome);
      const excess = d.drops + reference * d.toCome + margin - target * (d.lives + d.toCome);
      this.factor = this.steerOf(dayVolume, d.aim, d.boost, excess);
    }
    // The chance of the rest at the target where a day over is a breach (the rate it may run at).
    if (Number.isNaN(d.toCome) || d.toCome < 1) return Number.NaN;
    const margin = this.margin(
      dayWindow ? target : d.plan,
      cluster,
      BUDGET_AIM_Z * d.spread,
      d.lives,
      d.toCome,
    );
    return rateLeftToday(target, d.drops, d.lives, d.toCome, margin);
  }

  /**
   * The margin kept for the chance of today's people still to come: the aim's (`zSpread` ×
   * people a day) shrunk as a random walk's, never under BUDGET_Z × √(cluster × the reference
   * rate × people to come).
   */
  private margin(
    reference: number,
    cluster: number,
    zSpread: number,
    todayL: number,
    toCome: number,
  ): number {
    return Math.max(
      zSpread * Math.sqrt((todayL + toCome) * toCome),
      BUDGET_Z * Math.sqrt(cluster * reference * toCome),
    );
  }

  /**
   * The dials × e^(−β × `excess` drops), β BUDGET_BETA × the in-day steering's at `aim` × (1 +
   * `boost`), within [STEER_MIN, STEER_BOOST_MAX].
   */
  private steerOf(dayVolume: number, aim: number, boost: number, excess: number): number {
    const beta =
      BUDGET_BETA *
      this.steer *
      (1 + boost) *
      Math.min(1, Math.sqrt(STEER_REFERENCE_DROPS / (aim * dayVolume)));
    return Math.max(STEER_MIN, Math.min(STEER_BOOST_MAX, Math.exp(-beta * excess)));
  }
}
