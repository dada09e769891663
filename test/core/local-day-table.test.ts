import { DateTime } from "luxon";
import { describe, expect, it, vi } from "vitest";
import {
  atWallMinute,
  localDayOf,
  localDayStart,
  nextLocalDay,
  previousLocalDay,
} from "../../src/core/local-day.ts";

/**
 * The local calendar day of an instant in a zone (src/core/local-day.ts): which YYYY-MM-DD it
 * falls on there (localDayOf), and that day's first instant (localDayStart), on days a change of
 * offset makes 23 or 25 hours long, in a zone an hour ahead of UTC, and one 5 h 45 min ahead.
 */
const ms = (iso: string) => Date.parse(iso);

/** [zone, instant, its local day, that day's first instant, the next day's first instant]. */
const TABLE: ReadonlyArray<readonly [string, string, string, string, string]> = [
  // New York, spring forward (02:00 EST → 03:00 EDT): a 23-hour day.
  [
    "America/New_York",
    "2026-03-08T04:59:59.999Z",
    "2026-03-07",
    "2026-03-07T05:00:00.000Z",
    "2026-03-08T05:00:00.000Z",
  ],
  [
    "America/New_York",
    "2026-03-08T05:00:00.000Z",
    "2026-03-08",
    "2026-03-08T05:00:00.000Z",
    "2026-03-09T04:00:00.000Z",
  ],
  [
    "America/New_York",
    "2026-03-08T12:00:00.000Z",
    "2026-03-08",
    "2026-03-08T05:00:00.000Z",
    "2026-03-09T04:00:00.000Z",
  ],
  [
    "America/New_York",
    "2026-03-09T03:59:59.999Z",
    "2026-03-08",
    "2026-03-08T05:00:00.000Z",
    "2026-03-09T04:00:00.000Z",
  ],
  // New York, fall back (02:00 EDT → 01:00 EST): a 25-hour day.
  [
    "America/New_York",
    "2026-11-01T03:59:59.999Z",
    "2026-10-31",
    "2026-10-31T04:00:00.000Z",
    "2026-11-01T04:00:00.000Z",
  ],
  [
    "America/New_York",
    "2026-11-01T04:00:00.000Z",
    "2026-11-01",
    "2026-11-01T04:00:00.000Z",
    "2026-11-02T05:00:00.000Z",
  ],
  [
    "America/New_York",
    "2026-11-01T06:30:00.000Z",
    "2026-11-01",
    "2026-11-01T04:00:00.000Z",
    "2026-11-02T05:00:00.000Z",
  ],
  [
    "America/New_York",
    "2026-11-02T04:59:59.999Z",
    "2026-11-01",
    "2026-11-01T04:00:00.000Z",
    "2026-11-02T05:00:00.000Z",
  ],
  // London: GMT → BST on 29 March 2026, BST → GMT on 25 October 2026; UTC's day is not London's.
  [
    "Europe/London",
    "2026-03-29T00:30:00.000Z",
    "2026-03-29",
    "2026-03-29T00:00:00.000Z",
    "2026-03-29T23:00:00.000Z",
  ],
  [
    "Europe/London",
    "2026-03-29T23:30:00.000Z",
    "2026-03-30",
    "2026-03-29T23:00:00.000Z",
    "2026-03-30T23:00:00.000Z",
  ],
  [
    "Europe/London",
    "2026-10-25T12:00:00.000Z",
    "2026-10-25",
    "2026-10-24T23:00:00.000Z",
    "2026-10-26T00:00:00.000Z",
  ],
  [
    "Europe/London",
    "2026-10-25T23:59:59.999Z",
    "2026-10-25",
    "2026-10-24T23:00:00.000Z",
    "2026-10-26T00:00:00.000Z",
  ],
  // Kathmandu, +05:45 all year: its day starts at 18:15 UTC.
  [
    "Asia/Kathmandu",
    "2026-06-01T18:14:59.999Z",
    "2026-06-01",
    "2026-05-31T18:15:00.000Z",
    "2026-06-01T18:15:00.000Z",
  ],
  [
    "Asia/Kathmandu",
    "2026-06-01T18:15:00.000Z",
    "2026-06-02",
    "2026-06-01T18:15:00.000Z",
    "2026-06-02T18:15:00.000Z",
  ],
  // UTC itself.
  ["UTC", "2026-06-01T23:59:59.999Z", "2026-06-01", "2026-06-01T00:00:00.000Z", "2026-06-02T00:00:00.000Z"],
];

describe("the local calendar day of an instant in a zone", () => {
  it.each(TABLE)("%s at %s: day %s from %s to %s", (zone, at, day, start, next) => {
    expect(localDayOf(ms(at), zone)).toBe(day);
    const first = localDayStart(ms(at), zone);
    expect(first.toUTC().toISO()).toBe(start);
    expect(first.toISODate()).toBe(day);
    expect(first.zoneName).toBe(zone);
    expect(nextLocalDay(first).toUTC().toISO()).toBe(next);
  });

  it("a day whose midnight a change of offset skips starts at its first instant (Santiago, 6 September 2026)", () => {
    const first = localDayStart(ms("2026-09-06T15:00:00Z"), "America/Santiago");
    expect(first.toISODate()).toBe("2026-09-06");
    expect(first.toISO()).toBe("2026-09-06T01:00:00.000-03:00");
    expect(localDayOf(first.toMillis(), "America/Santiago")).toBe("2026-09-06");
    expect(localDayOf(first.toMillis() - 1, "America/Santiago")).toBe("2026-09-05");
    // Walked from it, the days either side start at their midnights, not at 01:00.
    expect(previousLocalDay(first).toISO()).toBe("2026-09-05T00:00:00.000-04:00");
    expect(nextLocalDay(first).toISO()).toBe("2026-09-07T00:00:00.000-03:00");
    expect(first.minus({ days: 1 }).toISO()).toBe("2026-09-05T01:00:00.000-04:00");
  });

  it("a luxon Zone and a locale are kept (the compliance engine's zones)", () => {
    const zone = DateTime.local({ zone: "Europe/London" }).zone;
    const first = localDayStart(ms("2026-03-29T23:30:00Z"), zone, "en-US");
    expect(first.toUTC().toISO()).toBe("2026-03-29T23:00:00.000Z");
    expect(first.locale).toBe("en-US");
  });

  it("agrees with luxon every 97 minutes through 2026 in each zone of the table", () => {
    const zones = [...new Set(TABLE.map(([zone]) => zone)), "America/Santiago", "Australia/Lord_Howe"];
    const from = ms("2025-12-31T00:00:00Z");
    const wrong: string[] = [];
    for (const zone of zones)
      for (let at = from; at < from + 367 * 86_400_000; at += 97 * 60_000) {
        const local = DateTime.fromMillis(at, { zone });
        if (localDayOf(at, zone) !== local.toISODate()) wrong.push(`${zone} ${new Date(at).toISOString()}`);
      }
    expect(wrong).toEqual([]);
  });

  it("a zone no one knows is refused by name, every time; a fixed offset luxon knows is read by luxon", () => {
    expect(() => localDayOf(0, "Mars/Olympus")).toThrow(/Mars\/Olympus/);
    expect(() => localDayOf(0, "Mars/Olympus")).toThrow(RangeError);
    expect(localDayOf(ms("2026-06-01T20:00:00Z"), "UTC+5")).toBe("2026-06-02");
    expect(localDayOf(ms("2026-06-01T18:00:00Z"), "UTC+5")).toBe("2026-06-01");
  });

  it("asks Intl for a zone's formatter once, whichever answer it gives (a zone only luxon knows too)", () => {
    const Original = Intl.DateTimeFormat;
    let made = 0;
    // Every formatter made through Intl counts (a refused one too; luxon's go through the same name).
    Intl.DateTimeFormat = new Proxy(Original, {
      construct(target, args) {
        made += 1;
        return Reflect.construct(target, args);
      },
    });
    try {
      for (let i = 0; i < 5; i++) {
        const at = ms("2026-06-01T12:00:00Z") + i * 3_600_000;
        localDayOf(at, "Pacific/Chatham");
        localDayOf(at, "UTC-3");
        expect(() => localDayOf(at, "Venus/Maxwell")).toThrow(RangeError);
      }
      // The first ask of each zone: ours, and luxon's check of a name Intl refused (two at most).
      expect(made).toBeLessThanOrEqual(6);
      const after = made;
      expect(localDayOf(ms("2026-06-02T12:00:00Z"), "UTC-3")).toBe("2026-06-02");
      expect(() => localDayOf(0, "Venus/Maxwell")).toThrow(/Venus/);
      expect(localDayOf(ms("2026-06-02T12:00:00Z"), "Pacific/Chatham")).toBe("2026-06-03");
      expect(made).toBe(after);
    } finally {
      Intl.DateTimeFormat = Original;
    }
  });

  it("reads the date from the formatter's parts, not a locale's pattern (en-CA's changed across ICU releases)", () => {
    // A formatter whose text is another pattern (en-CA's short date read M/D/YY in one release).
    // (`format` is an accessor on the prototype, typed as a method: spied as the accessor it is.)
    const prototype = Intl.DateTimeFormat.prototype as unknown as Record<"format", unknown>;
    const text = vi.spyOn(prototype, "format", "get").mockReturnValue(() => "3/4/26");
    try {
      expect(localDayOf(ms("2026-03-04T12:00:00Z"), "Europe/Paris")).toBe("2026-03-04");
      expect(localDayOf(ms("2026-12-31T23:30:00Z"), "Asia/Tokyo")).toBe("2027-01-01");
    } finally {
      text.mockRestore();
    }
    expect(localDayOf(ms("0999-03-04T12:00:00Z"), "Europe/Paris")).toBe("0999-03-04");
  });
});

/**
 * A wall-clock minute of a local day (atWallMinute): what the compliance engine's window openings
 * and closings, the autopilot's morning and evening and a skill's hours ask. It is luxon's
 * wall-clock set (`day.set({ hour, minute })`, what each of them wrote before) on every day, the
 * days clocks change included, with a cheap sum on a 24-hour day.
 */
describe("the instant of a wall-clock minute of a local day", () => {
  const zones = [
    "America/New_York",
    "Europe/London",
    "Asia/Kathmandu",
    "America/Santiago",
    "Australia/Lord_Howe",
    "UTC",
  ];
  const minutes = [0, 30, 90, 150, 480, 570, 1260, 1290, 1439, 1440];

  it("is luxon's wall-clock set on every day of 2026, in zones whose days are 23, 23.5, 24, 24.5 and 25 hours", () => {
    const wrong: string[] = [];
    for (const zone of zones) {
      let day = localDayStart(ms("2026-01-01T12:00:00Z"), zone);
      for (let i = 0; i < 365; i++) {
        const next = nextLocalDay(day);
        for (const minute of minutes) {
          const set = day.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
          if (atWallMinute(day, next, minute) !== set) wrong.push(`${zone} ${day.toISODate()} ${minute}`);
        }
        day = next;
      }
    }
    expect(wrong).toEqual([]);
  });

  it("on the days clocks change: 08:00 and 21:00 on the wall, a minute in the gap after it, 24:00 the next day", () => {
    const ny = localDayStart(ms("2026-03-08T12:00:00Z"), "America/New_York");
    const next = nextLocalDay(ny);
    expect(atWallMinute(ny, next, 480)).toBe(ms("2026-03-08T08:00:00-04:00"));
    expect(atWallMinute(ny, next, 1260)).toBe(ms("2026-03-08T21:00:00-04:00"));
    expect(atWallMinute(ny, next, 150)).toBe(ms("2026-03-08T03:30:00-04:00"));
    expect(atWallMinute(ny, next, 1440)).toBe(next.toMillis());
    const back = localDayStart(ms("2026-11-01T12:00:00Z"), "America/New_York");
    expect(atWallMinute(back, nextLocalDay(back), 1260)).toBe(ms("2026-11-01T21:00:00-05:00"));
    // Santiago's day with no midnight starts at 01:00; its 08:00 is 08:00.
    const santiago = localDayStart(ms("2026-09-06T15:00:00Z"), "America/Santiago");
    expect(atWallMinute(santiago, nextLocalDay(santiago), 480)).toBe(ms("2026-09-06T08:00:00-03:00"));
  });
});
