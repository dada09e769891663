import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { iso } from "../../../src/emulator/cxone/data/wire.ts";

describe("the emulator's fast ISO formatter", () => {
  it("writes exactly what Date#toISOString writes, in and out of order, across days and years", () => {
    const edges = [
      0, -1, 86_399_999, 86_400_000, 253_402_300_799_999, 253_402_300_800_000, -62_167_219_200_001, 1.5,
    ];
    for (const ms of edges) expect(iso(ms)).toBe(new Date(ms).toISOString());
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.nat({ max: 200_000_000 }), (ms, step) => {
        expect(iso(ms)).toBe(new Date(ms).toISOString());
        const next = Math.min(ms + step, 8.64e15);
        expect(iso(next)).toBe(new Date(next).toISOString());
      }),
      { numRuns: 2000 },
    );
  });
});
