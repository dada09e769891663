import { calendarDayProblem, calendarDayText } from "../../core/calendar-day.ts";
import { naiveWallMs, zonedInstantMs, zonedInstantProblem } from "../../core/instant-input.ts";

/**
 * The date of consent an RND query carries (issue 79 §3): the day the called party gave the
 * consent the call relies on, as YYYY-MM-DD by the calendar-day rule (core/calendar-day.ts; a
 * date-time by the one rule for it is cut to its UTC day, one without a zone is its written day).
 * The database answers "was this number permanently disconnected on or after that day?", so a
 * wrong date is a wrong safe harbor: a date that is not a real day, or one in the future, is bad
 * input.
 */
export const CONSENT_DATE_RULE = "must be the date consent was given, YYYY-MM-DD (not in the future)";

/** The refusal of a consent date after today. */
export const FUTURE_CONSENT_DATE = "must not be in the future (the date consent was given)";

/** The day `value` names, today or not (undefined when it is no day nor date-time). */
function dayOf(value: unknown): string | undefined {
  // A Date that holds no instant (new Date(NaN)) is no date: refused, not toISOString's RangeError.
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  if (typeof value !== "string") return undefined;
  const day = calendarDayText(value);
  if (day !== undefined) return day;
  const instant = zonedInstantMs(value) ?? naiveWallMs(value);
  return instant === undefined ? undefined : new Date(instant).toISOString().slice(0, 10);
}

/** The consent day, or undefined when `value` is no valid date up to today. */
export function consentDateOf(value: unknown, nowMs: number): string | undefined {
  const day = dayOf(value);
  return day === undefined || day > new Date(nowMs).toISOString().slice(0, 10) ? undefined : day;
}

/**
 * Why `value` is no consent date, in the calendar-day rule's words (a date-time's, for a text
 * with a time), or undefined when it is one.
 */
export function consentDateProblem(value: unknown, nowMs: number): string | undefined {
  const day = dayOf(value);
  if (day !== undefined)
    return day > new Date(nowMs).toISOString().slice(0, 10) ? FUTURE_CONSENT_DATE : undefined;
  if (typeof value !== "string") return CONSENT_DATE_RULE;
  if (/\dT\d/i.test(value))
    return `must be a date (YYYY-MM-DD) or a date-time: ${zonedInstantProblem(value, { zoneGiven: true }) ?? ""}`;
  return calendarDayProblem(value);
}
