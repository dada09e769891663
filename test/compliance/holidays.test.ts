import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  easterSunday,
  HOLIDAY_CALENDARS,
  type HolidayCalendarId,
  holidayOn,
  holidaysOfYear,
} from "../../src/compliance/holidays.ts";

/**
 * The legal-holiday calendars are rules of our own; they were the `date-holidays` library's US
 * calendars (public holidays), which is now only a devDependency: this test checks that our
 * rules give, year by year, exactly its dates and names.
 */
const require = createRequire(import.meta.url);
type Library = new (
  country: string,
  state?: string,
) => {
  getHolidays(year: number): Array<{ date: string; name: string; type: string }>;
};
const Holidays = require("date-holidays") as Library;

const LIBRARY: Record<string, [string, string?]> = {
  US_FEDERAL: ["US"],
  UT_LEGAL: ["US", "UT"],
  RI_LEGAL: ["US", "RI"],
  AL_STATE: ["US", "AL"],
  LA_STATE: ["US", "LA"],
};

const FROM = 2000;
const TO = 2050;

function libraryYear(library: InstanceType<Library>, year: number): Map<string, string> {
  const table = new Map<string, string>();
  for (const holiday of library.getHolidays(year))
    if (holiday.type === "public") {
      const iso = holiday.date.slice(0, 10);
      if (!table.has(iso)) table.set(iso, holiday.name);
    }
  return table;
}

describe("holiday calendars", () => {
  it.each(Object.entries(LIBRARY))(
    `%s: the dates and names date-holidays gives, ${FROM} to ${TO}`,
    (id, [country, state]) => {
      const library = state ? new Holidays(country, state) : new Holidays(country);
      for (let year = FROM; year <= TO; year += 1) {
        const ours = [...holidaysOfYear(id as HolidayCalendarId, year)].sort();
        const theirs = [...libraryYear(library, year)].sort();
        expect(ours, `${id} ${year}`).toEqual(theirs);
      }
    },
  );

  it("every legal calendar is compared with the library", () => {
    const legal = Object.entries(HOLIDAY_CALENDARS)
      .filter(([, calendar]) => calendar.kind === "legal")
      .map(([id]) => id);
    expect(legal.sort()).toEqual(Object.keys(LIBRARY).sort());
  });

  it("substitute days: Saturday to the Friday before (New Year's into December), Sunday to the Monday after", () => {
    expect(holidayOn("US_FEDERAL", 2021, 12, 31)).toBe("New Year's Day (substitute day)");
    expect(holidayOn("US_FEDERAL", 2022, 1, 1)).toBe("New Year's Day");
    expect(holidayOn("US_FEDERAL", 2023, 1, 2)).toBe("New Year's Day (substitute day)");
    expect(holidayOn("US_FEDERAL", 2026, 7, 3)).toBe("Independence Day (substitute day)");
    expect(holidayOn("US_FEDERAL", 2020, 6, 19)).toBeUndefined(); // Juneteenth from 2021
    expect(holidayOn("US_FEDERAL", 2023, 11, 10)).toBeUndefined(); // Veterans Day's is not a legal holiday
    expect(holidayOn("LA_STATE", 2026, 2, 17)).toBe("Mardi Gras");
    expect(holidayOn("LA_STATE", 2026, 11, 3)).toBe("Election Day");
    expect(holidayOn("LA_STATE", 2025, 11, 4)).toBeUndefined();
  });

  it("Easter Sunday, against published dates", () => {
    const iso = (year: number) => new Date(easterSunday(year)).toISOString().slice(0, 10);
    expect([1961, 2000, 2019, 2024, 2025, 2038, 2285].map(iso)).toEqual([
      "1961-04-02",
      "2000-04-23",
      "2019-04-21",
      "2024-03-31",
      "2025-04-20",
      "2038-04-25",
      "2285-03-22",
    ]);
  });

  it("Mississippi's own list: its six days, a weekend fixed date also on its observed weekday", () => {
    expect([...holidaysOfYear("MS_LISTED", 2022)].sort()).toEqual([
      ["2021-12-31", "New Year's Day (observed)"],
      ["2022-01-01", "New Year's Day"],
      ["2022-05-30", "Memorial Day"],
      ["2022-07-04", "Independence Day"],
      ["2022-09-05", "Labor Day"],
      ["2022-11-24", "Thanksgiving Day"],
      ["2022-12-25", "Christmas Day"],
      ["2022-12-26", "Christmas Day (observed)"],
    ]);
    expect(holidayOn("MS_LISTED", 2027, 12, 31)).toBe("New Year's Day (observed)");
    expect(holidayOn("MS_LISTED", 2026, 7, 3)).toBe("Independence Day (observed)");
  });
});
