import { z } from "zod";
import { loadInputFile } from "../../core/input-file.ts";
import type { DialerSettings } from "../../platform/ports/dialer.ts";
import { type DialerConfig, dialerConfigSchema } from "../config.ts";

/**
 * The dialer config file as the settings lifecycle reads it. Same schema as the simulator's,
 * except that the abandonment target may be anything in [0, 1]: a target above the legal 3%
 * is a well-formed file that breaks a rule, so `validate` lists it as a violation (exit 1)
 * beside every other problem, instead of refusing the file as malformed (exit 2).
 */
export const settingsFileSchema = dialerConfigSchema.extend({
  algorithm: dialerConfigSchema.shape.algorithm.extend({
    abandonmentTarget: z.number().min(0).max(1),
  }),
});

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
