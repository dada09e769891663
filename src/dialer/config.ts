import { z } from "zod";

/**
 * The dialer configuration file users write (`--config dialer.yaml|json`), shared by
 * `cxo dialer validate|apply` (the settings lifecycle) and `cxo dialer simulate` (the capacity
 * simulator). camelCase here; the platform adapter maps it to CXone's wire format.
 *
 * `traffic` describes the calling population for the simulator and the local capacity checks;
 * it is never sent to CXone. Its defaults are a typical B2C predictive list.
 */

/** TCPA safe harbour: at most 3% of answered calls abandoned per campaign per 30 days. */
export const MAX_ABANDONMENT_RATE = 0.03;

export const DIALER_ALGORITHMS = ["predictive", "progressive", "preview"] as const;

const concurrency = z.strictObject({
  /** Agents staffed on the campaign. */
  maxAgents: z.number().int().min(1).max(10_000),
  /** Calls in progress at once (ringing + connected), across the campaign. */
  maxSimultaneousCalls: z.number().int().min(1).max(100_000),
  /** Minimum gap between two dials, ms. */
  callSpacingMs: z.number().int().min(0).max(60_000).default(0),
});

const algorithm = z.strictObject({
  type: z.enum(DIALER_ALGORITHMS).default("predictive"),
  /** Target fraction of answered calls abandoned; the law caps it at 0.03. */
  abandonmentTarget: z
    .number()
    .min(0)
    .max(MAX_ABANDONMENT_RATE, {
      message: `must be at most ${MAX_ABANDONMENT_RATE} (TCPA 3% abandonment limit)`,
    }),
  /** Fraction of staffed agents expected to be available to take calls, [0,1]. */
  agentAvailabilityEstimate: z.number().min(0).max(1).default(0.85),
  /** Lines dialled per available agent; below 1 is not predictive dialing. */
  dialRatio: z.number().min(1).max(20),
  /** Seconds an answered call may wait for an agent before it is dropped (0 = drop at once). */
  warmLineTimeoutSec: z.number().int().min(0).max(600).default(2),
});

const carrier = z.strictObject({
  /** Carrier trunks (simultaneous channels) available to the campaign. */
  trunks: z.number().int().min(1).max(100_000),
});

/** The population being called. Probabilities are per dial attempt and must sum to ≤ 1 (rest: busy). */
const traffic = z
  .strictObject({
    liveAnswerRate: z.number().min(0).max(1).default(0.25),
    machineRate: z.number().min(0).max(1).default(0.15),
    noAnswerRate: z.number().min(0).max(1).default(0.45),
    /** Mean ring time before a live or machine answer, seconds. */
    ringSeconds: z.number().min(0).max(120).default(8),
    /** Ring time before giving up on a no-answer, seconds. */
    noAnswerTimeoutSeconds: z.number().min(1).max(120).default(25),
    /** Greeting / answer detection before a live call is handed to an agent, seconds. */
    greetingSeconds: z.number().min(0).max(30).default(1.5),
    /** Mean talk time, seconds. */
    talkSeconds: z.number().min(1).max(7200).default(120),
    /** Mean after-call work, seconds. */
    wrapSeconds: z.number().min(0).max(3600).default(10),
  })
  .refine((t) => t.liveAnswerRate + t.machineRate + t.noAnswerRate <= 1, {
    message: "liveAnswerRate + machineRate + noAnswerRate must be at most 1",
    path: ["liveAnswerRate"],
  });

export const dialerConfigSchema = z.strictObject({
  campaignId: z.string().min(1).optional(),
  /** Display name of the tenant's dialer settings (`cxo dialer apply`); absent: CXone keeps its own. */
  name: z.string().trim().min(1).max(200).optional(),
  concurrency,
  algorithm,
  carrier,
  traffic: traffic.default({
    liveAnswerRate: 0.25,
    machineRate: 0.15,
    noAnswerRate: 0.45,
    ringSeconds: 8,
    noAnswerTimeoutSeconds: 25,
    greetingSeconds: 1.5,
    talkSeconds: 120,
    wrapSeconds: 10,
  }),
});

export type DialerConfig = z.infer<typeof dialerConfigSchema>;
export type DialerConfigInput = z.input<typeof dialerConfigSchema>;
export type DialerTraffic = DialerConfig["traffic"];
