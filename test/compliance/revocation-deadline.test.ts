import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { holidayOn } from "../../src/compliance/holidays.ts";
import {
  REVOCATION_RULES,
  type RevocationRule,
  revocationDeadline,
} from "../../src/compliance/revocation-rules.ts";

/**
 * The deadline is kept per rule, zone and local day received: whatever was asked before, it is
 * the deadline worked out afresh — across zones whose offsets are not whole hours, the days a
 * clock changes, weekends and federal holidays.
 */
function reference(rule: RevocationRule, receivedMs: number, zone: string): number {
  if (rule.deadline === null) return Number.POSITIVE_INFINITY;
  let day = DateTime.fromMillis(receivedMs, { zone }).startOf("day");
  if ("days" in rule.deadline) day = day.plus({ days: rule.deadline.days });
  else
    for (let left = rule.deadline.businessDays; left > 0; ) {
      day = day.plus({ days: 1 });
      if (day.weekday < 6 && holidayOn("US_FEDERAL", day.year, day.month, day.day) === undefined) left -= 1;
    }
  return day.endOf("day").toMillis();
}

const ZONES = [
  "America/New_York",
  "America/St_Johns",
  "America/Los_Angeles",
  "Asia/Kathmandu",
  "Europe/London",
];

describe("a revocation's deadline", () => {
  it("is the one worked out afresh, for every instant asked in any order", () => {
    const start = Date.parse("2026-10-30T00:00:00Z");
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 4000; i++) {
      // Instants over ten weeks (a clock change, Thanksgiving, Christmas), minutes near midnight often.
      const ms = start + Math.floor(random() * 70 * 96) * 900_000 + (random() < 0.5 ? -60_000 : 60_000);
      const zone = ZONES[i % ZONES.length] as string;
      const rule = REVOCATION_RULES[i % REVOCATION_RULES.length] as RevocationRule;
      expect(revocationDeadline(rule, ms, zone), `${rule.id} ${new Date(ms).toISOString()} ${zone}`).toBe(
        reference(rule, ms, zone),
      );
    }
  });

  it("two instants of one local day share it; the next minute after midnight does not", () => {
    const rule = REVOCATION_RULES.find(
      (r) => r.deadline !== null && "businessDays" in r.deadline,
    ) as RevocationRule;
    const zone = "America/St_Johns";
    const late = Date.parse("2026-12-03T23:59:00-03:30");
    const early = Date.parse("2026-12-03T00:01:00-03:30");
    expect(revocationDeadline(rule, late, zone)).toBe(revocationDeadline(rule, early, zone));
    const next = Date.parse("2026-12-04T00:01:00-03:30");
    expect(revocationDeadline(rule, next, zone)).toBe(reference(rule, next, zone));
    expect(reference(rule, next, zone)).not.toBe(reference(rule, late, zone));
  });

  it("an unknown zone gives what luxon gives it", () => {
    const rule = REVOCATION_RULES[0] as RevocationRule;
    const ms = Date.parse("2026-12-04T12:00:00Z");
    expect(revocationDeadline(rule, ms, "Mars/Olympus")).toEqual(reference(rule, ms, "Mars/Olympus"));
  });
});
