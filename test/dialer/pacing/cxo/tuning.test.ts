import { describe, expect, it } from "vitest";
import { InputError } from "../../../../src/core/input-error.ts";
import { CXO_TUNING_KEYS, cxoTuning } from "../../../../src/dialer/pacing/cxo/tuning.ts";
import { createController } from "../../../../src/dialer/pacing/registry.ts";
import { DEFAULT_LIMITS } from "../../../../src/dialer/pacing/types.ts";

const problemsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error("no InputError");
};

describe("cxo's tuning schema", () => {
  it("refuses an unknown key by name, before anything runs (a misspelt key once ran as the default)", () => {
    const problems = problemsOf(() =>
      createController("cxo", { limits: DEFAULT_LIMITS, tuning: { floorSwich: 1 } }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe("tuning.floorSwich");
    expect(problems[0]?.rule).toMatch(/is not a cxo tuning key \(known: margin, kappa/);
  });

  it("refuses the removed trial switches and experiment knobs", () => {
    for (const key of [
      "floorSwitch",
      "rollingBudget",
      "rollingGuard",
      "rollingMax",
      "rollingHotMax",
      "rollingReserve",
      "budget",
      "budgetLight",
      "budgetTail",
      "budgetEnd",
      "budgetCluster",
      "budgetResponse",
      "budgetFactorMax",
      "budgetFactorMin",
      "steerBoost",
      "coldStart",
      "wrapMode",
    ])
      expect(problemsOf(() => cxoTuning({ [key]: 1 }, DEFAULT_LIMITS))[0]?.field).toBe(`tuning.${key}`);
  });

  it("refuses a value out of its key's range or not a number, naming the key", () => {
    expect(problemsOf(() => cxoTuning({ margin: 1.5 }, DEFAULT_LIMITS))[0]?.field).toBe("tuning.margin");
    expect(problemsOf(() => cxoTuning({ kappa: -1 }, DEFAULT_LIMITS))[0]?.field).toBe("tuning.kappa");
    expect(problemsOf(() => cxoTuning({ minAgents: 2.5 }, DEFAULT_LIMITS))[0]?.field).toBe(
      "tuning.minAgents",
    );
    expect(problemsOf(() => cxoTuning({ steer: "fast" }, DEFAULT_LIMITS))[0]?.field).toBe("tuning.steer");
  });

  it("reads a number written as a string (the bench's --tuning k=v)", () => {
    expect(cxoTuning({ steer: "0.01" }, DEFAULT_LIMITS).steer).toBe(0.01);
  });

  it("defaults follow the limits: the start under a low target, the window guard with the operator's estimate", () => {
    expect(cxoTuning({}, { ...DEFAULT_LIMITS, target: 0.01 }).initialGain).toBe(0.125);
    expect(cxoTuning({}, { ...DEFAULT_LIMITS, target: 0.03 }).initialGain).toBe(0.5);
    expect(cxoTuning({}, DEFAULT_LIMITS).windowGuard).toBe(0.85);
    const estimated = { ...DEFAULT_LIMITS, window: "ofcom-24h" as const, amdFalsePositive: { rate: 0.1 } };
    expect(cxoTuning({}, estimated).windowGuard).toBe(0.92);
  });

  it("the controller reports every tuning value it runs with, in `tuning` and `status().tuning`", () => {
    const c = createController("cxo", { limits: DEFAULT_LIMITS, tuning: { steer: 0.01, hotFactor: 1.7 } });
    expect(Object.keys(c.tuning).sort()).toEqual([...CXO_TUNING_KEYS].sort());
    expect(c.tuning).toMatchObject({ steer: 0.01, hotFactor: 1.7, margin: 0.95, kappa: 0.02, planMax: 1.2 });
    expect(c.status().tuning).toEqual(c.tuning);
    // Unset, the short guard's line follows chance: no fixed factor is reported.
    const plain = createController("cxo", { limits: DEFAULT_LIMITS });
    expect(Object.keys(plain.tuning).sort()).toEqual(CXO_TUNING_KEYS.filter((k) => k !== "hotFactor").sort());
  });
});
