import type { PacingWindow } from "../pacing/types.ts";
import {
  emptyBudget,
  recordInWindow,
  type WindowBudget,
  type WindowFigures,
  windowFigures,
} from "./window-budget.ts";

/**
 * The production platform's budget guard, without I/O. On NICE's production platform Personal
 * Connection paces the calls itself and holds its abandon target per business unit per calendar
 * day; the FTC counts per campaign over 30 days. The guard keeps the campaign's window budget
 * (live answers and abandons per hour, window-budget.ts, fed from the platform's counts of
 * today) and, when the budget runs short, lowers the skill's abandon target, and its maximum
 * ratio to 1 (progressive) when even the lowest target cannot bring the window back; when the
 * budget recovers it raises them back, bounded, never above what the skill had when the guard
 * first read it.
 *
 * The rule: with `A` live answers and `D` abandons in the window and `E` live answers expected
 * in one more day (the window's average per day), the day's rate that leaves the window at the
 * target after one more day is `allowed = target + (target·A − D) / E`. The skill's abandon
 * target becomes `MARGIN × allowed`, rounded down to 0.1 point (the platform's precision),
 * within [FLOOR_SHARE × target, the skill's own target]; below the floor the ratio goes to 1.
 * Lowering is applied at once (the law does not wait); raising waits `minIntervalMs` since the
 * last change, moves the target at most RAISE_STEP and the ratio at most `maxRatioStep`, and
 * only when the target would rise by at least HYSTERESIS (no flapping around a boundary).
 *
 * The state is plain JSON: `cxo serve` keeps it in the store, so the window, the skill's own
 * settings and the guard's last decision survive a restart or a failover.
 */
export interface GuardSettings {
  /** The skill's abandon target, a fraction (3% = 0.03). */
  abandonTarget: number;
  /** The skill's maximum dial ratio (1 = progressive). */
  maximumRatio: number;
}

/** The platform's counts of the current day for one skill (live port `today`). */
export interface GuardDayCounts {
  /** Start of the counted day (ISO 8601): a new value means a new day. */
  since: string;
  connects: number;
  abandons: number;
}

export interface BudgetGuardState {
  kind: "guard";
  budget: WindowBudget;
  /** Today's counts as last read: the next read's differences are what happened since. */
  last: GuardDayCounts | null;
  /** The skill's settings when the guard first read them: the ceiling it raises back to. */
  baseline: GuardSettings | null;
  /** What the guard last applied (null: the skill is as the guard found it). */
  applied: GuardSettings | null;
  changedAtMs: number | null;
}

export interface BudgetGuardOptions {
  /** The legal target (a fraction) and window the campaign's spec names. */
  target: number;
  window: PacingWindow;
  /** Largest rise of the maximum ratio per change. */
  maxRatioStep: number;
  /** Least time between a change and a rise. */
  minIntervalMs: number;
}

export interface BudgetGuardStep {
  state: BudgetGuardState;
  /** The settings to write now, or null to leave the skill alone. */
  apply: GuardSettings | null;
  /** Why (for the log, the journal's narration and the dashboard). */
  reason: string;
  figures: WindowFigures;
  /** The day's abandonment the window can afford (null: too little data to judge). */
  allowed: number | null;
}

/** Share of the allowed rate the skill is given: Personal Connection's own control is not exact. */
export const MARGIN = 0.9;
/** The lowest abandon target, as a share of the legal target; below it the ratio goes to 1. */
export const FLOOR_SHARE = 0.25;
/** Largest rise of the abandon target per change (half a point). */
export const RAISE_STEP = 0.005;
/** A rise smaller than this is not worth a change (0.2 point). */
export const HYSTERESIS = 0.002;
/** The platform takes the abandon target to one decimal of a percent. */
const PRECISION = 0.001;
/** Fewer live answers in the window than this: too little to judge, leave the skill alone. */
export const MIN_ANSWERS = 100;

export function initialGuardState(window: PacingWindow, target: number): BudgetGuardState {
  return {
    kind: "guard",
    budget: emptyBudget(window, target),
    last: null,
    baseline: null,
    applied: null,
    changedAtMs: null,
  };
}

export const isGuardState = (value: unknown): value is BudgetGuardState =>
  typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "guard";

/** Adds what the platform counted since the last read to the window. */
export function recordDay(state: BudgetGuardState, today: GuardDayCounts, nowMs: number): BudgetGuardState {
  const last = state.last;
  let lives: number;
  let drops: number;
  if (!last || last.since !== today.since) {
    // A first read, or a new day: everything counted today is new.
    lives = today.connects;
    drops = today.abandons;
  } else {
    // Counts that went backwards (the platform revised its figures) count nothing; the next
    // read's differences start from the revised figures.
    lives = Math.max(0, today.connects - last.connects);
    drops = Math.max(0, today.abandons - last.abandons);
  }
  const budget = lives > 0 || drops > 0 ? recordInWindow(state.budget, nowMs, lives, drops) : state.budget;
  return { ...state, budget, last: { ...today } };
}

export function guardStep(
  options: BudgetGuardOptions,
  state: BudgetGuardState,
  today: GuardDayCounts,
  found: GuardSettings,
  nowMs: number,
): BudgetGuardStep {
  const baseline = state.baseline ?? found;
  const recorded = { ...recordDay(state, today, nowMs), baseline };
  const figures = windowFigures(recorded.budget, nowMs);
  const current = recorded.applied ?? baseline;
  const leave = (reason: string, allowed: number | null): BudgetGuardStep => ({
    state: recorded,
    apply: null,
    reason,
    figures,
    allowed,
  });
  if (figures.liveAnswers < MIN_ANSWERS)
    return leave(
      `${figures.liveAnswers} live answers in the window: too few to judge (${MIN_ANSWERS} needed)`,
      null,
    );

  const { target } = options;
  const perDay = figures.liveAnswers / Math.max(1, daysIn(recorded.budget));
  const allowed = target + figures.budgetLeft / perDay;
  const ceiling = Math.min(baseline.abandonTarget, target);
  const floor = Math.max(PRECISION, floorTo(FLOOR_SHARE * target));
  const aimed = floorTo(MARGIN * allowed);
  const exhausted = aimed < floor;
  const wanted: GuardSettings = {
    abandonTarget: Math.min(ceiling, Math.max(floor, aimed)),
    maximumRatio: exhausted ? 1 : baseline.maximumRatio,
  };
  const where = `window ${pct(figures.abandonment)} of ${pct(target)} over ${figures.liveAnswers} live answers, ${Math.floor(figures.budgetLeft)} abandons left; the day can afford ${pct(Math.max(0, allowed))}`;

  const lowerTarget = wanted.abandonTarget < current.abandonTarget - PRECISION / 2;
  const lowerRatio = wanted.maximumRatio < current.maximumRatio;
  if (lowerTarget || lowerRatio) {
    // Lowering is never rate limited and never stepped. A part that would rise waits.
    const next: GuardSettings = {
      abandonTarget: Math.min(current.abandonTarget, wanted.abandonTarget),
      maximumRatio: Math.min(current.maximumRatio, wanted.maximumRatio),
    };
    const reason = exhausted
      ? `${where}: budget spent, abandon target ${pct(next.abandonTarget)} and maximum ratio ${next.maximumRatio} (progressive) until it recovers`
      : `${where}: budget short, abandon target lowered to ${pct(next.abandonTarget)}`;
    return {
      state: { ...recorded, applied: next, changedAtMs: nowMs },
      apply: next,
      reason,
      figures,
      allowed,
    };
  }

  const riseTarget = wanted.abandonTarget - current.abandonTarget;
  const riseRatio = wanted.maximumRatio - current.maximumRatio;
  if (riseTarget < HYSTERESIS && riseRatio <= 0)
    return leave(
      recorded.applied ? `${where}: holding` : `${where}: within budget, the skill's own settings stand`,
      allowed,
    );
  if (recorded.changedAtMs !== null && nowMs - recorded.changedAtMs < options.minIntervalMs)
    return leave(`${where}: recovering, the next rise waits for the interval`, allowed);
  const next: GuardSettings = {
    abandonTarget:
      riseTarget > 0
        ? round3(current.abandonTarget + Math.min(RAISE_STEP, riseTarget))
        : current.abandonTarget,
    maximumRatio:
      riseRatio > 0
        ? round2(current.maximumRatio + Math.min(options.maxRatioStep, riseRatio))
        : current.maximumRatio,
  };
  const back = next.abandonTarget === baseline.abandonTarget && next.maximumRatio === baseline.maximumRatio;
  return {
    state: { ...recorded, applied: back ? null : next, changedAtMs: nowMs },
    apply: next,
    reason: `${where}: budget recovering, raised to abandon target ${pct(next.abandonTarget)}, maximum ratio ${next.maximumRatio}${back ? " (the skill's own settings again)" : ""}`,
    figures,
    allowed,
  };
}

/** Distinct calendar days (UTC) the window holds figures for. */
function daysIn(budget: WindowBudget): number {
  return new Set(budget.hours.map(([hour]) => Math.floor(hour / 24))).size;
}

const floorTo = (value: number) => Math.floor(value / PRECISION + 1e-9) / (1 / PRECISION);
const round3 = (value: number) => Math.round(value * 1000) / 1000;
const round2 = (value: number) => Math.round(value * 100) / 100;
const pct = (value: number) => `${(value * 100).toFixed(2)}%`;
