import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { atWallMinute } from "../../src/core/local-day.ts";
import {
  firstOpenAt,
  firstOpenForRecord,
  openStretchEnd,
} from "../../src/emulator/cxone/list-dialer-rules.ts";
import { skillOpen } from "../../src/strategy/skill-hours.ts";

/**
 * Calling hours are wall-clock hours. On a day the clocks change, "08:00–21:00" is still 08:00 to
 * 21:00 on the wall: read as minutes elapsed since midnight, New York's spring-forward day
 * (2026-03-08) opened at 09:00 EDT and closed at 22:00 EDT, an hour past the 21:00 the
 * skill (and the law) allow, in our planner and in the emulator's list dialer alike.
 */
const NY = "America/New_York";
const at = (iso: string) => DateTime.fromISO(iso, { zone: NY }).toMillis();
const hours = { zone: NY, startMinute: 8 * 60, endMinute: 21 * 60 };

describe("skill hours on the days clocks change", () => {
  for (const [day, offset] of [
    ["2026-03-08", "-04:00"], // spring forward: 23 hours
    ["2026-11-01", "-05:00"], // fall back: 25 hours
    ["2026-07-15", "-04:00"], // an ordinary day
  ] as const) {
    it(`${day}: open from 08:00 to 21:00 on the wall (${offset})`, () => {
      const open = skillOpen({ zoneHours: [hours] });
      const eight = Date.parse(`${day}T08:00:00${offset}`);
      const nine = Date.parse(`${day}T21:00:00${offset}`);
      expect(open.throughout(NY, eight, eight + 60_000)).toBe(true);
      expect(open.throughout(NY, eight - 60_000, eight - 1)).toBe(false);
      expect(open.throughout(NY, nine - 60_000, nine - 1)).toBe(true);
      expect(open.throughout(NY, nine, nine + 30 * 60_000)).toBe(false);
    });
  }

  // Chile moves its clocks at midnight: 2026-09-06 has no 00:00 (it starts at 01:00 -03). Days
  // walked from that 01:00 by calendar arithmetic kept 01:00 as the next day's "midnight" and the
  // day before's, and those days' windows opened and closed an hour late: 21:00 became 22:00.
  for (const [day, offset] of [
    ["2026-09-05", "-04:00"], // the day before
    ["2026-09-06", "-03:00"], // the day with no midnight
    ["2026-09-07", "-03:00"], // the day after
    ["2026-09-08", "-03:00"],
  ] as const) {
    it(`America/Santiago, ${day}: open from 08:00 to 21:00 on the wall (${offset})`, () => {
      const SCL = "America/Santiago";
      const open = skillOpen({ zoneHours: [{ zone: SCL, startMinute: 8 * 60, endMinute: 21 * 60 }] });
      const eight = Date.parse(`${day}T08:00:00${offset}`);
      const nine = Date.parse(`${day}T21:00:00${offset}`);
      expect(open.throughout(SCL, eight, eight + 60_000)).toBe(true);
      expect(open.throughout(SCL, eight - 60_000, eight - 1)).toBe(false);
      expect(open.throughout(SCL, nine - 60_000, nine - 1)).toBe(true);
      expect(open.throughout(SCL, nine, nine + 30 * 60_000)).toBe(false);
    });
  }

  it("the emulator's list dialer opens at 08:00 on the wall on the spring-forward day", () => {
    const skill = { byZone: new Map([[NY, { start: 8 * 60, end: 21 * 60 }]]), windows: new Map() };
    expect(firstOpenAt(skill, NY, at("2026-03-08T00:30"), at("2026-03-08T23:00"))).toBe(
      Date.parse("2026-03-08T08:00:00-04:00"),
    );
    // After 21:00 EDT nothing opens until the next morning.
    expect(firstOpenAt(skill, NY, Date.parse("2026-03-08T21:10:00-04:00"), at("2026-03-08T23:59"))).toBe(
      undefined,
    );
  });

  it("a minute in the spring gap is the first instant after it; 24:00 is the next midnight", () => {
    const day = DateTime.fromISO("2026-03-08", { zone: NY }).startOf("day");
    const next = day.plus({ days: 1 });
    expect(atWallMinute(day, next, 150)).toBe(Date.parse("2026-03-08T03:30:00-04:00"));
    expect(atWallMinute(day, next, 1440)).toBe(next.toMillis());
    expect(atWallMinute(day, next, 0)).toBe(day.toMillis());
  });
});

describe("a record's allowable time range on the days clocks change", () => {
  const skill = { byZone: new Map([[NY, { start: 0, end: 24 * 60 }]]), windows: new Map() };
  const range = { start: 10 * 60, end: 18 * 60 };
  it("2026-03-08: from 10:00 to 18:00 on the wall, not 11:00 to 19:00", () => {
    const ten = Date.parse("2026-03-08T10:00:00-04:00");
    expect(firstOpenForRecord(skill, NY, range, at("2026-03-08T00:30"), at("2026-03-08T23:00"))).toBe(ten);
    expect(openStretchEnd(skill, NY, range, ten, at("2026-03-08T23:00"))).toBe(
      Date.parse("2026-03-08T18:00:00-04:00") - 1,
    );
  });
});
