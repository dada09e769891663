import { z } from "zod";

/**
 * Seed 003's dialer configuration shape (snake_case, as the seed sends it), shared by campaign
 * creation, settings and the compliance rules the validator and the operations apply.
 */
export const DIALER_TYPES = ["predictive", "progressive", "preview"] as const;

export const concurrencySchema = z.strictObject({
  max_agents: z.number().int().min(1).max(10_000),
  max_simultaneous_calls: z.number().int().min(1).max(100_000),
  call_spacing_ms: z.number().int().min(0).max(60_000).optional(),
});

export const algorithmSchema = z.strictObject({
  type: z.enum(DIALER_TYPES),
  abandonment_rate_target: z.number().min(0).max(1),
  agent_availability_estimate: z.number().min(0).max(1).optional(),
  dial_ratio: z.number().gt(0).max(20),
  warm_line_timeout_sec: z.number().int().min(0).max(600).optional(),
});

/** The US regulatory ceiling on abandoned calls (TCPA safe harbour). */
export const MAX_ABANDONMENT = 0.03;

export interface Violation {
  code: string;
  field: string;
  message: string;
}

/** The regulatory problems of a (structurally valid) config: what makes validation FAIL. */
export function regulatoryViolations(algorithm: {
  abandonment_rate_target: number;
  dial_ratio: number;
}): Violation[] {
  const violations: Violation[] = [];
  if (algorithm.abandonment_rate_target > MAX_ABANDONMENT) {
    violations.push({
      code: "TCPA_ABANDONMENT_LIMIT",
      field: "algorithm.abandonment_rate_target",
      message: `abandonment target ${algorithm.abandonment_rate_target} exceeds the ${MAX_ABANDONMENT} limit`,
    });
  }
  if (algorithm.dial_ratio < 1) {
    violations.push({
      code: "DIAL_RATIO_BELOW_ONE",
      field: "algorithm.dial_ratio",
      message: `dial ratio ${algorithm.dial_ratio} is below 1`,
    });
  }
  return violations;
}
