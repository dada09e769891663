import { describe, expect, it } from "vitest";
import {
  createController,
  type PacingController,
  type PacingCounts,
  type PacingObservation,
} from "../../../src/dialer/pacing/index.ts";
import { presentAt, secondsOf, staffingChanges } from "../../../src/dialer/pacing/scenario.ts";
import { type DaysResult, simulateDays } from "../../../src/dialer/simulator/day/engine.ts";
import { worstLegalWindow } from "../../../src/dialer/simulator/pacing-bench/metrics.ts";
import { smallScenario } from "./small-scenario.ts";

/**
 * Issue 41 §1: the simulator's legal measure. The detector holds live people (inside the 2 s),
 * takes some for machines (abandoned people the dialer never sees), the FTC window is 30
 * calendar days, staffing ramps and breaks, days differ; outcomes reach the controller when
 * they happen, and the scenario's true AMD false-positive rate is not handed to it.
 */
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0);

function recording(inner: PacingController, seen: { o: PacingObservation; counts: PacingCounts }[]) {
  return {
    ...inner,
    tick(o: PacingObservation) {
      seen.push({ o: { ...o }, counts: { ...o.counts } });
      return inner.tick(o);
    },
  } satisfies PacingController;
}

const machines = (over: Record<string, unknown>) => ({
  machines: { share: 0.3, detectSeconds: 2.5, falsePositive: 0.05, ...over },
});

describe("the detector's hold on live people", () => {
  it("defaults from machines.detectSeconds, and none without detection", () => {
    expect(smallScenario().humanDetect).toEqual({ dist: "lognormal", mean: 1, cv: 0.3 });
    expect(smallScenario({ machines: { share: 0, detectSeconds: 0, falsePositive: 0 } }).humanDetect).toBe(
      undefined,
    );
  });

  it("a hold past the connect threshold abandons every live person, even with idle agents", () => {
    const held = smallScenario(machines({ humanDetect: { dist: "constant", mean: 2.5 } }));
    const r = simulateDays(held, createController("progressive", { limits: held.limits }), { seed: 4 });
    expect(sum(r.lives)).toBeGreaterThan(50);
    expect(sum(r.abandons)).toBe(sum(r.lives));
    expect(sum(r.connects)).toBe(0);
  });

  it("a hold under the threshold eats into it: a 1.5 s hold abandons what waits more than 0.5 s", () => {
    const run = (mean: number, ratio: number) => {
      const s = smallScenario(machines({ humanDetect: { dist: "constant", mean } }));
      return simulateDays(s, createController("best-fixed", { limits: s.limits, tuning: { ratio } }), {
        seed: 5,
      });
    };
    expect(sum(run(1.5, 1).abandons)).toBe(0);
    expect(sum(run(1.5, 2.5).abandons)).toBeGreaterThan(sum(run(0, 2.5).abandons));
  });
});

describe("live people taken for machines", () => {
  it("count as abandoned people, and the dialer sees them as machines", () => {
    const s = smallScenario(machines({ liveHungUp: 0.2, humanDetect: { dist: "constant", mean: 0 } }));
    const seen: { o: PacingObservation; counts: PacingCounts }[] = [];
    const r = simulateDays(s, recording(createController("progressive", { limits: s.limits }), seen), {
      seed: 2,
    });
    const dropsSeen = seen.reduce((t, x) => t + x.counts.abandons, 0);
    expect(dropsSeen).toBe(0);
    const share = sum(r.abandons) / sum(r.lives);
    expect(share).toBeGreaterThan(0.12);
    expect(share).toBeLessThan(0.28);
  });
});

describe("outcomes reach the controller when they happen", () => {
  it("answerSeconds only arrives with the answers it belongs to, and averages the ring", () => {
    const s = smallScenario();
    const seen: { o: PacingObservation; counts: PacingCounts }[] = [];
    simulateDays(
      s,
      recording(createController("best-fixed", { limits: s.limits, tuning: { ratio: 1.5 } }), seen),
      {
        seed: 3,
        days: 1,
      },
    );
    let answered = 0;
    let seconds = 0;
    for (const { counts } of seen) {
      if (counts.liveAnswers + counts.machines === 0) expect(counts.answerSeconds).toBe(0);
      answered += counts.liveAnswers + counts.machines;
      seconds += counts.answerSeconds;
    }
    expect(answered).toBeGreaterThan(100);
    // Ring of answered calls: lognormal mean 12 s.
    expect(seconds / answered).toBeGreaterThan(10);
    expect(seconds / answered).toBeLessThan(14);
  });

  it("the scenario's AMD false-positive rate is not handed over; agents' machine dispositions are", () => {
    const s = smallScenario(machines({ falsePositive: 0.5 }));
    expect(s.limits.amdFalsePositive).toBeUndefined();
    const seen: { o: PacingObservation; counts: PacingCounts }[] = [];
    simulateDays(s, recording(createController("progressive", { limits: s.limits }), seen), { seed: 1 });
    const agentMachines = seen.reduce((t, x) => t + (x.counts.agentMachines ?? 0), 0);
    const connects = seen.reduce((t, x) => t + x.counts.connects, 0);
    // Of the calls passed on as live, machines: 0.3 × 0.5 / (0.7 + 0.15) ≈ 18%.
    expect(agentMachines / connects).toBeGreaterThan(0.12);
    expect(agentMachines / connects).toBeLessThan(0.24);
  });

  it("cxo learns the machine share of its connected calls from those dispositions", () => {
    const s = { ...smallScenario(machines({ falsePositive: 0.5 })), days: 3 };
    const c = createController("cxo", { limits: s.limits });
    simulateDays(s, c, { seed: 1 });
    const learnt = c.status().amdMachineShare ?? 0;
    expect(learnt).toBeGreaterThan(0.1);
    expect(learnt).toBeLessThan(0.26);
  });
});

describe("a calendar", () => {
  const weekdays = { calendar: { dialingDays: ["mon", "tue", "wed", "thu", "fri"], firstDay: "mon" } };

  it("dials on its dialing days only: the controller sees calendar days, weekends skipped", () => {
    const s = { ...smallScenario(weekdays), days: 7 };
    const seen: { o: PacingObservation; counts: PacingCounts }[] = [];
    const r = simulateDays(s, recording(createController("progressive", { limits: s.limits }), seen), {
      seed: 1,
    });
    expect(Array.from(r.calendarDays)).toEqual([0, 1, 2, 3, 4, 7, 8]);
    expect([...new Set(seen.map((x) => x.o.day))]).toEqual([0, 1, 2, 3, 4, 7, 8]);
    const monday = seen.find((x) => x.o.day === 7);
    expect(monday?.o.now).toBe(7 * 86_400 + 9 * 3600);
  });

  it("old files (no calendar) dial every day", () => {
    const r = simulateDays(
      { ...smallScenario(), days: 3 },
      createController("progressive", { limits: smallScenario().limits }),
      { seed: 1 },
    );
    expect(Array.from(r.calendarDays)).toEqual([0, 1, 2]);
  });

  const result = (calendar: number[], lives: number[], abandons: number[]): DaysResult =>
    ({
      days: calendar.length,
      minutes: 1,
      calendarDays: Int32Array.from(calendar),
      lives: Float64Array.from(lives),
      abandons: Float64Array.from(abandons),
      minuteLives: Float64Array.from(lives),
      minuteAbandons: Float64Array.from(abandons),
    }) as unknown as DaysResult;

  it("the FTC window is 30 calendar days: five weeks of weekdays hold about 22 dialing days each", () => {
    // 25 dialing days Monday–Friday (calendar 0…32), 100 live answers each, 30 abandons on day 0.
    const calendar: number[] = [];
    for (let w = 0; w < 5; w++) for (let d = 0; d < 5; d++) calendar.push(w * 7 + d);
    const lives = calendar.map(() => 100);
    const abandons = calendar.map((_, i) => (i === 0 ? 30 : 0));
    const s = smallScenario();
    // The window ending on calendar day 29 holds day 0 and 21 more dialing days (not 24).
    expect(worstLegalWindow(s, result(calendar, lives, abandons))).toBeCloseTo(30 / 2200, 12);
  });

  it("the 24-hour window does not join a Friday to a Monday", () => {
    // Friday ends with its abandons; Monday starts with its own: no 24 h holds both.
    const s = smallScenario({ limits: { target: 0.03, window: "ofcom-24h", maxLinesPerAgent: 3 } });
    const joined = result([0, 1], [10, 10], [2, 2]);
    const weekend = result([4, 7], [10, 10], [2, 2]);
    expect(worstLegalWindow(s, joined)).toBeCloseTo(0.2, 12);
    expect(worstLegalWindow(s, weekend)).toBeCloseTo(0.2, 12);
    const tail = { ...weekend, minutes: 2 } as DaysResult;
    tail.minuteLives = Float64Array.from([9, 1, 1, 9]);
    tail.minuteAbandons = Float64Array.from([0, 2, 2, 0]);
    // Friday's last minute alone is 2/1; joined to Monday's first minute it would be 4/2.
    expect(worstLegalWindow(s, tail)).toBeCloseTo(2, 12);
  });
});

describe("staffing: a login ramp and breaks", () => {
  it("agents log in over the ramp's minutes and go on break in their windows", () => {
    const s = smallScenario({
      staffing: [],
      ramp: { minutes: 10 },
      breaks: [{ from: "10:00", to: "11:00", minutes: 15 }],
    });
    expect(presentAt(s, secondsOf("09:00"))).toBeCloseTo(0.1, 12);
    expect(presentAt(s, secondsOf("09:05"))).toBeCloseTo(0.6, 12);
    expect(presentAt(s, secondsOf("09:10"))).toBe(1);
    expect(presentAt(s, secondsOf("10:30"))).toBeCloseTo(0.75, 12);
    expect(staffingChanges(s)).toContain(secondsOf("09:09"));
    const flat = smallScenario({ staffing: [] });
    const run = (sc: typeof s) =>
      simulateDays(sc, createController("progressive", { limits: sc.limits }), { seed: 1, days: 1 });
    const present = run(s).presentSeconds[0] as number;
    expect(present).toBeLessThan((run(flat).presentSeconds[0] as number) - 10 * 15 * 60 * 0.9);
  });

  it("refuses a break longer than its window", () => {
    expect(() => smallScenario({ breaks: [{ from: "10:00", to: "10:10", minutes: 15 }] })).toThrow(
      /does not fit/,
    );
  });
});

describe("day-to-day noise", () => {
  it("moves each day's answer rate and handle time, and only with a cv", () => {
    const run = (noise: Record<string, number>) => {
      const s = { ...smallScenario({ noise }), days: 4 };
      return simulateDays(s, createController("progressive", { limits: s.limits }), {
        seed: 9,
        series: true,
      });
    };
    const quiet = run({});
    const noisy = run({ answerRate: 0.3, handle: 0.3 });
    const first = (r: DaysResult) => (r.series ?? []).map((d) => d.answerRate[0] as number);
    expect(new Set(first(quiet)).size).toBe(1);
    expect(new Set(first(noisy)).size).toBe(4);
    expect(Array.from(noisy.talkSeconds)).not.toEqual(Array.from(quiet.talkSeconds));
  });
});
