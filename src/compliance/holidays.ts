/**
 * Holiday calendars for the `holiday_ban` rows, as rules ("4th Thursday of November"), never
 * per-year dates, so they never run out. Two kinds:
 *
 * - Legal-holiday calendars (the federal list and the state lists a statute points to: Utah,
 *   Rhode Island with Victory Day, Alabama, Louisiana): the public holidays, a holiday marked
 *   `substitute` also on its weekday substitute (Saturday → the Friday before, Sunday → the
 *   Monday after, "(substitute day)"; New Year's Day's Friday substitute is 31 December of the
 *   year before, in that year's table). These were the `date-holidays` library's US calendars
 *   (its type "public"); the library and the data of every country it carried (moment, lodash,
 *   astronomia: most of the package's 93 MB install) are now a devDependency that
 *   test/compliance/holidays.test.ts checks these rules against, year by year.
 * - Our own list where a statute names one (Mississippi's), where a fixed date on a weekend is
 *   also banned on its observed weekday (the conservative reading), "(observed)".
 *
 * Plain UTC calendar arithmetic: no luxon, no Intl (whose first use costs a dialing script's
 * `cxo compliance check` more than Node's own start-up; see zone-clock.ts).
 */

type HolidayDate =
  | { month: number; day: number }
  /** nth weekday (1 = Monday … 7 = Sunday) of the month; nth -1 = the last one; then `plusDays`. */
  | { month: number; weekday: number; nth: number; plusDays?: number }
  /** Days from Western (Gregorian) Easter Sunday. */
  | { easter: number };

interface Holiday {
  name: string;
  date: HolidayDate;
  /** Legal-holiday calendars: also on the weekday substitute of a weekend date. */
  substitute?: boolean;
  /** First year it is a holiday. */
  since?: number;
  /** Only in even years (Louisiana's general election day). */
  evenYears?: boolean;
}

interface LegalCalendar {
  kind: "legal";
  name: string;
  citation: string;
  holidays: readonly Holiday[];
}

interface OwnCalendar {
  kind: "own";
  name: string;
  citation: string;
  holidays: readonly Holiday[];
}

export type HolidayCalendar = LegalCalendar | OwnCalendar;

const NEW_YEAR: Holiday = { name: "New Year's Day", date: { month: 1, day: 1 } };
const MEMORIAL: Holiday = { name: "Memorial Day", date: { month: 5, weekday: 1, nth: -1 } };
const INDEPENDENCE: Holiday = { name: "Independence Day", date: { month: 7, day: 4 } };
const LABOR: Holiday = { name: "Labor Day", date: { month: 9, weekday: 1, nth: 1 } };
const THANKSGIVING: Holiday = { name: "Thanksgiving Day", date: { month: 11, weekday: 4, nth: 4 } };
const CHRISTMAS: Holiday = { name: "Christmas Day", date: { month: 12, day: 25 } };

const MLK_DATE = { month: 1, weekday: 1, nth: 3 };
const WASHINGTON_DATE = { month: 2, weekday: 1, nth: 3 };

/** 5 U.S.C. 6103, with the names and substitutes of the federal list. */
function federal(names: { mlk?: string; washington?: string } = {}): Holiday[] {
  return [
    { ...NEW_YEAR, substitute: true },
    { name: names.mlk ?? "Martin Luther King Jr. Day", date: MLK_DATE },
    { name: names.washington ?? "Washington's Birthday", date: WASHINGTON_DATE },
    MEMORIAL,
    { name: "Juneteenth", date: { month: 6, day: 19 }, substitute: true, since: 2021 },
    { ...INDEPENDENCE, substitute: true },
    LABOR,
    { name: "Columbus Day", date: { month: 10, weekday: 1, nth: 2 } },
    // Federal offices close on a substitute day, but the day itself is the legal holiday.
    { name: "Veterans Day", date: { month: 11, day: 11 } },
    THANKSGIVING,
    { ...CHRISTMAS, substitute: true },
  ];
}

export const HOLIDAY_CALENDARS = {
  US_FEDERAL: {
    kind: "legal",
    name: "US federal holidays",
    citation: "5 U.S.C. 6103",
    holidays: federal(),
  },
  UT_LEGAL: {
    kind: "legal",
    name: "Utah legal holidays",
    citation: "Utah Code 63G-1-301",
    holidays: [
      ...federal({ washington: "Washington and Lincoln Day" }),
      { name: "Pioneer Day", date: { month: 7, day: 24 } },
    ],
  },
  RI_LEGAL: {
    kind: "legal",
    name: "Rhode Island legal holidays",
    citation: "R.I. Gen. Laws 25-1-1 (Victory Day included)",
    holidays: [...federal(), { name: "Victory Day", date: { month: 8, weekday: 1, nth: 2 } }],
  },
  AL_STATE: {
    kind: "legal",
    name: "Alabama state holidays",
    citation: "Ala. Code 1-3-8",
    holidays: [
      ...federal({
        mlk: "Robert E. Lee/Martin Luther King Birthday",
        washington: "George Washington/Thomas Jefferson Birthday",
      }),
      { name: "Confederate Memorial Day", date: { month: 4, weekday: 1, nth: 4 } },
      { name: "Jefferson Davis' birthday", date: { month: 6, weekday: 1, nth: 1 } },
    ],
  },
  LA_STATE: {
    kind: "legal",
    name: "Louisiana state holidays",
    citation: "La. R.S. 1:55",
    holidays: [
      ...federal(),
      { name: "Mardi Gras", date: { easter: -47 } },
      { name: "Good Friday", date: { easter: -2 } },
      // The Tuesday after the first Monday in November, in even years.
      { name: "Election Day", date: { month: 11, weekday: 1, nth: 1, plusDays: 1 }, evenYears: true },
    ],
  },
  MS_LISTED: {
    kind: "own",
    name: "Mississippi telephone-solicitation holidays",
    citation: "Miss. Code 77-3-725 (its own list; secondary)",
    holidays: [NEW_YEAR, MEMORIAL, INDEPENDENCE, LABOR, THANKSGIVING, CHRISTMAS],
  },
} as const satisfies Record<string, HolidayCalendar>;

export type HolidayCalendarId = keyof typeof HOLIDAY_CALENDARS;

const DAY_MS = 86_400_000;

/** Epoch ms of a UTC calendar date (month 1-12; day may run over, as Date.UTC allows). */
const utcDate = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day);

/** ISO weekday of a UTC date: 1 = Monday … 7 = Sunday. */
const weekdayOf = (ms: number): number => ((new Date(ms).getUTCDay() + 6) % 7) + 1;

function isoDate(ms: number): string {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  const month = String(date.getUTCMonth() + 1).padStart(2, "0");
  const day = String(date.getUTCDate()).padStart(2, "0");
  return `${String(year).padStart(4, "0")}-${month}-${day}`;
}

/** Western Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return utcDate(year, month, day);
}

/** The holiday's own date in `year` (UTC ms), or undefined when it is not one that year. */
function dateOf(holiday: Holiday, year: number): number | undefined {
  if (holiday.since !== undefined && year < holiday.since) return undefined;
  if (holiday.evenYears && year % 2 !== 0) return undefined;
  const { date } = holiday;
  if ("easter" in date) return easterSunday(year) + date.easter * DAY_MS;
  if ("day" in date) return utcDate(year, date.month, date.day);
  let ms: number;
  if (date.nth > 0) {
    const first = utcDate(year, date.month, 1);
    ms = first + ((date.weekday - weekdayOf(first) + 7) % 7) * DAY_MS + 7 * (date.nth - 1) * DAY_MS;
  } else {
    const last = utcDate(year, date.month + 1, 0);
    ms = last - ((weekdayOf(last) - date.weekday + 7) % 7) * DAY_MS;
  }
  return ms + (date.plusDays ?? 0) * DAY_MS;
}

/** A weekend date's weekday stand-in: Saturday → Friday before, Sunday → Monday after. */
function weekdayShift(ms: number): number {
  const weekday = weekdayOf(ms);
  return weekday === 6 ? -DAY_MS : weekday === 7 ? DAY_MS : 0;
}

function legalYear(calendar: LegalCalendar, year: number): Map<string, string> {
  const days: Array<[number, string]> = [];
  for (const holiday of calendar.holidays) {
    // This year's date, and next year's when its substitute falls back into this year (1 January).
    for (const y of [year, year + 1]) {
      const ms = dateOf(holiday, y);
      if (ms === undefined) continue;
      if (y === year) days.push([ms, holiday.name]);
      const shift = holiday.substitute ? weekdayShift(ms) : 0;
      if (shift !== 0 && new Date(ms + shift).getUTCFullYear() === year)
        days.push([ms + shift, `${holiday.name} (substitute day)`]);
    }
  }
  days.sort((a, b) => a[0] - b[0]);
  const table = new Map<string, string>();
  for (const [ms, name] of days) {
    const iso = isoDate(ms);
    if (!table.has(iso)) table.set(iso, name);
  }
  return table;
}

function ownYear(calendar: OwnCalendar, year: number): Map<string, string> {
  const table = new Map<string, string>();
  for (const holiday of calendar.holidays) {
    const ms = dateOf(holiday, year);
    if (ms === undefined) continue;
    const fixed = "day" in holiday.date;
    const shift = fixed ? weekdayShift(ms) : 0;
    const days: Array<[number, string]> = [[ms, holiday.name]];
    if (shift !== 0) days.push([ms + shift, `${holiday.name} (observed)`]);
    for (const [day, name] of days) {
      const iso = isoDate(day);
      if (!table.has(iso)) table.set(iso, name);
    }
  }
  // 1 January on a Saturday is observed on 31 December of the year before.
  if (calendar.holidays.includes(NEW_YEAR)) {
    const next = utcDate(year + 1, 1, 1);
    if (weekdayOf(next) === 6) table.set(isoDate(next - DAY_MS), "New Year's Day (observed)");
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
    table = definition.kind === "legal" ? legalYear(definition, year) : ownYear(definition, year);
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
