import { describe, expect, it } from "vitest";
import * as allocate from "../../src/strategy/plan-allocate.ts";

/**
 * Issue 80 §2: the planner's allocation rule was module state only a bench script set (every plan
 * in the process then ran on it). It is a parameter of `planBatch` now, the product's by default.
 */
describe("the plan's allocation rule", () => {
  it("is no module state: nothing sets it, and the product's rule is the default parameter", () => {
    expect(Object.keys(allocate)).not.toContain("setAllocationRule");
    expect(allocate.DRAWS).toEqual({ rule: "draws", lookahead: 0 });
    expect(Object.isFrozen(allocate.DRAWS)).toBe(true);
  });
});
