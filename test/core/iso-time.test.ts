import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoString } from "../../src/core/iso-time.ts";

describe("isoString", () => {
  it("writes exactly what Date#toISOString writes, for any instant Date can hold", () => {
    const ms = fc.oneof(
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      fc.integer({ min: Date.UTC(1999, 0, 1), max: Date.UTC(2031, 0, 1) }),
      fc.double({ min: -1e13, max: 1e13, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(ms, { minLength: 1, maxLength: 20 }), (list) => {
        for (const m of list) expect(isoString(m)).toBe(new Date(m).toISOString());
      }),
      { numRuns: 2000 },
    );
    // Around day boundaries, in order and back (the day is cached), and the years' edges.
    const day = Date.UTC(2026, 2, 8);
    for (const m of [day - 1, day, day + 1, day + 86_399_999, day + 86_400_000, day - 86_400_000, 0, -1])
      expect(isoString(m)).toBe(new Date(m).toISOString());
    for (const m of [Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), Date.UTC(-1, 0, 1)])
      expect(isoString(m)).toBe(new Date(m).toISOString());
    expect(() => isoString(Number.NaN)).toThrow(RangeError);
    expect(() => isoString(9e15)).toThrow(RangeError);
  });
});
