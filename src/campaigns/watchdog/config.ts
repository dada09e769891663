import { z } from "zod";
import { liveRulesSchema } from "./live-rules.ts";

/** A watchdog's settings: the primary and its backup, the success-rate rule, and the live rules. */
export const watchdogConfigSchema = z
  .strictObject({
    primary: z.string().min(1, "is required"),
    backup: z.string().min(1, "is required"),
    threshold: z
      .number()
      .gt(0, "must be greater than 0 (a success-rate fraction)")
      .lt(1, "must be less than 1 (a success-rate fraction)"),
    windowMinutes: z
      .number()
      .int("must be a whole number of minutes")
      .min(1, "must be at least 1")
      .max(1440, "must be at most 1440"),
    intervalSeconds: z.number().min(0.01, "must be at least 0.01 s").max(86_400, "must be at most 86400 s"),
    minSample: z.number().int("must be a whole number of calls").min(0, "must be 0 or more"),
    breaches: z
      .number()
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .max(100, "must be at most 100"),
    failBack: z.boolean(),
    /** Live rules (live-rules.ts), judged on snapshots pushed through `observeLive`. */
    live: liveRulesSchema.optional(),
  })
  .refine((config) => config.primary !== config.backup, {
    path: ["backup"],
    message: "must differ from the primary",
  });

export type WatchdogConfig = z.infer<typeof watchdogConfigSchema>;
