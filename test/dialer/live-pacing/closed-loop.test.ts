import { describe, expect, it } from "vitest";
import { countersOf } from "../../../bench/support/twin-check.ts";
import { initialPacingState, LivePacer } from "../../../src/dialer/live-pacing/live-pacer.ts";
import { DEFAULT_LIMITS } from "../../../src/dialer/pacing/types.ts";
import { DialerTwin } from "../../../src/emulator/dialer-twin.ts";

/** Hours of pacing, a read every `everySeconds`, the answer rate dropping at `dropAt` hours. */
function run(hours: number, everySeconds: number, dropAt: number) {
  const limits = { ...DEFAULT_LIMITS, target: 0.03 };
  const pacer = new LivePacer({ limits, maxStep: 0.25, minIntervalMs: everySeconds * 1000 });
  const twin = new DialerTwin(11, "camp-1", 1, 0, { agents: 30, answerRate: 0.35 });
  let state = initialPacingState(limits);
  let ratio = 1;
  const ratios: number[] = [];
  for (let s = everySeconds; s <= hours * 3600; s += everySeconds) {
    if (s === dropAt * 3600) twin.set({ answerRate: 0.15 });
    twin.advance(s * 1000, ratio, true);
    const step = pacer.step(state, countersOf(twin, ratio), s * 1000);
    state = step.state;
    if (step.apply !== null) ratio = step.apply;
    ratios.push(ratio);
  }
  return { truth: twin.truth(ratio), ratios, state };
}

describe("live pacing in a closed loop with the emulator's dialer twin", () => {
  it("paces above progressive and keeps the ground truth's abandonment within the target through an answer-rate drop", () => {
    const { truth, ratios } = run(8, 30, 4);
    const abandonment = truth.abandons / truth.liveAnswers;
    expect(abandonment).toBeLessThanOrEqual(0.03);
    expect(Math.max(...ratios)).toBeGreaterThan(1.2);
    // After the drop the pacer dials harder (fewer answers per call), not softer.
    const before = ratios.slice(0, ratios.length / 2);
    const after = ratios.slice(ratios.length / 2 + 60);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(after)).toBeGreaterThan(mean(before));
  });
});
