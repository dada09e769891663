import { createController } from "../../pacing/registry.ts";
import type { Scenario } from "../../pacing/scenario.ts";
import { type DaysResult, simulateDays } from "../day/engine.ts";

/** One unit of bench work: a controller at one tuning over some days of one replication. */
export interface Job {
  scenario: Scenario;
  controller: string;
  tuning: Record<string, number | string>;
  seed: number;
  firstDay: number;
  days: number;
  series?: boolean;
}

export function runJob(job: Job): DaysResult {
  return runJobSharing(job).result;
}

/** The job's result, and the other controllers whose run it also is (`sameRunAs`). */
export function runJobSharing(job: Job): { result: DaysResult; sameRunAs: readonly string[] } {
  const controller = createController(job.controller, { limits: job.scenario.limits, tuning: job.tuning });
  const result = simulateDays(job.scenario, controller, {
    seed: job.seed,
    firstDay: job.firstDay,
    days: job.days,
    series: job.series === true,
  });
  return { result, sameRunAs: controller.sameRunAs?.() ?? [] };
}
