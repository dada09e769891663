import { z } from "zod";
import { knobsSchema } from "./knobs.ts";

/**
 * What `startEmulator({ platform: "cxone", … })` and `cxo emulator start --platform cxone`
 * accept. Completed contacts are generated from their index, so `contacts` costs no memory.
 */
export const cxoneOptionsSchema = z.strictObject({
  platform: z.literal("cxone"),
  port: z.number().int().min(0).max(65_535).default(0),
  host: z.string().min(1).default("127.0.0.1"),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
  /** Completed contacts in the warehouse (lazy: 1 million cost nothing up front). */
  contacts: z.number().int().min(1).max(10_000_000).default(100_000),
  /** The completed contacts' start times span this many days, up to the emulator's start. */
  days: z.number().int().min(1).max(365).default(30),
  /**
   * The instant the completed contacts' window ends (ISO date-time; default: when the emulator
   * starts). Pin it to get the same contacts, times included, from two runs of one seed.
   */
  windowEnd: z.iso.datetime({ offset: true }).optional(),
  /** Added to every API request, before anything else happens. */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  /** Lifetime of access tokens (the platform's is 3600 s). */
  tokenTtlS: z.number().int().min(1).max(31_536_000).default(3600),
  /** Lifetime of refresh tokens (the platform's is 7200 s). */
  refreshTtlS: z.number().int().min(1).max(31_536_000).default(7200),
  /** A call-list upload job reports `isComplete: true` on this poll. */
  uploadJobPolls: z.number().int().min(1).max(1000).default(2),
  knobs: knobsSchema.default(knobsSchema.parse({})),
});

export type CxoneEmulatorOptions = z.input<typeof cxoneOptionsSchema>;
export type CxoneResolvedOptions = z.infer<typeof cxoneOptionsSchema>;

export function resolveCxoneOptions(options: CxoneEmulatorOptions): CxoneResolvedOptions {
  const result = cxoneOptionsSchema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new RangeError(`emulator option ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return result.data;
}
