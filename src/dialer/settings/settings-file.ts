import { loadInputFile } from "../../core/input-file.ts";
import type { DialerSettings } from "../../platform/ports/dialer.ts";
import { type DialerConfig, dialerConfigSchema } from "../config.ts";

/**
 * The dialer config file as the settings lifecycle reads it: the simulator's schema. A target
 * above the legal 3% is bad input (exit 2, naming the rule, nothing sent): no tenant may run
 * above it, so a file asking for it is a mistake in the file, not a finding to weigh beside the
 * capacity checks (issue 64 §3). Local checks still list it for an SDK caller that built a
 * config object without this schema.
 */
export const settingsFileSchema = dialerConfigSchema;

export function loadSettingsFile(path: string, field = "config"): DialerConfig {
  return loadInputFile(path, settingsFileSchema, field) as DialerConfig;
}

/** The part of a config that is CXone's tenant settings (carrier and traffic stay local). */
export function settingsOf(config: DialerConfig): DialerSettings {
  return {
    ...(config.name ? { name: config.name } : {}),
    concurrency: {
      maxAgents: config.concurrency.maxAgents,
      maxSimultaneousCalls: config.concurrency.maxSimultaneousCalls,
      callSpacingMs: config.concurrency.callSpacingMs,
    },
    algorithm: {
      type: config.algorithm.type,
      abandonmentTarget: config.algorithm.abandonmentTarget,
      agentAvailabilityEstimate: config.algorithm.agentAvailabilityEstimate,
      dialRatio: config.algorithm.dialRatio,
      warmLineTimeoutSec: config.algorithm.warmLineTimeoutSec,
    },
  };
}
