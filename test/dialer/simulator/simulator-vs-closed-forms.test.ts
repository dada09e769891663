import { describe, expect, it } from "vitest";
import { erlangA, erlangB, mmnD, progressive, simulate } from "../../../src/dialer/simulator/index.ts";
import { textbookParams } from "./helpers.ts";

/**
 * "How to trust a simulator" (reference/queueing.md): open-loop Poisson dialing reproduces the
 * closed forms within its own 95% CI over ≥ 10⁶ answers; progressive reproduces its formula.
 */
describe("open-loop simulation against the closed forms", () => {
  it("M/M/n+D (2-second rule): n = 20, AHT 120 s, 0.15 answers/s — P(ab) 0.10233 inside the CI", () => {
    const r = simulate(textbookParams({ hours: 1900 }));
    const expected = mmnD(20, 0.15, 1 / 120, 2);
    expect(r.answered).toBeGreaterThan(1_000_000);
    expect(r.abandonment.ci95.low).toBeLessThanOrEqual(expected.pAbandon);
    expect(r.abandonment.ci95.high).toBeGreaterThanOrEqual(expected.pAbandon);
    // The CI is informative (half-width well under 2 points) and occupancy agrees to 0.5%.
    expect(r.abandonment.ci95.high - r.abandonment.ci95.low).toBeLessThan(0.01);
    expect(r.occupancy).toBeCloseTo(expected.occupancy, 2);
    expect(r.pWait).toBeCloseTo(expected.pWait, 2);
    // With deterministic patience every call not connected within τ is exactly a dropped one.
    expect(r.pWaitOverTau).toBeCloseTo(r.abandonment.rate, 12);
    // Erlang B (drop at once) would be a different, wrong answer: outside the CI.
    expect(r.abandonment.ci95.high).toBeLessThan(erlangB(20, 18));
  });

  it("Erlang A: n = 14, AHT 3 min, λ = 100/30 per min, mean patience 5 min — inside the CI", () => {
    const r = simulate(
      textbookParams({
        agents: 14,
        dialsPerSecond: 1 / 18,
        talk: { kind: "exponential", mean: 180 },
        patience: { kind: "exponential", mean: 300 },
        hours: 5000,
      }),
    );
    const expected = erlangA(14, 1 / 18, 1 / 180, 1 / 300);
    expect(r.answered).toBeGreaterThan(1_000_000);
    expect(r.abandonment.ci95.low).toBeLessThanOrEqual(expected.pAbandon);
    expect(r.abandonment.ci95.high).toBeGreaterThanOrEqual(expected.pAbandon);
    expect(r.pWait).toBeCloseTo(expected.pWait, 2);
    expect(r.occupancy).toBeCloseTo(expected.occupancy, 2);
  });

  it("drop at once (τ = 0) is Erlang B, whatever the talk-time distribution (insensitivity)", () => {
    const r = simulate(
      textbookParams({
        patience: { kind: "deterministic", mean: 0 },
        talk: { kind: "lognormal", mean: 120, cv: 1.5 },
        hours: 600,
      }),
    );
    const expected = erlangB(20, 18);
    expect(r.abandonment.ci95.low).toBeLessThanOrEqual(expected);
    expect(r.abandonment.ci95.high).toBeGreaterThanOrEqual(expected);
  });
});

describe("progressive simulation against the progressive formula", () => {
  it("p = 0.25, Dn = 20 s, Dl = 8 s, H = 120 s: cycle 188 s, 19.15 connects/agent-h, occupancy 0.638", () => {
    const r = simulate(
      textbookParams({
        mode: "progressive",
        liveRate: 0.25,
        noAnswerRate: 0.75,
        noAnswerSeconds: 20,
        ring: { kind: "lognormal", mean: 6.5, cv: 0.5 },
        greetingSeconds: 1.5,
        talk: { kind: "exponential", mean: 110 },
        wrap: { kind: "exponential", mean: 10 },
        hours: 300,
      }),
    );
    const expected = progressive({ answerRate: 0.25, nonLiveSeconds: 20, liveSeconds: 8, ahtSeconds: 120 });
    expect(r.abandonment.rate).toBe(0);
    expect(r.occupancy).toBeCloseTo(expected.occupancy, 2);
    expect(r.perHour.connects / 20).toBeGreaterThan(expected.connectsPerAgentHour * 0.99);
    expect(r.perHour.connects / 20).toBeLessThan(expected.connectsPerAgentHour * 1.01);
    expect(r.perHour.dials / 20).toBeCloseTo(expected.dialsPerAgentHour, 0);
    // Each agent holds at most one line: channels never exceed agents.
    expect(r.peakChannels).toBeLessThanOrEqual(20);
  });
});
