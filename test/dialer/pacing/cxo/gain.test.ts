import { describe, expect, it } from "vitest";
import { GainLoop } from "../../../../src/dialer/pacing/cxo/gain.ts";

describe("cxo's gain loop", () => {
  it("rises on good answers, falls on pacing drops (harder in a hot half hour), within [minGain, 3]", () => {
    const g = new GainLoop(0.5, 0.02, 0.05);
    g.atStaffing(20);
    g.learn(10, 0, 0.02, 0, 0);
    expect(g.g).toBeGreaterThan(0.5);
    const before = g.g;
    g.learn(0, 1, 0.02, 0, 0);
    const plain = before / g.g;
    const hot = new GainLoop(before, 0.02, 0.05);
    hot.atStaffing(20);
    hot.learn(0, 1, 0.02, 0, 2);
    expect(before / hot.g).toBeGreaterThan(plain);
    for (let i = 0; i < 1000; i++) g.learn(0, 10, 0.02, 0, 0);
    expect(g.g).toBe(0.05);
    for (let i = 0; i < 10_000; i++) g.learn(100, 0, 0.02, 0, 0);
    expect(g.g).toBe(3);
  });

  it("keeps a gain per staffing level, trusted after 300 live answers there", () => {
    const g = new GainLoop(0.5, 0.02, 0.05);
    g.atStaffing(20);
    g.countLives(400);
    for (let i = 0; i < 50; i++) g.learn(10, 0, 0.02, 0, 0);
    const at20 = g.g;
    g.atStaffing(10);
    g.g = 0.4;
    g.atStaffing(20);
    expect(g.g).toBe(at20);
    // Level 10 learnt on no answers: not trusted, the current gain carries over.
    g.atStaffing(10);
    expect(g.g).toBe(at20);
  });

  it("lift raises every level's gain and the current one to at least the given gain", () => {
    const g = new GainLoop(0.125, 0.02, 0.05);
    g.atStaffing(20);
    g.countLives(400);
    g.atStaffing(10);
    g.lift(0.5);
    expect(g.g).toBe(0.5);
    g.atStaffing(20);
    expect(g.g).toBe(0.5);
  });
});
