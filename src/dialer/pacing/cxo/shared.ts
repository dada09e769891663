/** Constants more than one of cxo's rules reads. */
export const DAY = 86_400;
/** z for 1% of days over the target (one-sided normal). */
export const Z_ONE_PERCENT = 2.33;
/** The day's aim is never below this share of the target. */
export const AIM_MIN_SHARE = 0.4;
/** The detector's floor is this share of the target or more: the day's spread counts its whole binomial. */
export const FLOOR_BOUND_SHARE = 0.5;
/** People still to come are counted as at least this share of a day (the last minutes' rate stays finite). */
export const BUDGET_MIN_REST_SHARE = 0.01;

/**
 * The budget left today for each person still to come (both budget rules: the day's planner and
 * the remaining budget): the target × today's people (so far and `rest` still to come) − today's
 * drops − `reserve`, over `rest`.
 */
export function rateLeftToday(
  target: number,
  todayD: number,
  todayL: number,
  rest: number,
  reserve: number,
): number {
  return (target * (todayL + rest) - todayD - reserve) / rest;
}
