import { describe, expect, it } from "vitest";
import { createController, DEFAULT_LIMITS, emptyCounts } from "../../../src/dialer/pacing/index.ts";
import { answerRateAt, secondsOf } from "../../../src/dialer/pacing/scenario.ts";
import { clairvoyantSchedules, matchOnFrontier } from "../../../src/dialer/simulator/pacing-bench/bench.ts";
import { TUNING_STAGES } from "../../../src/dialer/simulator/pacing-bench/tuning.ts";
import { observation } from "./helpers.ts";
import { smallScenario } from "./small-scenario.ts";

/**
 * Issue 41 §2: the baselines pinned to the reference's description (../shared/reference/
 * pacing.md §2), not to the shape of their output; the tuning grid without gaps; the matched
 * comparison's frontier reading.
 */
describe("issabel predictor", () => {
  const limits = { ...DEFAULT_LIMITS, maxLinesPerAgent: 10 };
  // 100 dials, 25 live; 1 call handled in 100 s; 25 answers, 10 s each on average.
  const history = {
    ...emptyCounts(),
    dials: 100,
    liveAnswers: 25,
    handled: 1,
    handleSeconds: 100,
    answerSeconds: 250,
  };

  it("counts a busy agent when P(Exp(mean handle) ≤ elapsed + mean answer time) ≥ 0.97", () => {
    const run = (elapsed: number, overCommit: number) => {
      const c = createController("issabel", { limits, tuning: { threshold: 0.97, overCommit } });
      c.tick(observation({ agentsReady: 0, counts: history }));
      return c.tick(
        observation({
          now: 1,
          agentsReady: 2,
          agentsTalking: 2,
          busyElapsed: [elapsed, 100],
          callsWaiting: 1,
          callsRinging: 0,
        }),
      );
    };
    // 1 − e^(−(341 + 10)/100) = 0.9701 ≥ 0.97: counted; 340: 0.9698, not.
    expect(run(341, 0)).toBe(2 + 1 - 1);
    expect(run(340, 0)).toBe(2 + 0 - 1);
  });

  it("over-commit divides by the last 30 minutes' answer rate (floor 0.20), then subtracts calls originating", () => {
    const c = createController("issabel", { limits, tuning: { threshold: 0.97, overCommit: 1 } });
    c.tick(observation({ agentsReady: 0, counts: history }));
    expect(c.tick(observation({ now: 1, agentsReady: 2, callsRinging: 3 }))).toBe(2 / 0.25 - 3);
    const low = createController("issabel", { limits, tuning: { threshold: 0.97, overCommit: 1 } });
    low.tick(observation({ agentsReady: 0, counts: { ...history, liveAnswers: 10 } }));
    expect(low.tick(observation({ now: 1, agentsReady: 2 }))).toBe(2 / 0.2);
    // 31 minutes later the window is empty: fewer than 10 calls, no division.
    expect(low.tick(observation({ now: 31 * 60, agentsReady: 2 }))).toBe(2);
  });

  it("has no abandonment feedback", () => {
    const a = createController("issabel", { limits });
    const b = createController("issabel", { limits });
    a.tick(observation({ agentsReady: 0, counts: history }));
    b.tick(observation({ agentsReady: 0, counts: { ...history, abandons: 20 } }));
    const o = observation({ now: 1, agentsReady: 3 });
    expect(b.tick(o)).toBe(a.tick(o));
  });
});

describe("simulation optimiser (Impact Dialing)", () => {
  const limits = { ...DEFAULT_LIMITS, maxLinesPerAgent: 10 };
  const busyDay = (c: ReturnType<typeof createController>, abandons: number, agents: number) => {
    c.tick(
      observation({
        agentsLoggedIn: agents,
        agentsReady: 0,
        counts: {
          ...emptyCounts(),
          dials: 100,
          liveAnswers: 20,
          abandons,
          handled: 10,
          handleSeconds: 1000,
          answerSeconds: 240,
        },
      }),
    );
    return c.tick(observation({ now: 1, agentsLoggedIn: agents, agentsReady: agents, callsRinging: 1 }));
  };

  it("is progressive below 5 agents or 50 attempts", () => {
    const few = createController("simulation-optimiser", { limits });
    expect(busyDay(few, 0, 4)).toBe(4 - 1);
    const fresh = createController("simulation-optimiser", { limits });
    expect(fresh.tick(observation({ agentsReady: 8 }))).toBe(8);
    expect(fresh.status().ratio).toBe(1);
  });

  it("tries 6 dials-per-idle-agent factors from 1 to 1/answer rate, and dials factor × idle − in flight", () => {
    const c = createController("simulation-optimiser", { limits, tuning: { target: 0.2 } });
    const n = busyDay(c, 0, 10);
    const factor = c.status().ratio;
    // Answer rate 20/100: factors 1, 1.8, 2.6, 3.4, 4.2, 5.
    expect([1, 1.8, 2.6, 3.4, 4.2, 5].some((f) => Math.abs(f - factor) < 1e-9)).toBe(true);
    expect(n).toBe(Math.floor(factor * 10) - 1);
  });

  it("cuts the factor to 0.75× while the measured abandonment is over the target", () => {
    const calm = createController("simulation-optimiser", { limits, tuning: { target: 0.2 } });
    const hot = createController("simulation-optimiser", { limits, tuning: { target: 0.2 } });
    busyDay(calm, 0, 10);
    busyDay(hot, 5, 10); // 5 drops of 20 live answers: 25% > 3%
    expect(calm.status().ratio).toBeGreaterThan(1);
    expect(hot.status().ratio).toBeCloseTo(Math.max(1, 0.75 * calm.status().ratio), 9);
  });
});

describe("vicidial tapered", () => {
  const limits = DEFAULT_LIMITS;
  const at = (hhmm: string) => {
    const c = createController("vicidial-tapered", { limits, tuning: { maxLevel: 3, dropLimit: 0.03 } });
    // The 60 s drop check falls at t = 60: at the hhmm given.
    const base = secondsOf(hhmm) - 60;
    const tick = (t: number, over = {}) =>
      c.tick(observation({ now: t, secondOfDay: base + t, agentsReady: 10, ...over }));
    // All idle: the level doubles every 15 s to its maximum 3.
    for (let t = 0; t <= 45; t++) tick(t);
    expect(c.status().ratio).toBe(3);
    // Today's drops over the limit (> 50 calls): the next 60 s check tapers; agents busy, so the
    // 15 s step does not move the level meanwhile.
    tick(46, { agentsReady: 0, counts: { ...emptyCounts(), dials: 100, liveAnswers: 20, abandons: 5 } });
    for (let t = 47; t <= 61; t++) tick(t, { agentsReady: 0 });
    return c.status().ratio;
  };

  it("multiplies the level by (21:00 − now)/1000 in HHMM units, capped at 1, and 1.0 past 21:00", () => {
    expect(at("16:00")).toBeCloseTo(3 * ((2100 - 1600) / 1000), 9);
    expect(at("20:00")).toBeCloseTo(Math.max(1, 3 * ((2100 - 2000) / 1000)), 9);
    expect(at("09:00")).toBe(3);
    expect(at("21:10")).toBe(1);
  });
});

describe("clairvoyant per-slot fixed ratio", () => {
  it("applies one level per 15-minute slot, the VICIdial way", () => {
    const c = createController("clairvoyant", {
      limits: DEFAULT_LIMITS,
      tuning: { schedule: "1,2", slotSeconds: 900, scheduleStart: 9 * 3600 },
    });
    expect(c.tick(observation({ secondOfDay: secondsOf("09:05"), agentsReady: 4, agentsTalking: 6 }))).toBe(
      10 - 0,
    );
    expect(c.status().ratio).toBe(1);
    expect(
      c.tick(
        observation({
          secondOfDay: secondsOf("09:20"),
          agentsReady: 4,
          agentsTalking: 6,
          callsConnected: 6,
          callsRinging: 3,
        }),
      ),
    ).toBe(20 - 9);
    expect(c.status().ratio).toBe(2);
  });

  it("knows each slot's true conditions: a harder slot (lower answer rate) gets a higher level, and a larger aim never a lower one", async () => {
    const scenario = smallScenario();
    const schedules = await clairvoyantSchedules(scenario, 11, 0, () => undefined);
    expect(schedules.map((s) => s.aim)).toEqual([0.015, 0.02, 0.025, 0.03, 0.035]);
    const levels = schedules.map((s) => String(s.schedule).split(",").map(Number));
    for (const l of levels) {
      expect(l).toHaveLength(8);
      for (const x of l) expect(x >= 1 && x <= 2.6).toBe(true);
    }
    for (let a = 1; a < levels.length; a++)
      for (const [s, x] of (levels[a] as number[]).entries())
        expect(x).toBeGreaterThanOrEqual((levels[a - 1] as number[])[s] as number);
    // 09:00–09:15 answers at ~0.29; 10:00–10:15 at 0.1 (after the step): dial harder there.
    expect(answerRateAt(scenario, secondsOf("10:07"))).toBeLessThan(
      answerRateAt(scenario, secondsOf("09:07")),
    );
    const top = levels[3] as number[];
    expect(top[4]).toBeGreaterThan(top[0] as number);
  });
});

describe("tuning grids", () => {
  it("search VICIdial's maximum level over the whole 1.0–3.0 range with no gap", () => {
    const stages = TUNING_STAGES["vicidial-average"] ?? [];
    const first = (stages[0]?.(undefined, 0.03) ?? []).map((t) => Number(t.maxLevel));
    expect(first).toEqual([1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75, 3]);
    expect(
      (stages[1]?.({ maxLevel: 2.5, intensity: 0, dropLimit: 0.03 }, 0.03) ?? []).map((t) => t.maxLevel),
    ).toEqual([2.375, 2.625]);
    const third = stages[2]?.({ maxLevel: 2.625, intensity: 0, dropLimit: 0.03 }, 0.03) ?? [];
    expect(new Set(third.map((t) => t.intensity))).toEqual(new Set([-40, 0, 40]));
    expect(new Set(third.map((t) => t.dropLimit))).toEqual(new Set([0.015, 0.03]));
    expect(
      (stages[3]?.({ maxLevel: 3, intensity: 40, dropLimit: 0.015 }, 0.03) ?? []).map((t) => t.maxLevel),
    ).toEqual([2.9375]);
    // Every maximum in [1, 3] is within 0.0625 of a value the stages can reach.
    const reach = new Set<number>();
    for (const level of first)
      for (const d of [-0.125, 0, 0.125]) for (const e of [-0.0625, 0, 0.0625]) reach.add(level + d + e);
    for (let x = 1; x <= 3; x += 0.01)
      expect([...reach].some((r) => Math.abs(r - x) <= 0.0625 + 1e-9)).toBe(true);
  });
});

describe("matched abandonment", () => {
  const frontier = [
    { abandonment: 0.002, connectsPerAgentHour: 12 },
    { abandonment: 0.01, connectsPerAgentHour: 15 },
    { abandonment: 0.02, connectsPerAgentHour: 16 },
  ];
  it("interpolates cxo's connects at a baseline's realised abandonment", () => {
    expect(matchOnFrontier(frontier, 0.015)).toEqual({ connects: 15.5, method: "interpolated" });
    expect(matchOnFrontier(frontier, 0.006).connects).toBeCloseTo(13.5, 12);
  });
  it("above the frontier's top keeps the top (the baseline's favour); below its foot, no figure", () => {
    expect(matchOnFrontier(frontier, 0.03)).toEqual({ connects: 16, method: "clamped-top" });
    expect(matchOnFrontier(frontier, 0.001)).toEqual({ connects: null, method: "below-frontier" });
  });
  it("reads the upper envelope when a point at more abandonment connects less", () => {
    const bumpy = [...frontier, { abandonment: 0.015, connectsPerAgentHour: 14 }];
    expect(matchOnFrontier(bumpy, 0.018)?.connects).toBeGreaterThanOrEqual(15);
  });
});
