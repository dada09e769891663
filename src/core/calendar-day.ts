import { DateTime, type Zone } from "luxon";
import { ruleTransform } from "./zod-rule-transform.ts";
/**
 * A calendar day a user hands cxo (`--as-of`, `outcomes verify --tsr --from`, a config file's
 * `rules.effectiveDates` and a registration's `until`, an RND consent date …): ONE rule for
 * `YYYY-MM-DD`, so every input accepts the same strings and says the same thing about the rest.
 * Each caller names its own field; the rule text is this module's. Pure, and cheap: no zod.
 *
 * The rule: four digits of year, two of month, two of day (`2026-03-01`, not `2026-3-1`), a day
 * that month has (no 2026-02-30; 29 February in a leap year). Surrounding spaces are ignored, as
 * the rule for a date-time with a zone (core/instant-input.ts) ignores them. A date-time is no
 * day: a place that also takes one says so and reads it by that rule.
 *
 * And ONE rule for the local day of an instant in a zone (localDayOf, localDayStart): the day a
 * business unit's, a callee's or a campaign's clock shows, which UTC's is not, on days a change
 * of offset makes 23 or 25 hours long (test/core/one-calendar-day-rule.test.ts keeps it here).
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

/** A date formatter per zone (made once: making one is the cost), giving `YYYY-MM-DD`. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar day (`YYYY-MM-DD`) the instant `ms` falls on in `zone` (an IANA name, `UTC`, or a
 * fixed offset luxon reads, `UTC+5`). Throws a RangeError naming a zone neither Intl nor luxon
 * knows. Cheap: one formatter per zone, made once (a revocation report asks it per entry).
 */
export function localDayOf(ms: number, zone: string): string {
  let format = dayFormats.get(zone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat("en-CA", {
        timeZone: zone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      });
    } catch {
      const local = DateTime.fromMillis(ms, { zone });
      if (!local.isValid) throw new RangeError(`unknown time zone: ${JSON.stringify(zone)}`);
      return local.toISODate() as string;
    }
    dayFormats.set(zone, format);
  }
  return format.format(ms);
}

/**
 * The local day in `zone` that holds the instant `ms`, at its first instant: its midnight, or on
 * a day whose midnight a change of offset skips, the first instant it has. A luxon DateTime in
 * that zone (with `locale`, if given), so the caller walks days and sets wall-clock times from it.
 */
export function localDayStart(ms: number, zone: string | Zone, locale?: string): DateTime {
  return DateTime.fromMillis(ms, locale === undefined ? { zone } : { zone, locale }).startOf("day");
}

/**
 * The local day before `day` (a localDayStart), at its first instant, in the same zone. Not
 * `day.minus({ days: 1 })` alone: from a day that starts at 01:00 (a midnight the clocks skip,
 * America/Santiago's first Sunday of September) that is 01:00 of the day before, an hour late.
 */
export function previousLocalDay(day: DateTime): DateTime {
  return day.minus({ days: 1 }).startOf("day");
}

/** The local day after `day` (a localDayStart), at its first instant, in the same zone. */
export function nextLocalDay(day: DateTime): DateTime {
  return day.plus({ days: 1 }).startOf("day");
}
