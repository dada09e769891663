import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RowJson } from "../../../src/campaigns/segment/row-json.ts";
import type { SegmentedContact } from "../../../src/campaigns/segment/segmented-contact.ts";

/**
 * RowJson must give exactly `JSON.stringify(row)` and a newline, for every row: the verdict
 * part encoded once per combination of frozen lists, instant and allowed, and the rest per row.
 */
const lineOf = (rowJson: RowJson, row: SegmentedContact): string => {
  const tail = rowJson.tail(row);
  return tail ? rowJson.head(row) + tail.toString("utf8") : `${JSON.stringify(row)}\n`;
};

const frozen = <T>(list: T[]): T[] => {
  for (const item of list) if (typeof item === "object" && item !== null) Object.freeze(item);
  return Object.freeze(list) as T[];
};

// Text with what JSON must escape: quotes, backslashes, controls, non-ASCII, lone surrogates.
const awkward = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom('Ann "Jo"', "C:\\x", "tab\there", "line\nbreak", "Ø 李 🙂", "\ud800", "\u2028"),
);
const nullable = fc.option(awkward, { nil: null });
const reason = fc.record({
  code: fc.constantFrom("no_consent", "national_dnc", "outside_hours"),
  jurisdiction: fc.constantFrom("US", "FL"),
  zone: fc.option(fc.constantFrom("America/New_York", "America/Chicago"), { nil: null }),
  ruleId: fc.constantFrom("us-consent", "fl-hours"),
  message: awkward,
});

describe("RowJson", () => {
  it("writes exactly JSON.stringify(row) for any row, shared frozen lists or not", () => {
    // A few shared frozen lists, as the segmenter hands out, and fresh unfrozen ones.
    fc.assert(
      fc.property(
        fc.array(fc.array(reason, { maxLength: 3 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.array(fc.constantFrom("America/New_York", "America/Chicago", "Pacific/Honolulu")), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.array(
          fc.record({
            id: awkward,
            firstName: nullable,
            lastName: nullable,
            phone: awkward,
            timeZone: nullable,
            state: nullable,
            consentCall: fc.option(fc.boolean(), { nil: null }),
            allowed: fc.boolean(),
            reasonsAt: fc.nat(),
            zonesAt: fc.nat(),
            statesAt: fc.nat(),
            nextAllowedAt: fc.option(
              fc.constantFrom("2026-03-10T09:00:00-05:00", "2026-03-11T08:00:00-08:00"),
              {
                nil: null,
              },
            ),
            freshLists: fc.boolean(),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        (reasonLists, zoneLists, specs) => {
          const sharedReasons = reasonLists.map(frozen);
          const sharedZones = zoneLists.map(frozen);
          const rowJson = new RowJson();
          for (const spec of specs) {
            const pick = <T>(lists: T[][], at: number) => lists[at % lists.length] as T[];
            const row: SegmentedContact = {
              id: spec.id,
              firstName: spec.firstName,
              lastName: spec.lastName,
              phone: spec.phone,
              timeZone: spec.timeZone,
              state: spec.state,
              consentCall: spec.consentCall,
              allowed: spec.allowed,
              reasons: spec.freshLists
                ? structuredClone(pick(sharedReasons, spec.reasonsAt))
                : pick(sharedReasons, spec.reasonsAt),
              zones: pick(sharedZones, spec.zonesAt),
              states: spec.freshLists ? ["FL"] : pick(sharedZones, spec.statesAt),
              nextAllowedAt: spec.nextAllowedAt,
            };
            expect(lineOf(rowJson, row)).toBe(`${JSON.stringify(row)}\n`);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("encodes a shared part once, keeps rows that differ only in allowed or instant apart, and starts over when its ids run out", () => {
    const rowJson = new RowJson();
    const zones = frozen(["America/New_York"]);
    const none = frozen<SegmentedContact["reasons"][number]>([]);
    const base: SegmentedContact = {
      id: "c1",
      firstName: null,
      lastName: null,
      phone: "+12125550100",
      timeZone: null,
      state: null,
      consentCall: true,
      allowed: true,
      reasons: none,
      zones,
      states: zones,
      nextAllowedAt: "2026-03-10T09:00:00-05:00",
    };
    const first = rowJson.tail(base);
    expect(rowJson.tail({ ...base, id: "c2" })).toBe(first); // the same bytes, not made again
    expect(rowJson.tail({ ...base, allowed: false })?.toString()).toContain('"allowed":false');
    expect(rowJson.tail({ ...base, nextAllowedAt: null })?.toString()).toContain('"nextAllowedAt":null');
    // A reason list whose items could change is never known by its identity.
    const open: SegmentedContact["reasons"] = [
      { code: "x", jurisdiction: "US", zone: null, ruleId: "r", message: "m" },
    ];
    Object.freeze(open);
    expect(rowJson.tail({ ...base, reasons: open })).toBeUndefined();
    // More distinct lists than ids: still the right text every time.
    for (let i = 0; i < 10_000; i++) {
      const row = { ...base, zones: frozen([`Zone/${i}`]) };
      expect(lineOf(rowJson, row)).toBe(`${JSON.stringify(row)}\n`);
    }
  });
});
