import type { Scenario } from "../../src/dialer/pacing/scenario.ts";

/**
 * The operator's AMD estimate a scenario's truth implies: the share of the detector's machine
 * verdicts that are people hung up on as machines (`liveHungUp` of the live answers, among the
 * machines it hung up on and those people). What an operator's review of machine-classified
 * calls measures, and what cxo is given as `limits.amdFalsePositive` on the Ofcom cells; 0 where
 * the scenario hangs up on nobody (`long-26-ofcom`).
 */
export function operatorEstimate(s: Scenario): number {
  const people = (1 - s.machineShare) * s.liveHungUp;
  const verdicts = s.machineShare * (1 - s.falsePositive) + people;
  return verdicts > 0 ? people / verdicts : 0;
}

/** The scenario with cxo given the operator's estimate (the simulator's truth is unchanged). */
export function withOperatorEstimate(s: Scenario): Scenario {
  return { ...s, limits: { ...s.limits, amdFalsePositive: { rate: operatorEstimate(s) } } };
}
