import { DateTime } from "luxon";

/**
 * Holiday calendars as rules ("4th Thursday of November"), not per-year lists, so they never
 * run out. Fixed-date holidays that fall on a weekend are also banned on their observed
 * weekday (Friday before a Saturday, Monday after a Sunday): banning both is the conservative
 * reading of "legal holiday".
 */

type HolidayDate =
  | { month: number; day: number }
  /** nth weekday (1 = Monday … 7 = Sunday) of the month; nth -1 = the last one. */
  | { month: number; weekday: number; nth: number };

interface Holiday {
  name: string;
  date: HolidayDate;
}

export interface HolidayCalendar {
  name: string;
  citation: string;
  holidays: readonly Holiday[];
}

const NEW_YEAR: Holiday = { name: "New Year's Day", date: { month: 1, day: 1 } };
const MLK: Holiday = { name: "Martin Luther King Jr. Day", date: { month: 1, weekday: 1, nth: 3 } };
const PRESIDENTS: Holiday = { name: "Washington's Birthday", date: { month: 2, weekday: 1, nth: 3 } };
const MEMORIAL: Holiday = { name: "Memorial Day", date: { month: 5, weekday: 1, nth: -1 } };
const JUNETEENTH: Holiday = { name: "Juneteenth", date: { month: 6, day: 19 } };
const INDEPENDENCE: Holiday = { name: "Independence Day", date: { month: 7, day: 4 } };
const LABOR: Holiday = { name: "Labor Day", date: { month: 9, weekday: 1, nth: 1 } };
const COLUMBUS: Holiday = { name: "Columbus Day", date: { month: 10, weekday: 1, nth: 2 } };
const VETERANS: Holiday = { name: "Veterans Day", date: { month: 11, day: 11 } };
const THANKSGIVING: Holiday = { name: "Thanksgiving Day", date: { month: 11, weekday: 4, nth: 4 } };
const CHRISTMAS: Holiday = { name: "Christmas Day", date: { month: 12, day: 25 } };

export const HOLIDAY_CALENDARS = {
  US_FEDERAL: {
    name: "US federal holidays",
    citation: "5 U.S.C. 6103",
    holidays: [
      NEW_YEAR,
      MLK,
      PRESIDENTS,
      MEMORIAL,
      JUNETEENTH,
      INDEPENDENCE,
      LABOR,
      COLUMBUS,
      VETERANS,
      THANKSGIVING,
      CHRISTMAS,
    ],
  },
  UT_LEGAL: {
    name: "Utah legal holidays",
    citation: "Utah Code 63G-1-301",
    holidays: [
      NEW_YEAR,
      { ...MLK, name: "Martin Luther King Jr. Day / Human Rights Day" },
      PRESIDENTS,
      MEMORIAL,
      JUNETEENTH,
      INDEPENDENCE,
      { name: "Pioneer Day", date: { month: 7, day: 24 } },
      LABOR,
      COLUMBUS,
      VETERANS,
      THANKSGIVING,
      CHRISTMAS,
    ],
  },
  MS_LISTED: {
    name: "Mississippi telephone-solicitation holidays",
    citation: "Miss. Code 77-3-725 (secondary)",
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

/** "yyyy-MM-dd" → holiday name, per calendar and year, computed once. */
const cache = new Map<string, Map<string, string>>();

function yearTable(calendar: HolidayCalendarId, year: number): Map<string, string> {
  const key = `${calendar}:${year}`;
  let table = cache.get(key);
  if (!table) {
    table = new Map();
    for (const holiday of HOLIDAY_CALENDARS[calendar].holidays)
      for (const { day, observed } of datesOf(holiday, year)) {
        const iso = day.toISODate() as string;
        if (!table.has(iso)) table.set(iso, observed ? `${holiday.name} (observed)` : holiday.name);
      }
    // 1 January on a Saturday is observed on 31 December of the year before.
    for (const { day } of datesOf(NEW_YEAR, year + 1))
      if (day.year === year) table.set(day.toISODate() as string, "New Year's Day (observed)");
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
  return yearTable(calendar, year).get(iso);
}
