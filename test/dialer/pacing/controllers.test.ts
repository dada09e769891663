import { describe, expect, it } from "vitest";
import {
  createController,
  DEFAULT_LIMITS,
  emptyCounts,
  lineHeadroom,
} from "../../../src/dialer/pacing/index.ts";
import { observation } from "./helpers.ts";

describe("pacing controller factory", () => {
  it("builds controllers by name and refuses an unknown one, naming the known", () => {
    expect(createController("progressive", { limits: DEFAULT_LIMITS }).name).toBe("progressive");
    expect(() => createController("nope", { limits: DEFAULT_LIMITS })).toThrow(/known: .*progressive/);
  });
});

describe("progressive", () => {
  const c = createController("progressive", { limits: DEFAULT_LIMITS });
  it("places one call per ready agent not already covered by a call in progress", () => {
    expect(c.tick(observation({ agentsReady: 10 }))).toBe(10);
    expect(c.tick(observation({ agentsReady: 10, callsRinging: 4 }))).toBe(6);
    expect(c.tick(observation({ agentsReady: 3, callsRinging: 2, callsWaiting: 1 }))).toBe(0);
    expect(c.status().ratio).toBe(1);
  });
  it("never exceeds the line cap", () => {
    const limits = { ...DEFAULT_LIMITS, maxLinesPerAgent: 1 };
    const o = observation({ agentsLoggedIn: 4, agentsReady: 4, callsConnected: 3 });
    expect(lineHeadroom(o, limits)).toBe(1);
    expect(createController("progressive", { limits }).tick(o)).toBe(1);
  });
});

describe("vicidial adaptive", () => {
  const limits = DEFAULT_LIMITS;
  const tickAt = (
    c: ReturnType<typeof createController>,
    now: number,
    over: Parameters<typeof observation>[0] = {},
  ) => c.tick(observation({ now, secondOfDay: 9 * 3600 + now, ...over }));

  it("doubles the level every 15 s while every agent is idle, up to its maximum", () => {
    const c = createController("vicidial-hard-limit", { limits, tuning: { maxLevel: 3 } });
    for (let t = 0; t <= 15; t++) tickAt(c, t);
    expect(c.status().ratio).toBeCloseTo(2, 9);
    for (let t = 16; t <= 45; t++) tickAt(c, t);
    expect(c.status().ratio).toBe(3);
    // Applied the VICIdial way: level × (ready + in call) − every call not ended.
    expect(tickAt(c, 46, { agentsReady: 10, callsRinging: 12 })).toBe(18);
  });

  it("hard limit: today's drops over the limit pin the level at 1.0 and stop it rising", () => {
    const c = createController("vicidial-hard-limit", { limits, tuning: { maxLevel: 3, dropLimit: 0.03 } });
    const counts = { ...emptyCounts(), dials: 100, liveAnswers: 20, abandons: 5 };
    tickAt(c, 0, { counts });
    for (let t = 1; t <= 120; t++) tickAt(c, t);
    expect(c.status().ratio).toBe(1);
  });

  it("average mode halves instead", () => {
    const c = createController("vicidial-average", { limits, tuning: { maxLevel: 3, dropLimit: 0.03 } });
    for (let t = 0; t <= 45; t++) tickAt(c, t);
    expect(c.status().ratio).toBe(3);
    tickAt(c, 46, { counts: { ...emptyCounts(), dials: 100, liveAnswers: 20, abandons: 5 }, agentsReady: 0 });
    for (let t = 47; t <= 61; t++) tickAt(c, t, { agentsReady: 0 });
    expect(c.status().ratio).toBeCloseTo(1.5, 9);
  });
});

describe("webitel over-dial", () => {
  it("over-dials by 1 / hit rate, raised by the load factor under target, progressive at the maximum", () => {
    const c = createController("webitel", {
      limits: { ...DEFAULT_LIMITS, maxLinesPerAgent: 10 },
      tuning: { loadFactor: 10 },
    });
    // 100 dials, 25 live, no drop: over = 4 × (1 + 3·10/100) = 5.2.
    const n = c.tick(
      observation({ agentsReady: 2, counts: { ...emptyCounts(), dials: 100, liveAnswers: 25 } }),
    );
    expect(c.status().ratio).toBeCloseTo(5.2, 9);
    expect(n).toBe(10);
    c.tick(observation({ now: 1, agentsReady: 2, counts: { ...emptyCounts(), abandons: 1 } }));
    expect(c.status().ratio).toBe(1);
  });
});

describe("cxo", () => {
  const limits = { ...DEFAULT_LIMITS, maxLinesPerAgent: 2 };
  /** A cxo warmed on 400 resolved calls, 1 in 5 live, 40 handled, then asked with 10 agents free. */
  const warmed = (lines: { maxLinesPerAgent: number }) => {
    // Gain 1: the model alone (its default starts lower and learns), so the dials are the model's.
    const c = createController("cxo", { limits: { ...limits, ...lines }, tuning: { initialGain: 1 } });
    const first = c.tick(observation({ agentsReady: 10 }));
    const counts = { ...emptyCounts(), liveAnswers: 80, unanswered: 320, handled: 40, answerSeconds: 960 };
    c.tick(
      observation({ now: 1, agentsReady: 0, agentsTalking: 10, callsConnected: 10, counts, elapsed: 1 }),
    );
    for (let t = 2; t < 400; t++)
      c.tick(
        observation({
          now: t,
          agentsReady: 0,
          agentsTalking: 10,
          callsConnected: 10,
          elapsed: 1,
          counts: { ...emptyCounts(), handled: 1 },
        }),
      );
    const n = c.tick(observation({ now: 400, agentsReady: 10, callsRinging: 0 }));
    return { first, n, status: c.status() };
  };

  it("dials progressively until its estimates have data, then at the ratio it reports", () => {
    const { first, n, status } = warmed({ maxLinesPerAgent: 10 });
    expect(first).toBe(10);
    expect(status.answerRate).toBeCloseTo(0.2, 3); // 80 live of 400 resolved
    // Over-dials (more than one call per free agent), and exactly the ratio it reports.
    expect(status.ratio).toBeGreaterThan(1.2);
    expect(n).toBe(Math.round(status.ratio * 10));
  });

  it("never dials beyond maxLinesPerAgent", () => {
    const free = warmed({ maxLinesPerAgent: 10 }).n;
    const capped = warmed({ maxLinesPerAgent: 1.2 }).n;
    expect(free).toBeGreaterThan(12); // the model alone would pass the cap…
    expect(capped).toBe(12); // …which holds: 1.2 lines × 10 agents
  });

  it("falls back to progressive with fewer agents than its minimum", () => {
    const c = createController("cxo", { limits, tuning: { minAgents: 5, warmupCalls: 0 } });
    expect(c.tick(observation({ agentsLoggedIn: 3, agentsReady: 3 }))).toBe(3);
  });
});
