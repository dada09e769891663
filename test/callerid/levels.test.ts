import { describe, expect, it } from "vitest";
import { type Baseline, levelOf, levelsOf } from "../../src/callerid/levels.ts";

/**
 * Issue 66 §2: each number's own level against its peers, read with empirical Bayes over its
 * campaign (src/callerid/levels.ts). A week's answers read a level with a few per cent of noise;
 * how far to trust it depends on how much the campaign's numbers really differ.
 */

/** 20 numbers of `expected` peer-expected answers, answered at level × (1 + a fixed wobble). */
function campaign(expected: number, levels: (i: number) => number): Map<string, Baseline> {
  const wobble = [0.05, -0.04, 0.07, -0.06, 0.02, -0.03, 0.06, -0.07, 0.01, -0.01];
  const out = new Map<string, Baseline>();
  for (let i = 0; i < 20; i++)
    out.set(`n${i}`, {
      expected,
      answered: Math.round(expected * levels(i) * (1 + (wobble[i % 10] as number))),
    });
  return out;
}

describe("numbers' own levels", () => {
  it("numbers alike but for reading noise lean on the campaign, with less error than their own week", () => {
    // ±7 % wobble on 250 answers: about the noise of the reading itself (√250 / 250 = 6.3 %).
    const levels = levelsOf(campaign(250, () => 1));
    for (const [key, level] of levels) {
      expect(Math.abs(level.level - 1)).toBeLessThan(0.03);
      expect(level.error).toBeLessThan(levelOf(campaign(250, () => 1).get(key) as Baseline).error);
    }
  });

  it("numbers that really differ keep their own levels", () => {
    const levels = levelsOf(campaign(2500, (i) => (i % 2 === 0 ? 0.85 : 1.15)));
    expect((levels.get("n0")?.level ?? 0) < 0.92).toBe(true);
    expect((levels.get("n1")?.level ?? 0) > 1.08).toBe(true);
  });

  it("a number labelled before the window does not pass for a wide natural spread", () => {
    const baselines = campaign(250, () => 1);
    baselines.set("labelled", { expected: 250, answered: 75 });
    const levels = levelsOf(baselines);
    // Its raw 0.3 is held at 0.8 before the spread is read, so the others still lean on the
    // campaign (within 2 % of 1) and it is read under them, not at its labelled rate.
    for (let i = 0; i < 20; i++) expect(Math.abs((levels.get(`n${i}`)?.level ?? 0) - 1)).toBeLessThan(0.02);
    const labelled = levels.get("labelled")?.level ?? 0;
    expect(labelled).toBeGreaterThanOrEqual(0.8);
    expect(labelled).toBeLessThan(0.97);
  });

  it("a campaign of fewer than five numbers: each level shrunk by 30 expected answers, held in 0.8–1.2", () => {
    const few = new Map<string, Baseline>([
      ["a", { expected: 100, answered: 115 }],
      ["b", { expected: 100, answered: 20 }],
    ]);
    const levels = levelsOf(few);
    expect(levels.get("a")?.level).toBeCloseTo(145 / 130, 5);
    expect(levels.get("b")?.level).toBeCloseTo(0.8, 5);
  });
});
