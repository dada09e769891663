import { describe, expect, it } from "vitest";
import { FloorEstimate } from "../../../../src/dialer/pacing/cxo/floor.ts";
import {
  chancePacingCap,
  FLOOR_CHANCE_ALLOWANCE,
  FloorChance,
  ProgressiveVolume,
  poissonTail,
} from "../../../../src/dialer/pacing/cxo/floor-chance.ts";
import { emptyCounts, type PacingObservation } from "../../../../src/dialer/pacing/types.ts";

/** P(X ≥ k), X ~ Poisson(mean), k whole: 1 − the pmf summed below k. */
function exactTail(k: number, mean: number): number {
  let term = Math.exp(-mean);
  let below = term;
  for (let i = 1; i < k; i++) {
    term *= mean / i;
    below += term;
  }
  return 1 - below;
}

/** A floor read on `people` ready-tick people (10 a tick) with `drops` spread evenly among them. */
const floorOf = (people: number, drops: number) => {
  const f = new FloorEstimate();
  const ticks = people / 10;
  for (let i = 0; i < ticks; i++)
    f.learn(10, Math.floor(((i + 1) * drops) / ticks) - Math.floor((i * drops) / ticks), true);
  return f;
};

describe("the floor's chance: a day's Poisson tail", () => {
  it("is the Poisson tail at whole k, and rises smoothly between them", () => {
    for (const [k, mean] of [
      [10, 5.67],
      [21, 12.2],
      [107, 95.4],
      [1, 2],
    ] as const)
      expect(poissonTail(k, mean)).toBeCloseTo(exactTail(k, mean), 10);
    const between = poissonTail(10.5, 5.67);
    expect(between).toBeLessThan(poissonTail(10, 5.67));
    expect(between).toBeGreaterThan(poissonTail(11, 5.67));
    expect(poissonTail(0, 3)).toBe(1);
    expect(poissonTail(3, 0)).toBe(0);
  });
});

describe("the floor's chance: the cap on a day's pacing", () => {
  it("keeps the day's chance of ending over within the allowance of progressive's smaller day", () => {
    // A 22-agent team at 1% over a 0.61% floor, 2,000 people a day, 1.25 × progressive's.
    const cap = chancePacingCap(0.01, 0.0061, 2000, FLOOR_CHANCE_ALLOWANCE, 1.25);
    expect(cap * 2000).toBeGreaterThan(0.8);
    expect(cap * 2000).toBeLessThan(1);
    const line = poissonTail(0.01 * 1600 + 0.5, 0.0061 * 1600) + FLOOR_CHANCE_ALLOWANCE;
    expect(poissonTail(0.01 * 2000 + 0.5, (0.0061 + cap) * 2000)).toBeCloseTo(line, 6);
    // The more people pacing adds, the more room it buys; a larger allowance, more.
    expect(chancePacingCap(0.01, 0.0061, 2000, FLOOR_CHANCE_ALLOWANCE, 1.5)).toBeGreaterThan(cap);
    expect(chancePacingCap(0.01, 0.0061, 2000, 0.01, 1.25)).toBeGreaterThan(cap);
  });

  it("leaves a 10-agent team under a pacing drop every other day: a progressive day", () => {
    const cap = chancePacingCap(0.01, 0.0061, 930, FLOOR_CHANCE_ALLOWANCE, 1.09);
    expect(cap * 930).toBeGreaterThan(0);
    expect(cap * 930).toBeLessThan(0.5);
  });

  it("does not cap a day the floor does not rule (progressive's day over ≤ 1% of days), nor a day with no floor", () => {
    // The 50-agent example at 1% (~4,000 people a day), and the 10-agent team at 2%.
    expect(chancePacingCap(0.01, 0.006, 4000, FLOOR_CHANCE_ALLOWANCE, 1.1)).toBe(Number.POSITIVE_INFINITY);
    expect(chancePacingCap(0.02, 0.0061, 930, FLOOR_CHANCE_ALLOWANCE, 1.09)).toBe(Number.POSITIVE_INFINITY);
    expect(chancePacingCap(0.01, 0, 2000, FLOOR_CHANCE_ALLOWANCE, 1.25)).toBe(Number.POSITIVE_INFINITY);
  });

  it("allows no pacing where the floor alone is over the target and more people only add days over", () => {
    expect(chancePacingCap(0.01, 0.012, 2000, FLOOR_CHANCE_ALLOWANCE, 2)).toBe(0);
  });
});

const tick = (over: Partial<PacingObservation>, counts: Partial<PacingObservation["counts"]> = {}) =>
  ({
    now: 0,
    secondOfDay: 0,
    day: 0,
    elapsed: 1,
    agentsLoggedIn: 10,
    agentsReady: 0,
    agentsTalking: 6,
    agentsWrapping: 0,
    callsRinging: 4,
    callsWaiting: 0,
    callsConnected: 6,
    counts: { ...emptyCounts(), ...counts },
    ...over,
  }) as PacingObservation;

describe("progressive's day, from the campaign's own calls (Little's law)", () => {
  it("reads the campaign's people over what progressive's agents would reach", () => {
    const v = new ProgressiveVolume();
    // 1,000 s: 10 agents, 6 busy, 4 calls ringing; 0.2 dials and 0.05 people a second, 0.04 handled.
    for (let i = 0; i < 1000; i++) {
      v.add(tick({}, { handled: i % 25 === 0 ? 1 : 0 }), i % 20 === 0 ? 1 : 0);
      v.addDials(i % 5 === 0 ? 1 : 0);
    }
    v.roll();
    // handle 6,000 / 40 = 150 s, ring 4,000 / 200 = 20 s, 0.25 people a dial: progressive reaches
    // 10,000 / (150 + 80) = 43.5 people against the campaign's 50.
    expect(v.ratio).toBeCloseTo(50 / (10_000 / 230), 10);
  });

  it("keeps its ratio over a day with no paced dial (progressive throughout)", () => {
    const v = new ProgressiveVolume();
    v.roll();
    expect(Number.isNaN(v.ratio)).toBe(true);
    for (let i = 0; i < 100; i++) {
      v.add(tick({}, { handled: 1 }), 1);
      v.addDials(2);
    }
    v.roll();
    const r = v.ratio;
    for (let i = 0; i < 100; i++) v.add(tick({}, { handled: 1 }), 1);
    v.roll();
    expect(v.ratio).toBe(r);
  });
});

describe("the floor's chance judged at a day's opening", () => {
  it("waits for a day's volume and 1,000 people read on the ready ticks", () => {
    const c = new FloorChance();
    c.open(0.01, 0, floorOf(2000, 12));
    expect(c.cap).toBe(Number.POSITIVE_INFINITY);
    expect(c.progressive).toBe(false);
    c.open(0.01, 930, floorOf(900, 6));
    expect(c.cap).toBe(Number.POSITIVE_INFINITY);
  });

  it("dials a 10-agent team's day at 1% over a 0.6% floor progressively, not at 2%", () => {
    const c = new FloorChance();
    c.open(0.01, 930, floorOf(2000, 12));
    expect(c.cap * 930).toBeLessThan(0.5);
    expect(c.progressive).toBe(true);
    c.open(0.02, 930, floorOf(2000, 12));
    expect(c.progressive).toBe(false);
    expect(c.cap).toBe(Number.POSITIVE_INFINITY);
  });

  it("caps a 22-agent team's pacing at 1% and leaves its days paced, once its days read 1.25 × progressive's", () => {
    const c = new FloorChance();
    // Read as progressive's own day (no ratio yet), the allowance alone leaves under half a drop.
    c.open(0.01, 2000, floorOf(4000, 24));
    expect(c.progressive).toBe(true);
    // A paced day: handle 150 s, ring 20 s, 57 people from 200 dials: (150 × 57 + 4,000) / 10,000.
    for (let i = 0; i < 1000; i++) {
      c.volume.add(
        tick({}, { handled: i % 25 === 0 ? 1 : 0 }),
        Math.floor(((i + 1) * 57) / 1000) - Math.floor((i * 57) / 1000),
      );
      c.volume.addDials(i % 5 === 0 ? 1 : 0);
    }
    c.open(0.01, 2000, floorOf(4000, 24));
    expect(c.volume.ratio).toBeCloseTo(1.255, 10);
    expect(c.progressive).toBe(false);
    expect(c.cap).toBeGreaterThan(0);
    expect(c.cap).toBeLessThan(0.001);
  });
});
