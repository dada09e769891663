import { DateTime, type Zone } from "luxon";
import { DAY_MS } from "./time-units.ts";

/**
 * ONE rule for the local day of an instant in a zone, and for a wall-clock time on such a day:
 * the day a business unit's, a callee's or a campaign's clock shows, which UTC's is not, on days
 * a change of offset makes 23 or 25 hours long (or skips a midnight). localDayOf gives the day's
 * `YYYY-MM-DD`, localDayStart its first instant, previousLocalDay and nextLocalDay walk from it,
 * atWallMinute sets a clock time on it (test/core/one-calendar-day-rule.test.ts keeps them here).
 * A calendar day a user types (`YYYY-MM-DD` as input) is core/calendar-day.ts's rule.
 */

/**
 * How a zone's local day is read, decided once per zone (making an Intl formatter is the cost, and
 * a zone Intl refuses throws every time it is asked again): Intl's formatter; luxon, for a zone
 * only luxon knows (a fixed offset, `UTC+5`); or no one (refused by name). An unknown name is
 * kept as luxon keeps it (its zone cache holds every name it was asked).
 */
type DayReader = Intl.DateTimeFormat | "luxon" | "unknown";
const dayReaders = new Map<string, DayReader>();

function dayReaderOf(zone: string): DayReader {
  try {
    // Read by its parts, not its text: a locale's date pattern has changed across ICU releases.
    return new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      calendar: "gregory",
      numberingSystem: "latn",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
  } catch {
    return DateTime.fromMillis(0, { zone }).isValid ? "luxon" : "unknown";
  }
}

/**
 * The calendar day (`YYYY-MM-DD`) the instant `ms` falls on in `zone` (an IANA name, `UTC`, or a
 * fixed offset luxon reads, `UTC+5`). Throws a RangeError naming a zone neither Intl nor luxon
 * knows. Cheap: how a zone is read is decided once per zone (a revocation report asks it per entry).
 */
export function localDayOf(ms: number, zone: string): string {
  let reader = dayReaders.get(zone);
  if (reader === undefined) {
    reader = dayReaderOf(zone);
    dayReaders.set(zone, reader);
  }
  if (reader === "unknown") throw new RangeError(`unknown time zone: ${JSON.stringify(zone)}`);
  if (reader === "luxon") return DateTime.fromMillis(ms, { zone }).toISODate() as string;
  let year = "";
  let month = "";
  let day = "";
  for (const part of reader.formatToParts(ms)) {
    if (part.type === "year") year = part.value;
    else if (part.type === "month") month = part.value;
    else if (part.type === "day") day = part.value;
  }
  return `${year.padStart(4, "0")}-${month}-${day}`;
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

/**
 * The instant of a wall-clock minute of a local day (a skill's or a window's "08:00–21:00"):
 * `day` is the day's first instant in its zone, `next` the next day's, `minute` 0–1440 after
 * midnight on the wall (1440: the next day's start). Calling hours are read on the wall clock, so
 * on a day clocks change it is not midnight plus the minutes elapsed (luxon's `plus({ minutes })`):
 * on New York's spring-forward day that put 21:00 at 22:00 EDT and 08:00 at 09:00. A day of 24
 * hours (all but two a year) takes the cheap sum; a minute inside the spring gap (02:30) is the
 * first instant after it, as luxon sets it.
 */
export function atWallMinute(day: DateTime, next: DateTime, minute: number): number {
  const midnight = day.toMillis();
  if (minute >= 1440) return next.toMillis();
  if (next.toMillis() - midnight === DAY_MS) return midnight + minute * 60_000;
  return day.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
}
