import { describe, expect, it } from "vitest";
import { hotShare, isHot } from "../../../../src/dialer/pacing/cxo/guards.ts";
import { LegalWindow } from "../../../../src/dialer/pacing/cxo/legal-window.ts";
import { cxoTuning } from "../../../../src/dialer/pacing/cxo/tuning.ts";
import { DEFAULT_LIMITS } from "../../../../src/dialer/pacing/types.ts";

describe("cxo's guards", () => {
  const limits = { ...DEFAULT_LIMITS, target: 0.02 };
  const tuning = cxoTuning({}, limits);

  it("the short guard's line is chance's reach, between 1.5 × and 2 × the target (1.5 × under Ofcom's window)", () => {
    expect(hotShare(limits, tuning, 50)).toBe(0.04);
    expect(hotShare(limits, tuning, 100_000)).toBe(0.03);
    const chance = 0.02 + 2 * Math.sqrt((0.02 * 0.98) / 400);
    expect(hotShare(limits, tuning, 400)).toBeCloseTo(chance, 12);
    const ofcom = { ...limits, window: "ofcom-24h" as const };
    expect(hotShare(ofcom, cxoTuning({}, ofcom), 50)).toBe(0.03);
    expect(hotShare(limits, cxoTuning({ hotFactor: 1.7 }, limits), 50)).toBeCloseTo(0.034, 12);
  });

  it("fires on a hot half hour, and on the day's projection unless the floor is most of the target", () => {
    const w = new LegalWindow(limits);
    w.add(0, 0, 100, 1);
    expect(isHot(limits, tuning, w, 0, 0)).toBe(false);
    expect(isHot(limits, tuning, w, 0, 0.0195)).toBe(true);
    expect(isHot(limits, tuning, w, 0.016, 0.0195)).toBe(false);
    w.add(0, 60, 100, 10);
    expect(isHot(limits, tuning, w, 0.016, 0)).toBe(true);
  });
});
