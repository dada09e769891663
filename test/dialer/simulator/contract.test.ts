import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { dialerConfigSchema } from "../../../src/dialer/config.ts";
import { channelLoad, erlangB, predictAbandonment } from "../../../src/dialer/simulator/index.ts";
import { dialerConfig } from "./helpers.ts";

/** What the settings lifecycle imports: predictAbandonment and channelLoad. */
const example = dialerConfigSchema.parse(parse(readFileSync("examples/dialer.yaml", "utf8")));

describe("channelLoad", () => {
  it("is the simulated pacing's channel load (Little's law holds) with Erlang B on the trunks", () => {
    const load = channelLoad(example);
    // The predictive pacer re-dials as non-live attempts end: well above the open-loop
    // 43 available agents × ratio 2.5 / AHT 130 s = 0.83 dials/s (issue 20, item 9).
    expect(load.dialsPerSecond).toBeGreaterThan(1.1);
    // live 0.25 × (8 + 1.5 + 120) + machine 0.15 × 9.5 + no answer 0.45 × 25 + busy 0.15 × 3 ≈ 45.5 s.
    expect(load.holdingSeconds).toBeGreaterThan(44);
    expect(load.holdingSeconds).toBeLessThan(47);
    const little = load.dialsPerSecond * load.holdingSeconds;
    expect(Math.abs(load.meanBusyChannels - little) / little).toBeLessThan(0.02);
    expect(load.trunkBlocking).toBeCloseTo(erlangB(150, load.meanBusyChannels), 15);
    expect(load.trunks).toBe(150);
  });

  it("shows blocking when the trunks are too few for the load", () => {
    const tight = channelLoad({ ...example, carrier: { trunks: 30 } });
    expect(tight.trunkBlocking).toBeGreaterThan(0.1);
  });
});

describe("predictAbandonment", () => {
  it("simulates the config's own mode and ratio, reproducibly", () => {
    const a = predictAbandonment(example, { seed: 4 });
    expect(predictAbandonment(example, { seed: 4 })).toEqual(a);
    expect(a.ci95.low).toBeLessThanOrEqual(a.rate);
    expect(a.ci95.high).toBeGreaterThanOrEqual(a.rate);
    expect(a.answered).toBeGreaterThan(5000);
    expect(a.peakChannels).toBeLessThanOrEqual(150);
    // The seed's ratio of 4 at 25% live answers overloads the agents: far above 3%.
    const aggressive = predictAbandonment({ ...example, algorithm: { ...example.algorithm, dialRatio: 4 } });
    expect(aggressive.ci95.low).toBeGreaterThan(0.03);
  });

  it("progressive never abandons, and says how sure it is (rule of three)", () => {
    const config = dialerConfig({
      algorithm: { type: "progressive", abandonmentTarget: 0.03, dialRatio: 1, agentAvailabilityEstimate: 1 },
    });
    const p = predictAbandonment(config, { hours: 4 });
    expect(p.rate).toBe(0);
    expect(p.ci95.high).toBeCloseTo(3 / p.answered, 12);
    expect(p.peakChannels).toBeLessThanOrEqual(20);
  });
});
