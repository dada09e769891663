import { describe, expect, it } from "vitest";
import {
  type BudgetGuardOptions,
  type BudgetGuardState,
  type GuardSettings,
  guardStep,
  initialGuardState,
  RAISE_STEP,
  recordDay,
} from "../../../src/dialer/live-pacing/budget-guard.ts";

/**
 * The production budget guard's decisions (src/dialer/live-pacing/budget-guard.ts), on an
 * injected clock: it leaves a healthy skill alone, lowers the abandon target at once when the
 * FTC window's budget runs short, goes to ratio 1 when even the floor cannot bring the window
 * back, and raises back bounded, one step per interval, never above the skill's own settings.
 */
const OPTIONS: BudgetGuardOptions = {
  target: 0.03,
  window: "ftc-30d",
  maxRatioStep: 0.25,
  minIntervalMs: 60_000,
};
const SKILL: GuardSettings = { abandonTarget: 0.03, maximumRatio: 2.5 };
const DAY = "2026-03-02T00:00:00.000Z";
const T0 = Date.parse("2026-03-02T15:00:00Z");
const MINUTE = 60_000;

const day = (connects: number, abandons: number, since = DAY) => ({ since, connects, abandons });

function run(state: BudgetGuardState, connects: number, abandons: number, at: number, since = DAY) {
  return guardStep(OPTIONS, state, day(connects, abandons, since), SKILL, at);
}

describe("budget guard", () => {
  it("leaves a skill alone with too few answers, or within budget", () => {
    const few = run(initialGuardState("ftc-30d", 0.03), 50, 10, T0);
    expect(few.apply).toBeNull();
    expect(few.allowed).toBeNull();
    expect(few.reason).toMatch(/too few/);
    const fine = run(few.state, 1000, 20, T0 + MINUTE);
    expect(fine.apply).toBeNull();
    expect(fine.state.applied).toBeNull();
    expect(fine.state.baseline).toEqual(SKILL);
    // 1,000 answers, 20 abandons: 10 abandons left; one more day may run at 3% + 10/1000.
    expect(fine.allowed).toBeCloseTo(0.04, 6);
    expect(fine.figures).toMatchObject({ liveAnswers: 1000, abandons: 20 });
  });

  it("lowers the abandon target at once when the budget runs short, to 0.9 × what the day can afford", () => {
    const first = run(initialGuardState("ftc-30d", 0.03), 1000, 20, T0);
    // 25 more abandons a minute later: 45 of 1,000, 15 over; the day can afford 3% − 1.5%.
    const short = run(first.state, 1000, 45, T0 + MINUTE);
    expect(short.allowed).toBeCloseTo(0.015, 6);
    expect(short.apply).toEqual({ abandonTarget: 0.013, maximumRatio: 2.5 });
    expect(short.state.applied).toEqual(short.apply);
    expect(short.state.changedAtMs).toBe(T0 + MINUTE);
    expect(short.reason).toMatch(/budget short, abandon target lowered to 1\.30%/);
    // The same figures again: nothing to do.
    const again = run(short.state, 1000, 45, T0 + 2 * MINUTE);
    expect(again.apply).toBeNull();
  });

  it("goes progressive (ratio 1) at the floor when the budget is spent, then raises back bounded, once per interval", () => {
    let state = run(initialGuardState("ftc-30d", 0.03), 1000, 80, T0).state;
    const spent = run(state, 1000, 80, T0 + 1000);
    // Applied on the first read already (80 of 1,000), so the second has nothing to do.
    expect(spent.apply).toBeNull();
    expect(state.applied).toEqual({ abandonTarget: 0.007, maximumRatio: 1 });
    state = spent.state;

    // Four thousand more answers without a drop: 80 of 5,000 is 1.6%, the budget is back.
    const recovering = run(state, 5000, 80, T0 + 2 * MINUTE);
    expect(recovering.apply).toEqual({ abandonTarget: 0.012, maximumRatio: 1.25 });
    // Within the interval: no second rise.
    const tooSoon = run(recovering.state, 5000, 80, T0 + 2 * MINUTE + 30_000);
    expect(tooSoon.apply).toBeNull();
    expect(tooSoon.reason).toMatch(/waits for the interval/);

    state = tooSoon.state;
    const applied: GuardSettings[] = [];
    for (let i = 3; i < 20; i++) {
      const step = run(state, 5000, 80, T0 + i * 2 * MINUTE);
      state = step.state;
      if (step.apply) applied.push(step.apply);
    }
    for (let i = 1; i < applied.length; i++) {
      expect(applied[i]!.abandonTarget - applied[i - 1]!.abandonTarget).toBeLessThanOrEqual(
        RAISE_STEP + 1e-9,
      );
      expect(applied[i]!.maximumRatio - applied[i - 1]!.maximumRatio).toBeLessThanOrEqual(0.25 + 1e-9);
    }
    // Back to the skill's own settings, never above them, and the guard lets go.
    expect(applied.at(-1)).toEqual(SKILL);
    expect(state.applied).toBeNull();
    expect(run(state, 5000, 80, T0 + 60 * MINUTE).apply).toBeNull();
  });

  it("never raises the skill's target above the campaign's legal target", () => {
    const loose: GuardSettings = { abandonTarget: 0.05, maximumRatio: 3 };
    const step = guardStep(OPTIONS, initialGuardState("ftc-30d", 0.03), day(1000, 0), loose, T0);
    expect(step.apply).toEqual({ abandonTarget: 0.03, maximumRatio: 3 });
  });

  it("counts today's differences, a new day in full, and never counts backwards", () => {
    let state = recordDay(initialGuardState("ftc-30d", 0.03), day(100, 2), T0);
    state = recordDay(state, day(150, 3), T0 + MINUTE);
    // Revised down by the platform: nothing counted, the next difference starts there.
    state = recordDay(state, day(140, 1), T0 + 2 * MINUTE);
    state = recordDay(state, day(160, 2), T0 + 3 * MINUTE);
    // The next day starts from zero: its counts are all new.
    state = recordDay(state, day(30, 1, "2026-03-03T00:00:00.000Z"), T0 + 10 * 3_600_000);
    const total = state.budget.hours.reduce(
      (sum, [, lives, drops]) => [sum[0]! + lives, sum[1]! + drops],
      [0, 0],
    );
    expect(total).toEqual([100 + 50 + 20 + 30, 2 + 1 + 1 + 1]);
  });

  it("forgets what left the window (a day's window resets at midnight)", () => {
    const dayOptions = { ...OPTIONS, window: "day" as const };
    let state = initialGuardState("day", 0.03);
    state = guardStep(dayOptions, state, day(1000, 60), SKILL, T0).state;
    expect(state.applied?.maximumRatio).toBe(1);
    const next = guardStep(
      dayOptions,
      state,
      day(1000, 10, "2026-03-03T00:00:00.000Z"),
      SKILL,
      T0 + 24 * 3_600_000,
    );
    expect(next.figures).toMatchObject({ liveAnswers: 1000, abandons: 10 });
    expect(next.apply).toEqual({ abandonTarget: 0.012, maximumRatio: 1.25 });
  });
});
