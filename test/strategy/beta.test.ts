import { describe, expect, it } from "vitest";
import { betaCdf, sampleBeta, seededUniform } from "../../src/strategy/beta.ts";

/** The sampler behind the plan's Thompson draws follows Beta(a, b): its empirical CDF is the CDF. */
describe("sampleBeta", () => {
  it.each([
    [59, 361],
    [3, 40],
    [40, 3],
    [1.5, 1.5],
    [0.4, 7],
    [2, 0.6],
  ])("draws from Beta(%d, %d)", (a, b) => {
    const uniform = seededUniform(55);
    const n = 20_000;
    const draws = Float64Array.from({ length: n }, () => sampleBeta(a, b, uniform)).sort();
    let worst = 0;
    for (let i = 0; i < n; i += 97) {
      const x = draws[i] as number;
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
      worst = Math.max(worst, Math.abs(betaCdf(x, a, b) - (i + 0.5) / n));
    }
    // Kolmogorov–Smirnov at 20,000 draws: 0.0136 is the 99.9% critical value.
    expect(worst).toBeLessThan(0.0136);
  });
});
