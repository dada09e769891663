import { z } from "zod";
import { parseOptions, sharedOptionFields } from "../options.ts";

/** What `startRndEmulator(…)` and `cxo emulator start --platform rnd` accept. */
export const rndOptionsSchema = z.strictObject({
  platform: z.literal("rnd").default("rnd"),
  ...sharedOptionFields,
  /** The database's date (YYYY-MM-DD); default: the most recent 15th (providers report monthly). */
  dataAsOf: z.iso.date().optional(),
  /** The share of all numbers the seeded database holds as permanently disconnected. */
  disconnectRate: z.number().min(0).max(1).default(0.05),
});

export type RndEmulatorOptions = z.input<typeof rndOptionsSchema>;
export type RndResolvedOptions = z.infer<typeof rndOptionsSchema>;

export function resolveRndOptions(options: RndEmulatorOptions): RndResolvedOptions {
  return parseOptions(rndOptionsSchema, options);
}
