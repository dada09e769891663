import { describe, expect, it } from "vitest";
import { erlangA, mmnD, paramsFromConfig, simulate } from "../../../src/dialer/simulator/index.ts";
import { dialerConfig, textbookParams } from "./helpers.ts";

/** Conservation laws every run must satisfy, whatever the mode. */
describe("simulation invariants", () => {
  const modes = ["open", "progressive", "predictive", "adaptive"] as const;

  for (const mode of modes) {
    it(`${mode}: Little's law on channels, occupancy < 1, connects = answers − drops, occupancy·n·3600/AHT = connects/h`, () => {
      const config = dialerConfig({
        traffic: {
          liveAnswerRate: 0.3,
          machineRate: 0.15,
          noAnswerRate: 0.4,
          ringSeconds: 8,
          noAnswerTimeoutSeconds: 25,
          greetingSeconds: 1.5,
          talkSeconds: 110,
          wrapSeconds: 10,
        },
      });
      const r = simulate(paramsFromConfig(config, { mode, hours: 40, dialRatio: 2.5 }));
      const dialsPerSecond = r.perHour.dials / 3600;
      expect(r.meanChannels).toBeGreaterThan(0);
      expect(Math.abs(r.meanChannels - dialsPerSecond * r.meanHoldingSeconds) / r.meanChannels).toBeLessThan(
        0.02,
      );
      expect(r.occupancy).toBeLessThan(1);
      expect(r.occupancy).toBeGreaterThan(0.3);
      expect(Math.abs(r.perHour.connects - r.perHour.liveAnswers * (1 - r.abandonment.rate))).toBeLessThan(
        r.perHour.liveAnswers * 0.002,
      );
      const connectsFromOccupancy = (r.occupancy * r.agents * 3600) / 120;
      expect(Math.abs(connectsFromOccupancy - r.perHour.connects) / r.perHour.connects).toBeLessThan(0.02);
      expect(r.peakChannels).toBeLessThanOrEqual(r.channelLimit);
      expect(r.abandonment.ci95.low).toBeLessThanOrEqual(r.abandonment.rate);
      expect(r.abandonment.ci95.high).toBeGreaterThanOrEqual(r.abandonment.rate);
      // Outcome mix follows the traffic's probabilities.
      expect(r.perHour.liveAnswers / r.perHour.dials).toBeCloseTo(0.3, 1);
      expect(r.perHour.machines / r.perHour.dials).toBeCloseTo(0.15, 1);
    });
  }

  it("Little's law on the queue, and the mean wait of Erlang A (= P(ab)/θ)", () => {
    const r = simulate(
      textbookParams({
        agents: 14,
        dialsPerSecond: 1 / 18,
        talk: { kind: "exponential", mean: 180 },
        hours: 2000,
        patience: { kind: "exponential", mean: 300 },
      }),
    );
    const answersPerSecond = r.perHour.liveAnswers / 3600;
    expect(r.meanWaitingCalls).toBeCloseTo(answersPerSecond * r.meanWaitAllSeconds, 3);
    expect(r.meanWaitAllSeconds / 300).toBeCloseTo(r.abandonment.rate, 3);
    expect(r.meanWaitAllSeconds).toBeCloseTo(erlangA(14, 1 / 18, 1 / 180, 1 / 300).meanWait, 0);
  });

  it("same seed → same result; another seed → another sample", () => {
    const config = dialerConfig();
    const a = simulate(paramsFromConfig(config, { mode: "predictive", hours: 5, seed: 42 }));
    const b = simulate(paramsFromConfig(config, { mode: "predictive", hours: 5, seed: 42 }));
    const c = simulate(paramsFromConfig(config, { mode: "predictive", hours: 5, seed: 43 }));
    expect(b).toEqual(a);
    expect(c.perHour.dials).not.toBe(a.perHour.dials);
  });

  it("a trunk limit caps the channels, and open-loop dials beyond it are counted as blocked", () => {
    const config = dialerConfig({ carrier: { trunks: 25 } });
    const limited = simulate(paramsFromConfig(config, { mode: "open", hours: 10, dialRatio: 6 }));
    expect(limited.peakChannels).toBe(25);
    expect(limited.perHour.blockedDials).toBeGreaterThan(0);
    const predictive = simulate(paramsFromConfig(config, { mode: "predictive", hours: 10, dialRatio: 6 }));
    expect(predictive.peakChannels).toBeLessThanOrEqual(25);
  });

  it("call spacing keeps dials at least that far apart", () => {
    const config = dialerConfig({
      concurrency: { maxAgents: 20, maxSimultaneousCalls: 10_000, callSpacingMs: 2000 },
    });
    const r = simulate(paramsFromConfig(config, { mode: "predictive", hours: 5, dialRatio: 4 }));
    expect(r.perHour.dials).toBeLessThanOrEqual(1800 + 1);
    expect(r.perHour.dials).toBeGreaterThan(1500);
  });
});

describe("predictive (closed-loop) against open-loop dialing", () => {
  it("at 3% abandonment or less, predictive keeps 20 agents busier than open-loop's ≈ 0.69", () => {
    // Open loop: the Poisson rate whose M/M/n+D abandonment is exactly 3% (bisection).
    let lo = 0;
    let hi = 20 / 120;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (mmnD(20, mid, 1 / 120, 2).pAbandon < 0.03) lo = mid;
      else hi = mid;
    }
    const openLoop = mmnD(20, lo, 1 / 120, 2).occupancy;
    expect(openLoop).toBeCloseTo(0.69, 2);
    const r = simulate(paramsFromConfig(dialerConfig(), { mode: "predictive", hours: 60, dialRatio: 2 }));
    expect(r.abandonment.ci95.high).toBeLessThanOrEqual(0.03);
    expect(r.occupancy).toBeGreaterThan(openLoop + 0.1);
  });

  it("adaptive pacing steers abandonment to its target and beats open-loop occupancy", () => {
    const r = simulate(paramsFromConfig(dialerConfig(), { mode: "adaptive", hours: 60, dialRatio: 8 }));
    expect(r.abandonment.rate).toBeGreaterThan(0.015);
    expect(r.abandonment.rate).toBeLessThan(0.035);
    expect(r.occupancy).toBeGreaterThan(0.72);
    expect(r.dialLevel.mean).toBeGreaterThan(1);
    expect(r.dialLevel.mean).toBeLessThan(8);
  });

  it("more dial ratio → more abandonment and more occupancy (monotone over a sweep)", () => {
    const runs = [1.5, 2, 2.5, 3].map((ratio) =>
      simulate(paramsFromConfig(dialerConfig(), { mode: "predictive", hours: 30, dialRatio: ratio })),
    );
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i]?.abandonment.rate).toBeGreaterThan(runs[i - 1]?.abandonment.rate ?? 1);
      expect(runs[i]?.occupancy).toBeGreaterThan(runs[i - 1]?.occupancy ?? 1);
    }
  });
});
