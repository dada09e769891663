import { z } from "zod";
import { parseOptions, sharedOptionFields } from "../options.ts";
import { knobsSchema } from "./knobs.ts";

/**
 * What `startEmulator({ platform: "cxone", … })` and `cxo emulator start --platform cxone`
 * accept. Completed contacts are generated from their index, so `contacts` costs no memory.
 */
export const cxoneOptionsSchema = z.strictObject({
  platform: z.literal("cxone"),
  ...sharedOptionFields,
  /** Completed contacts in the warehouse (lazy: 1 million cost nothing up front). */
  contacts: z.number().int().min(1).max(10_000_000).default(100_000),
  /** The completed contacts' start times span this many days, up to the emulator's start. */
  days: z.number().int().min(1).max(365).default(30),
  /**
   * The instant the completed contacts' window ends (ISO date-time; default: when the emulator
   * starts). Pin it to get the same contacts, times included, from two runs of one seed.
   */
  windowEnd: z.iso.datetime({ offset: true }).optional(),
  /**
   * When the completed contacts started: `calling-windows` (a real tenant's: only while a called
   * party is in its calling window, none 11:00–12:00 UTC) or `any-hour` (evenly over the whole
   * span, for a test that needs contacts up to any instant, such as the warehouse lag's reading).
   */
  history: z.enum(["calling-windows", "any-hour"]).default("calling-windows"),
  /** Lifetime of refresh tokens (the platform's is 7200 s). */
  refreshTtlS: z.number().int().min(1).max(31_536_000).default(7200),
  /** A call-list upload job reports `isComplete: true` on this poll. */
  uploadJobPolls: z.number().int().min(1).max(1000).default(2),
  knobs: knobsSchema.default(knobsSchema.parse({})),
});

export type CxoneEmulatorOptions = z.input<typeof cxoneOptionsSchema>;
export type CxoneResolvedOptions = z.infer<typeof cxoneOptionsSchema>;

export function resolveCxoneOptions(options: CxoneEmulatorOptions): CxoneResolvedOptions {
  return parseOptions(cxoneOptionsSchema, options);
}
