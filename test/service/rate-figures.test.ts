import { describe, expect, it } from "vitest";
import { MIN_RATE_SAMPLE, rateFigures } from "../../src/service/rate-figures.ts";

/** Issue 64 §1: every rate with its counts; too small a sample raises nothing; disagreeing windows say why. */
const base = {
  successRate: 0.2,
  callsInWindow: 120,
  windowMinutes: 30,
  abandonmentRate: null,
  lastSource: "poll" as const,
  pacing: null,
  today: null,
};

describe("rateFigures", () => {
  it("a 2-minute-old paced campaign: 3 of 81 live answers over the target is 'too few', no alarm", () => {
    const figures = rateFigures({
      ...base,
      pacing: { abandonment: 3 / 25, liveAnswers: 25, window: "ftc-30d", target: 0.03 },
    });
    const window = figures.find((f) => f.id === "abandonment-window")!;
    expect(window).toMatchObject({
      label: "abandonment, FTC 30-day window",
      count: { of: 3, per: 25, unit: "live answers" },
      sample: "too-few",
      minimum: MIN_RATE_SAMPLE,
      alarm: false,
    });
    expect(figures.find((f) => f.id === "success")).toMatchObject({
      count: { of: 24, per: 120, unit: "completed calls" },
      sample: "enough",
      alarm: false,
    });
  });

  it("CXone's hourly rate without a count never alarms alone; a counted window over the limit does", () => {
    const figures = rateFigures({
      ...base,
      abandonmentRate: 0.0372,
      pacing: { abandonment: 0, liveAnswers: 120, window: "ftc-30d", target: 0.03 },
    });
    const recent = figures.find((f) => f.id === "abandonment-recent")!;
    expect(recent).toMatchObject({ rate: 0.0372, count: null, sample: "not-counted", alarm: false });
    // The two windows disagree: each says so, with the other's counts.
    expect(recent.differsFrom).toBe(
      "differs from 0.00 % over the FTC 30-day window (0 of 120 live answers): different windows; this one comes without its count",
    );
    expect(figures.find((f) => f.id === "abandonment-window")!.differsFrom).toMatch(
      /^differs from 3\.72 % over the last hour: different windows$/,
    );
    const over = rateFigures({
      ...base,
      today: { abandonRate: 0.05, abandons: 10, connects: 200 },
    });
    expect(over.find((f) => f.id === "abandonment-today")).toMatchObject({
      count: { of: 10, per: 200, unit: "connects" },
      sample: "enough",
      limit: 0.03,
      alarm: true,
    });
  });
});
