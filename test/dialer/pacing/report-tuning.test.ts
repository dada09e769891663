import { describe, expect, it } from "vitest";
import { tuningText } from "../../../src/dialer/simulator/pacing-bench/report-html.ts";

/** The pacing report's tuning column is words a person reads, not JSON (it wrapped letter by letter). */
describe("the pacing report's tuning column", () => {
  it("names each setting, rounds numbers, summarises a schedule and says defaults for none", () => {
    expect(tuningText({ maxLevel: 1.3125, intensity: 40, dropLimit: 0.03 })).toBe(
      "maxLevel 1.31, intensity 40, dropLimit 0.03",
    );
    expect(tuningText({ schedule: "1.3,1.1,1.4,1.2", slotSeconds: 900 })).toBe(
      "schedule 4 values, 1.1–1.4, slotSeconds 900",
    );
    expect(tuningText({ schedule: [2, 1.5, 3] })).toBe("schedule 3 values, 1.5–3");
    expect(tuningText({})).toBe("defaults");
  });
});
