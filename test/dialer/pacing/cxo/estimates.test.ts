import { describe, expect, it } from "vitest";
import { OnlineEstimates } from "../../../../src/dialer/pacing/cxo/estimates.ts";
import { emptyCounts } from "../../../../src/dialer/pacing/index.ts";
import { observation } from "../helpers.ts";

describe("cxo's online estimates", () => {
  it("the machine share is 0 until 50 connects are seen, then the agents' machine share, at most a half", () => {
    const e = new OnlineEstimates(300, 0.5);
    expect(e.countMachines({ ...emptyCounts(), connects: 40, agentMachines: 10 })).toBe(0);
    expect(e.countMachines({ ...emptyCounts(), connects: 20, agentMachines: 4 })).toBeCloseTo(14 / 60, 2);
    expect(e.countMachines({ ...emptyCounts(), connects: 500, agentMachines: 500 })).toBe(0.5);
  });

  it("learns the live-answer rate, and is warm once enough calls were resolved and handled", () => {
    const e = new OnlineEstimates(300, 0.5);
    expect(e.hasLives()).toBe(false);
    expect(e.meanAnswerDelay()).toBe(12);
    for (let i = 0; i < 100; i++)
      e.estimate(
        observation({
          agentsTalking: 5,
          counts: { ...emptyCounts(), liveAnswers: 1, unanswered: 3, handled: 1, answerSeconds: 8 },
        }),
        4,
      );
    expect(e.hasLives()).toBe(true);
    expect(e.liveAnswerRate()).toBeCloseTo(0.25, 10);
    expect(e.meanAnswerDelay()).toBeCloseTo(8, 10);
    expect(e.warm(400, 10)).toBe(true);
    expect(e.warm(401, 10)).toBe(false);
    expect(e.warm(0, 101)).toBe(false);
  });

  it("restarts the live-answer rate at a day's opening from the prior, with a small weight", () => {
    const e = new OnlineEstimates(300, 0.5);
    for (let i = 0; i < 100; i++)
      e.estimate(observation({ counts: { ...emptyCounts(), liveAnswers: 1, unanswered: 3 } }), 4);
    e.restart(0.5, 60);
    expect(e.liveAnswerRate()).toBe(0.5);
    // No prior: the last estimate, with the small weight (the day's calls take over sooner).
    e.restart(Number.NaN, 30);
    expect(e.liveAnswerRate()).toBe(0.5);
  });

  it("expects ready agents free, busy ones as they finish, and none of those leaving", () => {
    const e = new OnlineEstimates(300, 0.5);
    for (let i = 0; i < 50; i++)
      e.estimate(
        observation({ agentsTalking: 4, agentsWrapping: 1, counts: { ...emptyCounts(), handled: 1 } }),
        0,
      );
    const o = observation({ agentsReady: 3, agentsTalking: 4, agentsWrapping: 1 });
    const soon = e.freeSoon(o, 14);
    expect(soon).toBeGreaterThan(3);
    expect(soon).toBeLessThan(8);
    expect(e.freeSoon({ ...o, agentsLeaving: 5 }, 14)).toBe(3);
  });
});
