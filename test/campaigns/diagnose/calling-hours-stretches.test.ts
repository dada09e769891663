import { describe, expect, it } from "vitest";
import { complianceCallingHours } from "../../../src/campaigns/diagnose/windows.ts";
import { ComplianceEngine } from "../../../src/compliance/engine.ts";
import { parseNanp } from "../../../src/core/phone-number.ts";

/**
 * The forecast's calling hours ask the engine once per group and stretch (a stretch ends at the
 * engine's next clock change: a midnight, a window opening or closing in one of the number's
 * zones), not once per group and slot. The answers must be the engine's own at every instant:
 * across both clock changes, a holiday with a state ban (Thanksgiving in Utah and Rhode Island),
 * weekends, states with their own windows and numbers whose area code spans two zones.
 */
const RECORDS = [
  { phone: "+12127748100", zone: "America/New_York", state: "NY" },
  { phone: "+13056631111", zone: "America/New_York", state: "FL" },
  { phone: "+18013324455", zone: "America/Denver", state: "UT" },
  { phone: "+14014561234", zone: "America/New_York", state: "RI" },
  { phone: "+15129876543", zone: "America/Chicago", state: "TX" },
  { phone: "+12087654321", zone: undefined, state: "ID" },
  { phone: "+16055551234", zone: "America/Denver", state: "SD" },
  { phone: "+12134457144", zone: "America/Los_Angeles", state: "CA" },
  { phone: "+19075553456", zone: "America/Anchorage", state: "AK" },
  { phone: "+18085552345", zone: "Pacific/Honolulu", state: "HI" },
  { phone: "+17095551234", zone: "America/St_Johns", state: undefined },
  { phone: "+13125558640", zone: "America/New_York", state: "IL" },
];

const HOURS_CODES = new Set(["outside_calling_hours", "no_calls_on_this_day", "holiday"]);

function engineSays(engine: ComplianceEngine, record: (typeof RECORDS)[number], atMs: number): boolean {
  const verdict = engine.evaluateUncached({
    number: parseNanp(record.phone)!,
    atMs,
    declaredZone: record.zone,
    addressState: record.state,
    consent: true,
    onDnc: false,
    searchDays: 0,
  });
  return !verdict.reasons.some((r) => HOURS_CODES.has(r.code));
}

// Seven minutes: off the quarter hours, so a stretch ending a few minutes early or late is seen.
const STEP = 7 * 60_000;
const SPANS = [
  ["2026-03-06T12:00:00Z", "2026-03-09T12:00:00Z"], // spring forward (Sunday 8 March)
  ["2026-10-30T12:00:00Z", "2026-11-02T12:00:00Z"], // fall back (Sunday 1 November)
  ["2026-11-25T00:00:00Z", "2026-11-28T06:00:00Z"], // Thanksgiving, then a Saturday
] as const;

describe("the forecast's calling hours, asked by stretch", () => {
  for (const [from, to] of SPANS)
    it(`are the engine's own every 7 minutes from ${from} to ${to}, in order and out of it`, () => {
      const reference = new ComplianceEngine();
      const hours = complianceCallingHours(new ComplianceEngine());
      const groups = RECORDS.map((r) => hours.groupOf({ ...r, dnc: false } as never));
      const instants: number[] = [];
      for (let t = Date.parse(from); t <= Date.parse(to); t += STEP) instants.push(t);
      // In order (the forecast's walk), then shuffled (other callers' asks).
      const shuffled = instants.map(
        (t, i) => [t, ((i * 48271 + 11) % 2147483647) ^ (i * 2654435761)] as const,
      );
      shuffled.sort((a, b) => a[1] - b[1]);
      for (const order of [instants, shuffled.map(([t]) => t)]) {
        const differ: string[] = [];
        for (const t of order)
          RECORDS.forEach((record, i) => {
            const ours = hours.isOpen(groups[i]!, t);
            if (ours !== engineSays(reference, record, t))
              differ.push(`${record.phone} ${record.state} at ${new Date(t).toISOString()}: ${ours}`);
          });
        expect(differ.slice(0, 5)).toEqual([]);
      }
    });

  it("a day and a half of 15-minute slots costs a group a few questions, not one a slot", () => {
    const engine = new ComplianceEngine();
    let asked = 0;
    const evaluate = engine.evaluateUncached.bind(engine);
    engine.evaluateUncached = (input) => {
      asked++;
      return evaluate(input);
    };
    const cached = engine.evaluate.bind(engine);
    engine.evaluate = (input) => {
      asked++;
      return cached(input);
    };
    const hours = complianceCallingHours(engine);
    const groups = RECORDS.map((r) => hours.groupOf({ ...r, dnc: false } as never));
    const start = Date.parse("2026-12-08T02:00:00Z");
    const slots = 108;
    for (let s = 0; s < slots; s++) for (const g of groups) hours.isOpen(g, start + s * 15 * 60_000);
    // Each group: its zones' midnights, openings and closings over 27 hours (a few each), not 108.
    expect(asked).toBeLessThanOrEqual(groups.length * 10);
    expect(asked).toBeGreaterThanOrEqual(groups.length);
  });
});
