import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { parseNanp } from "../../src/compliance/index.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Properties over random numbers (single-zone, split and overlay area codes, territories,
 * Canada), instants across 2026 (both DST changes included), declared zones, address states
 * and attempt histories.
 */
const AREA_CODES = [
  "212",
  "312",
  "303",
  "415",
  "808",
  "602",
  "907",
  "787",
  "671",
  "684",
  "850",
  "448",
  "219",
  "928",
  "305",
  "801",
  "206",
  "214",
  "405",
  "410",
  "401",
  "860",
  "502",
  "416",
  "605",
  "208",
  "541",
  "906",
  "270",
];
const ZONES = [
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Phoenix",
  "America/Los_Angeles",
  "America/Anchorage",
  "Pacific/Honolulu",
  "America/Puerto_Rico",
];
const STATES = ["FL", "UT", "TX", "WA", "RI", "NY", "AZ", "OK", "MD"];
const START = Date.parse("2026-01-01T00:00:00Z");
const END = Date.parse("2027-01-01T00:00:00Z");

const callArb = fc.record({
  npa: fc.constantFrom(...AREA_CODES),
  nxx: fc.integer({ min: 200, max: 999 }),
  line: fc.integer({ min: 0, max: 9999 }),
  atMs: fc.oneof(
    fc.integer({ min: START, max: END }),
    // Bias towards the DST change days and the window edges.
    fc
      .constantFrom("2026-03-08", "2026-11-01")
      .chain((day) =>
        fc
          .integer({ min: 0, max: 48 * 60 - 1 })
          .map((minute) => Date.parse(`${day}T00:00:00Z`) + minute * 60_000),
      ),
  ),
  zone: fc.option(fc.constantFrom(...ZONES), { nil: undefined }),
  state: fc.option(fc.constantFrom(...STATES), { nil: undefined }),
  attemptOffsetsH: fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 5 }),
});

interface Call {
  npa: string;
  nxx: number;
  line: number;
  atMs: number;
  zone: string | undefined;
  state: string | undefined;
  attemptOffsetsH: number[];
}

function verdictFor(call: Call, atMs: number) {
  const number = parseNanp(`+1${call.npa}${call.nxx}${String(call.line).padStart(4, "0")}`);
  if (!number) throw new Error("generator made a bad number");
  return engine.evaluate({
    number,
    atMs,
    declaredZone: call.zone,
    addressState: call.state,
    consent: true,
    onDnc: false,
    attempts: call.attemptOffsetsH.map((h) => ({ atMs: call.atMs - h * 3_600_000 })),
    campaignCaps: { perDay: 2 },
  });
}

/**
 * The national calling window at `atMs` in `zone`: the TCPA's 08:00-21:00 for a US number; for a
 * Canadian one (jurisdiction "CA") the CRTC's 09:00-21:30 on weekdays and 10:00-18:00 at
 * weekends, which lets 21:00-21:30 on a weekday through (a Toronto number at 21:00 is allowed).
 */
const inNationalWindow = (atMs: number, zone: string, jurisdictions: readonly string[]) => {
  const local = DateTime.fromMillis(atMs, { zone });
  const minute = local.hour * 60 + local.minute;
  if (!jurisdictions.includes("CA")) return minute >= 8 * 60 && minute < 21 * 60;
  return local.weekday <= 5
    ? minute >= 9 * 60 && minute < 21 * 60 + 30
    : minute >= 10 * 60 && minute < 18 * 60;
};

describe("compliance properties", () => {
  it("an allowed call is inside 08:00-21:00 local in EVERY candidate zone", () => {
    fc.assert(
      fc.property(callArb, (call) => {
        const verdict = verdictFor(call, call.atMs);
        if (verdict.allowed) {
          expect(verdict.zones.length).toBeGreaterThan(0);
          for (const zone of verdict.zones)
            expect(inNationalWindow(call.atMs, zone, verdict.jurisdictions)).toBe(true);
        }
      }),
      { numRuns: 250 },
    );
  });

  it("nextAllowedAt, when not null, is itself allowed, not before `at`, and inside every zone's window", () => {
    fc.assert(
      fc.property(callArb, (call) => {
        const verdict = verdictFor(call, call.atMs);
        if (verdict.nextAllowedAt === null) return;
        const next = Date.parse(verdict.nextAllowedAt);
        expect(next).toBeGreaterThanOrEqual(call.atMs - 1000);
        const again = verdictFor(call, next);
        expect(again.reasons).toEqual([]);
        for (const zone of again.zones) expect(inNationalWindow(next, zone, again.jurisdictions)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("nextAllowedAt is the EARLIEST allowed instant: one minute before it is not allowed", () => {
    fc.assert(
      fc.property(callArb, (call) => {
        const verdict = verdictFor(call, call.atMs);
        if (verdict.allowed || verdict.nextAllowedAt === null) return;
        const next = Date.parse(verdict.nextAllowedAt);
        expect(verdictFor(call, next - 60_000).allowed).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
