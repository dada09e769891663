import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { instantOn } from "../../src/autopilot/local-day.ts";

/**
 * The autopilot's morning and evening (`HH:MM` in the business unit's zone) on a local date: a
 * wall-clock minute of that day, through core/local-day.ts's atWallMinute. The same instants as
 * luxon's wall-clock set on the date (what the autopilot wrote before), on every day of a year in
 * zones whose clocks change (Santiago's first Sunday of September has no midnight).
 */
describe("the autopilot's wall-clock times on a local date", () => {
  const zones = ["America/New_York", "America/Santiago", "Europe/London", "Asia/Kathmandu"];
  const times = ["00:00", "00:30", "02:30", "07:00", "21:00", "23:59"];

  it("are luxon's wall-clock set on the date, every day of 2026", () => {
    const wrong: string[] = [];
    for (const zone of zones)
      for (let i = 0; i < 365; i++) {
        const date = DateTime.fromISO("2026-01-01", { zone: "UTC" }).plus({ days: i }).toISODate() as string;
        for (const time of times) {
          const [hour, minute] = time.split(":").map(Number);
          const set = DateTime.fromISO(date, { zone })
            .set({ hour, minute, second: 0, millisecond: 0 })
            .toMillis();
          if (instantOn(date, time, zone) !== set) wrong.push(`${zone} ${date} ${time}`);
        }
      }
    expect(wrong).toEqual([]);
  });

  it("on the days clocks change, 07:00 and 21:00 are read on the wall", () => {
    const ny = "America/New_York";
    expect(instantOn("2026-03-08", "07:00", ny)).toBe(Date.parse("2026-03-08T07:00:00-04:00"));
    expect(instantOn("2026-03-08", "21:00", ny)).toBe(Date.parse("2026-03-08T21:00:00-04:00"));
    expect(instantOn("2026-11-01", "21:00", ny)).toBe(Date.parse("2026-11-01T21:00:00-05:00"));
    expect(instantOn("2026-09-06", "00:00", "America/Santiago")).toBe(
      Date.parse("2026-09-06T01:00:00-03:00"),
    );
    expect(instantOn("2026-09-06", "07:00", "America/Santiago")).toBe(
      Date.parse("2026-09-06T07:00:00-03:00"),
    );
  });
});
