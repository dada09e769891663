import { describe, expect, it } from "vitest";
import { binomialCdf, exactInterval, exactUpper, wilson } from "../../../src/core/binomial-interval.ts";
import { abandonmentLedger, type LedgerHour, planOf } from "../../../src/dialer/abandonment/ledger.ts";
import { REGIMES } from "../../../src/dialer/abandonment/regimes.ts";
import { sampleIds, samplingPlan } from "../../../src/dialer/abandonment/sampling-plan.ts";

/** Issue 67 §2: the ledger's figures, intervals and sampling plan (pure). */
const AT = Date.UTC(2026, 10, 26, 12, 30);
const NOW_HOUR = Math.floor(AT / 3_600_000);

describe("binomial intervals", () => {
  it("Wilson and the exact bounds agree with published values", () => {
    const [lo, hi] = wilson(0, 10);
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo(0.2775, 4);
    const [l2, h2] = wilson(30, 1000);
    expect(l2).toBeCloseTo(0.02109, 4);
    expect(h2).toBeCloseTo(0.0425, 4);
    // The rule of three: 0 of n shows "under 1%" at 95% from n = 299.
    expect(exactUpper(0, 299)).toBeLessThan(0.01);
    expect(exactUpper(0, 298)).toBeGreaterThan(0.01);
    expect(exactInterval(5, 100)[0]).toBeCloseTo(0.01643, 4);
    expect(exactInterval(5, 100)[1]).toBeCloseTo(0.11284, 4);
    expect(binomialCdf(2, 5000, 0.001)).toBeCloseTo(0.12453, 4);
  });
});

describe("the sampling plan", () => {
  it("asks for the reviews that show 'under X%' at 95% given what was found so far", () => {
    expect(samplingPlan(0, 0, 0.01).reviewMore).toBe(299);
    const some = samplingPlan(200, 1, 0.01);
    expect(some.shownNow).toBe(false);
    expect(some.reviewMore).toBeGreaterThan(0);
    const after = some.sampled + (some.reviewMore as number);
    expect(exactUpper(Math.round((after * 1) / 200), after)).toBeLessThan(0.01);
    expect(samplingPlan(1000, 1, 0.01)).toMatchObject({ shownNow: true, reviewMore: 0 });
    // Found at 1.5%: no sample shows "under 1%".
    expect(samplingPlan(200, 3, 0.01).reviewMore).toBeNull();
  });

  it("draws a reproducible sample of ids, the same in any order, growing without a redraw", () => {
    const ids = Array.from({ length: 500 }, (_, i) => `call-${i}`);
    const a = sampleIds(ids, 20, "C1");
    expect(a).toHaveLength(20);
    expect(sampleIds([...ids].reverse(), 20, "C1")).toEqual(a);
    expect(sampleIds(ids, 20, "C2")).not.toEqual(a);
    expect(sampleIds(ids, 25, "C1").slice(0, 20)).toEqual(a);
  });
});

/** `days` days of hours ending at the current hour, 8 dialing hours a day. */
function hours(days: number, fill: (h: number) => Omit<LedgerHour, "hour">): LedgerHour[] {
  const out: LedgerHour[] = [];
  for (let h = NOW_HOUR - days * 24 + 1; h <= NOW_HOUR; h++)
    if (h % 24 >= 9 && h % 24 < 17) out.push({ hour: h, ...fill(h) });
  return out;
}

describe("the ledger", () => {
  it("gives each regime of the rule table its figure over its own window, with counts, interval, limit and headroom", () => {
    const data = hours(40, () => ({ live: 100, abandoned: 2, machines: 50 }));
    const ledger = abandonmentLedger({ at: AT, hours: data });
    expect(ledger.regimes.map((r) => r.regime)).toEqual(REGIMES.map((r) => r.id));
    const ftc = ledger.regimes.find((r) => r.regime === "ftc-30d")!;
    expect(ftc.counted.live).toBe(30 * 8 * 100);
    expect(ftc.rate).toBeCloseTo(0.02, 10);
    expect(ftc.limit).toBe(0.03);
    expect(ftc.headroom).toBeCloseTo(0.01 * 24_000, 6);
    expect(ftc.interval95![0]).toBeLessThan(0.02);
    expect(ftc.interval95![1]).toBeGreaterThan(0.02);
    const today = ledger.regimes.find((r) => r.regime === "day")!;
    // 09:00–12:59 today: 4 hours.
    expect(today.counted.live).toBe(400);
    const ofcom = ledger.regimes.find((r) => r.regime === "ofcom-24h")!;
    expect(ofcom.counted.live).toBe(800);
    expect(ledger.regimes.find((r) => r.regime === "crtc-month")!.limit).toBe(0.05);
  });

  it("counts the AMD estimate in Ofcom's figure only, shows it everywhere, and carries its interval", () => {
    const data = hours(3, () => ({ live: 100, abandoned: 2, machines: 50 }));
    const ledger = abandonmentLedger({ at: AT, hours: data, estimate: { sampled: 300, foundLive: 3 } });
    expect(ledger.amd.rate).toBeCloseTo(0.01, 10);
    expect(ledger.amd.interval95![0]).toBeLessThan(0.01);
    expect(ledger.amd.interval95![1]).toBeGreaterThan(0.02);
    const ofcom = ledger.regimes.find((r) => r.regime === "ofcom-24h")!;
    expect(ofcom.amd).toMatchObject({ machines: 400, estimatedPeople: 4, inFigure: true });
    expect(ofcom.rate).toBeCloseTo(20 / 804, 10);
    const ftc = ledger.regimes.find((r) => r.regime === "ftc-30d")!;
    expect(ftc.amd.inFigure).toBe(false);
    expect(ftc.amd.estimatedPeople).toBeCloseTo(0.01 * ftc.amd.machines, 10);
    expect(ftc.rate).toBeCloseTo(0.02, 10);
    // The estimate's uncertainty widens Ofcom's interval beyond the counted figure's.
    const plain = abandonmentLedger({ at: AT, hours: data }).regimes.find((r) => r.regime === "ofcom-24h")!;
    expect(ofcom.interval95![1]).toBeGreaterThan(plain.interval95![1]);
  });

  it("a review that found no one still widens Ofcom's interval by its upper bound", () => {
    const data = hours(2, () => ({ live: 100, abandoned: 2, machines: 50 }));
    const none = abandonmentLedger({ at: AT, hours: data, estimate: { sampled: 100, foundLive: 0 } });
    const plain = abandonmentLedger({ at: AT, hours: data });
    const ofcom = (l: typeof none) => l.regimes.find((r) => r.regime === "ofcom-24h")!;
    expect(ofcom(none).rate).toBeCloseTo(ofcom(plain).rate!, 12);
    expect(ofcom(none).amd.inFigure).toBe(true);
    expect(ofcom(none).interval95![1]).toBeGreaterThan(ofcom(plain).interval95![1] + 0.01);
  });

  it("finds Ofcom's worst rolling 24 hours in the data kept", () => {
    const bad = NOW_HOUR - 5 * 24 - 1; // 11:00 five days ago: 60 drops in 100
    const data = hours(10, (h) => ({ live: 100, abandoned: h === bad ? 60 : 1, machines: 0 }));
    const ofcom = abandonmentLedger({ at: AT, hours: data }).regimes.find((r) => r.regime === "ofcom-24h")!;
    expect(ofcom.rate).toBeCloseTo(0.01, 10);
    expect(ofcom.worst!.rate).toBeCloseTo(67 / 800, 10);
    expect(ofcom.over).toBe(false);
    expect(Date.parse(ofcom.worst!.window.to)).toBeGreaterThan(bad * 3_600_000);
  });

  it("widens the interval by the hours' spread when they vary more than a binomial", () => {
    const steady = hours(2, () => ({ live: 200, abandoned: 4, machines: 0 }));
    const swinging = hours(2, (h) => ({ live: 200, abandoned: h % 2 === 0 ? 0 : 8, machines: 0 }));
    const width = (data: LedgerHour[]) => {
      const f = abandonmentLedger({ at: AT, hours: data }).regimes[0]!;
      return f.interval95![1] - f.interval95![0];
    };
    expect(width(swinging)).toBeGreaterThan(1.5 * width(steady));
  });

  it("plans the review from the estimate's evidence", () => {
    expect(planOf(undefined, 0.01).reviewMore).toBe(299);
    expect(planOf({ rate: 0.004 }, 0.01).reviewMore).toBe(299);
    expect(planOf({ sampled: 400, foundLive: 0 }, 0.01).shownNow).toBe(true);
  });
});
