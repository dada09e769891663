import { ruleTransform } from "./zod-rule-transform.ts";
/**
 * A calendar day a user hands cxo (`--as-of`, `outcomes verify --tsr --from`, a config file's
 * `rules.effectiveDates` and a registration's `until`, an RND consent date …): ONE rule for
 * `YYYY-MM-DD`, so every input accepts the same strings and says the same thing about the rest.
 * Each caller names its own field; the rule text is this module's. Pure, and cheap: no zod, and
 * no clock library.
 *
 * The rule: four digits of year, two of month, two of day (`2026-03-01`, not `2026-3-1`), a day
 * that month has (no 2026-02-30; 29 February in a leap year). Surrounding spaces are ignored, as
 * the rule for a date-time with a zone (core/instant-input.ts) ignores them. A date-time is no
 * day: a place that also takes one says so and reads it by that rule. Which local day an instant
 * falls on in a zone is another rule, with a clock library: core/local-day.ts.
 */
export const CALENDAR_DAY_RULE = "must be a calendar date, YYYY-MM-DD (e.g. 2026-03-01)";

/** A calendar day's parts: the year, the month (1–12) and the day of the month (1–31). */
export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

type Reading = { kind: "malformed" | "impossible" } | { kind: "day"; day: CalendarDay };

function read(value: unknown): Reading {
  if (typeof value !== "string") return { kind: "malformed" };
  const m = SHAPE.exec(value.trim());
  if (!m) return { kind: "malformed" };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const monthDays = month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1];
  if (monthDays === undefined || day < 1 || day > monthDays) return { kind: "impossible" };
  return { kind: "day", day: { year, month, day } };
}

const shown = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);

/**
 * The rule a calendar day breaks, or undefined when it keeps it; the words every input uses (the
 * caller puts its field's name before them).
 */
export function calendarDayProblem(value: unknown): string | undefined {
  const reading = read(value);
  if (reading.kind === "day") return undefined;
  if (typeof value !== "string") return CALENDAR_DAY_RULE;
  const text = value.trim();
  if (reading.kind === "impossible")
    return `${shown(text)} is not a real date (check the month and the day of the month)`;
  return `${shown(text)} is not a calendar date, YYYY-MM-DD (e.g. 2026-03-01)`;
}

/** The day's parts, or undefined when `value` breaks the rule. */
export function calendarDayOf(value: unknown): CalendarDay | undefined {
  const reading = read(value);
  return reading.kind === "day" ? reading.day : undefined;
}

/** The day's first instant in UTC (epoch ms of its midnight), or undefined when `value` breaks the rule. */
export function calendarDayMs(value: unknown): number | undefined {
  const day = calendarDayOf(value);
  if (day === undefined) return undefined;
  const at = new Date(0);
  at.setUTCFullYear(day.year, day.month - 1, day.day);
  return at.getTime();
}

/** The day as `YYYY-MM-DD` (the spaces around it gone), or undefined when `value` breaks the rule. */
export function calendarDayText(value: unknown): string | undefined {
  return read(value).kind === "day" ? (value as string).trim() : undefined;
}

/**
 * The rule as a zod transform, without loading zod here: `z.string().transform(calendarDayIssue)`
 * gives the day as `YYYY-MM-DD` (calendarDayText), or fails with the rule's words.
 */
export const calendarDayIssue = ruleTransform(calendarDayText, calendarDayProblem, CALENDAR_DAY_RULE);
