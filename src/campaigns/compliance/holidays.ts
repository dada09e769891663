import { createRequire } from "node:module";
import type HolidaysLibrary from "date-holidays";
import { DateTime } from "luxon";

// Loaded on first use: the library (and the holiday data of every country) is large, and most
// commands never need a holiday.
const require = createRequire(import.meta.url);
let Holidays: typeof HolidaysLibrary | undefined;

/**
 * Holiday calendars for the `holiday_ban` rows. Where a statute bans calls on a state's legal
 * holidays, the list is the state's own, from the `date-holidays` library (its public
 * holidays, substitute weekdays included: e.g. US-RI has Victory Day, the second Monday of
 * August). Our own rows exist only where a statute names its own list (Mississippi); those
 * are rules ("4th Thursday of November"), never per-year dates, so they never run out, and a
 * fixed date on a weekend is also banned on its observed weekday (the conservative reading).
 */

type HolidayDate =
  | { month: number; day: number }
  /** nth weekday (1 = Monday … 7 = Sunday) of the month; nth -1 = the last one. */
  | { month: number; weekday: number; nth: number };

interface Holiday {
  name: string;
  date: HolidayDate;
}

interface LibraryCalendar {
  name: string;
  citation: string;
  /** date-holidays country and state, e.g. ["US", "RI"]. */
  library: readonly [string, string?];
}

interface OwnCalendar {
  name: string;
  citation: string;
  holidays: readonly Holiday[];
}

export type HolidayCalendar = LibraryCalendar | OwnCalendar;

const NEW_YEAR: Holiday = { name: "New Year's Day", date: { month: 1, day: 1 } };
const MEMORIAL: Holiday = { name: "Memorial Day", date: { month: 5, weekday: 1, nth: -1 } };
const INDEPENDENCE: Holiday = { name: "Independence Day", date: { month: 7, day: 4 } };
const LABOR: Holiday = { name: "Labor Day", date: { month: 9, weekday: 1, nth: 1 } };
const THANKSGIVING: Holiday = { name: "Thanksgiving Day", date: { month: 11, weekday: 4, nth: 4 } };
const CHRISTMAS: Holiday = { name: "Christmas Day", date: { month: 12, day: 25 } };

export const HOLIDAY_CALENDARS = {
  US_FEDERAL: {
    name: "US federal holidays",
    citation: "5 U.S.C. 6103 (date-holidays: US, public)",
    library: ["US"],
  },
  UT_LEGAL: {
    name: "Utah legal holidays",
    citation: "Utah Code 63G-1-301 (date-holidays: US-UT, public)",
    library: ["US", "UT"],
  },
  RI_LEGAL: {
    name: "Rhode Island legal holidays",
    citation: "R.I. Gen. Laws 25-1-1 (date-holidays: US-RI, public; Victory Day included)",
    library: ["US", "RI"],
  },
  AL_STATE: {
    name: "Alabama state holidays",
    citation: "Ala. Code 1-3-8 (date-holidays: US-AL, public)",
    library: ["US", "AL"],
  },
  LA_STATE: {
    name: "Louisiana state holidays",
    citation: "La. R.S. 1:55 (date-holidays: US-LA, public)",
    library: ["US", "LA"],
  },
  MS_LISTED: {
    name: "Mississippi telephone-solicitation holidays",
    citation: "Miss. Code 77-3-725 (its own list; secondary)",
    holidays: [NEW_YEAR, MEMORIAL, INDEPENDENCE, LABOR, THANKSGIVING, CHRISTMAS],
  },
} as const satisfies Record<string, HolidayCalendar>;

export type HolidayCalendarId = keyof typeof HOLIDAY_CALENDARS;

interface HolidayDay {
  day: DateTime;
  observed: boolean;
}

function datesOf(holiday: Holiday, year: number): HolidayDay[] {
  const { date } = holiday;
  if ("day" in date) {
    const actual = DateTime.utc(year, date.month, date.day);
    const shift = actual.weekday === 6 ? -1 : actual.weekday === 7 ? 1 : 0;
    return shift === 0
      ? [{ day: actual, observed: false }]
      : [
          { day: actual, observed: false },
          { day: actual.plus({ days: shift }), observed: true },
        ];
  }
  if (date.nth > 0) {
    const first = DateTime.utc(year, date.month, 1);
    const offset = (date.weekday - first.weekday + 7) % 7;
    return [{ day: first.plus({ days: offset + 7 * (date.nth - 1) }), observed: false }];
  }
  const last = DateTime.utc(year, date.month, 1).endOf("month").startOf("day");
  const back = (last.weekday - date.weekday + 7) % 7;
  return [{ day: last.minus({ days: back }), observed: false }];
}

function ownYear(calendar: OwnCalendar, year: number): Map<string, string> {
  const table = new Map<string, string>();
  for (const holiday of calendar.holidays)
    for (const { day, observed } of datesOf(holiday, year)) {
      const iso = day.toISODate() as string;
      if (!table.has(iso)) table.set(iso, observed ? `${holiday.name} (observed)` : holiday.name);
    }
  // 1 January on a Saturday is observed on 31 December of the year before.
  if (calendar.holidays.includes(NEW_YEAR))
    for (const { day } of datesOf(NEW_YEAR, year + 1))
      if (day.year === year) table.set(day.toISODate() as string, "New Year's Day (observed)");
  return table;
}

const libraries = new Map<string, HolidaysLibrary>();

function libraryYear(calendar: LibraryCalendar, year: number): Map<string, string> {
  const [country, state] = calendar.library;
  const key = state ? `${country}-${state}` : country;
  let library = libraries.get(key);
  if (!library) {
    Holidays ??= require("date-holidays") as typeof HolidaysLibrary;
    library = state ? new Holidays(country, state) : new Holidays(country);
    libraries.set(key, library);
  }
  const table = new Map<string, string>();
  for (const holiday of library.getHolidays(year))
    if (holiday.type === "public") {
      const iso = holiday.date.slice(0, 10);
      if (!table.has(iso)) table.set(iso, holiday.name);
    }
  return table;
}

/** "yyyy-MM-dd" → holiday name, per calendar and year, computed once. */
const cache = new Map<string, Map<string, string>>();

export function holidaysOfYear(calendar: HolidayCalendarId, year: number): ReadonlyMap<string, string> {
  const key = `${calendar}:${year}`;
  let table = cache.get(key);
  if (!table) {
    const definition: HolidayCalendar = HOLIDAY_CALENDARS[calendar];
    table = "library" in definition ? libraryYear(definition, year) : ownYear(definition, year);
    cache.set(key, table);
  }
  return table;
}

/** The holiday on this local calendar date (year, month, day), if the calendar has one. */
export function holidayOn(
  calendar: HolidayCalendarId,
  year: number,
  month: number,
  day: number,
): string | undefined {
  const iso = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  return holidaysOfYear(calendar, year).get(iso);
}
