import type { z } from "zod";
import { type autopilotCampaignSchema, autopilotSchema } from "../core/config/autopilot-schema.ts";
import { InputError } from "../core/input-error.ts";
import type { AutopilotJob } from "./types.ts";

/**
 * One campaign of the autopilot's job as a program gives it: the schema's input (what
 * `cxo.config.yaml`'s `autopilot.campaigns[]` accepts), so the type and the check are one
 * definition (core/config/autopilot-schema.ts documents each field).
 */
export type AutopilotCampaignInput = z.input<typeof autopilotCampaignSchema>;

/**
 * The autopilot's job: the `autopilot:` section of `cxo.config.yaml` (docs/autopilot.md), as its
 * schema accepts it. `timeZone` (IANA), in which `morning` and `evening` are read, is required.
 */
export type AutopilotJobInput = z.input<typeof autopilotSchema>;

/** The job checked: unknown keys, a bad time, an unknown kind or zone are InputErrors naming the field. */
export function checkAutopilotJob(params: unknown): AutopilotJob {
  const { campaign: _campaign, ...rest } = (params ?? {}) as Record<string, unknown>;
  const result = autopilotSchema.safeParse(rest);
  if (!result.success)
    throw new InputError(
      result.error.issues.map((issue) => ({
        field: ["autopilot", ...issue.path.map(String)].join("."),
        rule: issue.message,
      })),
    );
  const settings = result.data;
  const zone = settings.timeZone;
  if (zone === undefined)
    throw new InputError({
      field: "autopilot.timeZone",
      rule: "is required (the business unit's zone, e.g. America/New_York)",
    });
  if (!isZone(zone))
    throw new InputError({
      field: "autopilot.timeZone",
      rule: "must be an IANA time zone such as America/New_York",
    });
  const seen = new Set<string>();
  for (const [index, job] of settings.campaigns.entries()) {
    if (seen.has(job.campaign))
      throw new InputError({
        field: `autopilot.campaigns.${index}.campaign`,
        rule: `campaign ${job.campaign} is named twice`,
      });
    seen.add(job.campaign);
  }
  return {
    campaigns: settings.campaigns,
    zone,
    reportDir: settings.reportDir,
    intervalMinutes: settings.intervalMinutes,
    escalateAfterMinutes: settings.escalateAfterMinutes,
  };
}

function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
