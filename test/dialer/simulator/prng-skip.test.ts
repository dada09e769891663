import { describe, expect, it } from "vitest";
import { Random } from "../../../src/dialer/simulator/des/prng.ts";

// The day engine steps over the uniforms an unanswered dial does not use (common random
// numbers: the k-th dial must see the same numbers whatever happened before). Stepping over n
// must leave the stream exactly where drawing n would.
describe("Random.skip", () => {
  it("moves the stream on exactly as many draws would", () => {
    for (const n of [0, 1, 3, 7]) {
      const drawn = new Random(12345);
      const skipped = new Random(12345);
      for (let i = 0; i < n; i++) drawn.uniform();
      skipped.skip(n);
      const a = Array.from({ length: 20 }, () => drawn.uniform());
      const b = Array.from({ length: 20 }, () => skipped.uniform());
      expect(b).toEqual(a);
    }
  });

  it("is not a no-op", () => {
    const a = new Random(7);
    const b = new Random(7);
    b.skip(1);
    expect(b.uniform()).not.toBe(a.uniform());
  });
});
