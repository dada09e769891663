import { z } from "zod";

/** What `startEmulator` and `cxo emulator start` accept; defaults match the CLI's. */
export interface EmulatorOptions {
  /** The seed API (default); `startEmulator({ platform: "cxone" })` takes CxoneEmulatorOptions. */
  platform?: "seed";
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  seed?: number;
  /** How many outbound call records exist (generated lazily: 10 million cost no memory). */
  calls?: number;
  /** Added to every API request, before anything else happens. */
  latencyMs?: number;
  /** Multiplies every group's rate limit (use a large value to switch throttling off). */
  rateLimitScale?: number;
  tokenTtlS?: number;
  /** How long a dialer settings operation (seed 003) stays IN_PROGRESS. */
  operationDelayMs?: number;
  /** How often active campaigns push `omnichannel.campaign.metrics.update` events (0 = never). */
  metricsIntervalMs?: number;
  /**
   * Simulated seconds per real second of the live dialer twin (dialer-twin.ts): 60 runs an hour
   * of dialing in a minute.
   */
  speed?: number;
}

/** The options both emulators (seed API, production API) take, with the same ranges. */
export const sharedOptionFields = {
  port: z.number().int().min(0).max(65_535).default(0),
  host: z.string().min(1).default("127.0.0.1"),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
  /** Added to every API request, before anything else happens. */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  /** Lifetime of access tokens. */
  tokenTtlS: z.number().int().min(1).max(31_536_000).default(3600),
};

/** Parses emulator options, or throws a RangeError naming the first bad one. */
export function parseOptions<T>(schema: z.ZodType<T>, options: unknown): T {
  const result = schema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new RangeError(`emulator option ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return result.data;
}

export const optionsSchema = z.object({
  ...sharedOptionFields,
  calls: z.number().int().min(1).max(1_000_000_000).default(100_000),
  rateLimitScale: z.number().positive().max(1_000_000).default(1),
  operationDelayMs: z.number().int().min(0).max(600_000).default(4000),
  metricsIntervalMs: z.number().int().min(0).default(60_000),
  speed: z.number().positive().max(100_000).default(1),
});

export type ResolvedOptions = z.infer<typeof optionsSchema>;

export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  return parseOptions(optionsSchema, options);
}
