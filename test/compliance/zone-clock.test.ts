import { readFileSync } from "node:fs";
import { DateTime, IANAZone, type Zone } from "luxon";
import { afterEach, describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import {
  NANP_ZONES,
  processClockOffset,
  useProcessClockZones,
  zoneFor,
} from "../../src/compliance/zone-clock.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

const source = (file: string) =>
  readFileSync(new URL(`../../src/compliance/${file}`, import.meta.url), "utf8");

/** Every zone name the compliance tables mention (phone prefixes, regions, overrides). */
function tableZones(): Set<string> {
  const zones = new Set<string>();
  const nanpRows = source("data/timezones_map_data.txt")
    .split("\n")
    .filter((line) => line.startsWith("1"))
    .join("\n");
  for (const text of [nanpRows, source("geography.ts"), source("zone-overrides.ts")])
    for (const match of text.matchAll(/\b(?:America|Pacific|Atlantic)\/[A-Za-z_-]+(?:\/[A-Za-z_-]+)?/g))
      zones.add(match[0]);
  return zones;
}

const DAY_MS = 86_400_000;

describe("process-clock zones (cxo compliance check without Intl)", () => {
  afterEach(() => useProcessClockZones(false));

  it("lists every zone of the compliance tables, and only zones ICU knows", () => {
    const mentioned = tableZones();
    expect(mentioned.size).toBeGreaterThan(40);
    expect([...mentioned].filter((zone) => !NANP_ZONES.has(zone))).toEqual([]);
    expect([...NANP_ZONES].filter((zone) => !IANAZone.isValidZone(zone))).toEqual([]);
  });

  it("gives Intl's offset for every listed zone: on each side of every transition (to the millisecond) and twice a year, 2000 to 2050", () => {
    // Reading an offset through TZ costs ~20-180 µs (ICU re-reads the zone): the walk is Intl's,
    // every four weeks (transitions are months apart), and the process clock is asked where it matters.
    const from = Date.UTC(2000, 0, 1);
    const to = Date.UTC(2050, 0, 1);
    const step = 28 * DAY_MS;
    const mismatches: string[] = [];
    let transitions = 0;
    for (const zone of NANP_ZONES) {
      const intl = IANAZone.create(zone);
      // The zone luxon is handed (its offsets remembered per quarter hour, read through Intl).
      const handed = zoneFor(zone) as Zone;
      const check = (ms: number) => {
        if (processClockOffset(zone, ms) !== intl.offset(ms))
          mismatches.push(`${zone} ${new Date(ms).toISOString()}`);
        // Asked on each side of the transition, and first at the quarter hour around it.
        for (const at of [ms - 900_000, ms, ms + 900_000, ms])
          if (handed.offset(at) !== intl.offset(at))
            mismatches.push(`${zone} ${new Date(at).toISOString()} (quarter-hour zone)`);
      };
      for (let year = 2000; year < 2050; year += 1) {
        check(Date.UTC(year, 0, 15));
        check(Date.UTC(year, 6, 15));
      }
      let previous = intl.offset(from);
      for (let ms = from + step; ms <= to; ms += step) {
        const offset = intl.offset(ms);
        if (offset !== previous) {
          // The transition within the last step, found by Intl: the process clock must agree on
          // the last millisecond before it and the first one after.
          let low = ms - step;
          let high = ms;
          while (high - low > 1) {
            const mid = Math.floor((low + high) / 2);
            if (intl.offset(mid) === previous) low = mid;
            else high = mid;
          }
          transitions += 1;
          check(low);
          check(high);
        }
        previous = offset;
      }
    }
    expect(mismatches).toEqual([]);
    expect(transitions).toBeGreaterThan(2_000);
  });

  it("leaves process.env.TZ as it found it", () => {
    const saved = process.env.TZ;
    try {
      delete process.env.TZ;
      processClockOffset("America/Chicago", Date.UTC(2026, 6, 1));
      expect("TZ" in process.env).toBe(false);
      process.env.TZ = "Europe/Paris";
      expect(processClockOffset("America/Chicago", Date.UTC(2026, 6, 1))).toBe(-300);
      expect(process.env.TZ).toBe("Europe/Paris");
      expect(new Date(Date.UTC(2026, 6, 1)).getTimezoneOffset()).toBe(-120);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it("is used only when turned on, and only for listed zones (which are otherwise Intl's, remembered per quarter hour)", () => {
    const intl = zoneFor("America/Chicago");
    expect(intl).not.toBe("America/Chicago");
    expect((intl as Zone).name).toBe("America/Chicago");
    expect(zoneFor("Europe/Paris")).toBe("Europe/Paris");
    useProcessClockZones();
    expect(zoneFor("America/Chicago")).not.toBe(intl);
    expect(zoneFor("Europe/Paris")).toBe("Europe/Paris");
    expect(zoneFor("UTC")).toBe("UTC");
  });

  it.each([
    ["the process clock", true],
    ["Intl", false],
  ])(
    "read through %s, gives luxon the same local times, wall-clock arithmetic and ISO text as its own zone",
    (_how, on) => {
      useProcessClockZones(on);
      const zones = [
        "America/New_York",
        "America/St_Johns",
        "America/Phoenix",
        "Pacific/Honolulu",
        "America/Adak",
      ];
      // DST changes (spring gap, autumn overlap) and ordinary days.
      const days = ["2026-03-08", "2026-11-01", "2025-03-09", "2024-11-03", "2026-07-04", "2031-03-09"];
      for (const zone of zones) {
        const ours = zoneFor(zone);
        expect(ours).not.toBe(zone);
        for (const day of days) {
          const base = Date.parse(`${day}T00:00:00Z`);
          for (let hour = -12; hour <= 36; hour += 3) {
            const ms = base + hour * 3_600_000;
            const a = DateTime.fromMillis(ms, { zone, locale: "en-US" });
            const b = DateTime.fromMillis(ms, { zone: ours, locale: "en-US" });
            expect(b.toISO()).toBe(a.toISO());
            expect(b.startOf("day").toMillis()).toBe(a.startOf("day").toMillis());
            expect(b.set({ hour: 2, minute: 30 }).toISO()).toBe(a.set({ hour: 2, minute: 30 }).toISO());
            expect(b.plus({ days: 1 }).startOf("day").toISO()).toBe(
              a.plus({ days: 1 }).startOf("day").toISO(),
            );
            expect(b.zone.equals(a.zone)).toBe(true);
            expect(b.zoneName).toBe(a.zoneName);
          }
        }
      }
    },
  );
});

describe("the engine's local times without a luxon DateTime (local-time.ts, through the engine: localAt, isoIn)", () => {
  it("give luxon's local date, fields and ISO text in every listed zone, across transitions and with milliseconds", () => {
    const mismatches: string[] = [];
    const from = Date.UTC(2025, 0, 1);
    // Every 7 h 13 min 21.5 s for two years: every hour of the day, both sides of each transition.
    for (const zone of NANP_ZONES)
      for (let ms = from; ms < from + 2 * 365 * DAY_MS; ms += 111_001_500) {
        const t = DateTime.fromMillis(ms, { zone, locale: "en-US" });
        const local = engine.localAt(zone, ms);
        const expected = {
          date: t.toISODate(),
          year: t.year,
          month: t.month,
          day: t.day,
          weekday: t.weekday,
          hour: t.hour,
          minute: t.minute,
          seconds: t.hour * 3600 + t.minute * 60 + t.second,
        };
        if (JSON.stringify(local) !== JSON.stringify(expected)) mismatches.push(`${zone} ${ms} localAt`);
        if (engine.isoIn(ms, zone) !== t.toISO({ suppressMilliseconds: true }))
          mismatches.push(`${zone} ${ms} isoIn`);
      }
    expect(mismatches).toEqual([]);
    expect(engine.isoIn(Date.UTC(2026, 2, 8, 7, 0, 0, 5), "America/New_York")).toBe(
      "2026-03-08T03:00:00.005-04:00",
    );
    expect(engine.isoIn(Date.UTC(2026, 0, 1), undefined)).toBe("2026-01-01T00:00:00Z");
  });
});
