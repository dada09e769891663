import type { CxoneClient } from "../client.ts";
import type { Settings } from "../core/config/schema.ts";
import { NotFoundError } from "../core/http/errors.ts";
import { InputError } from "../core/input-error.ts";
import type { AutopilotJobInput } from "../sdk/autopilot.ts";

/** The settings' `autopilot:` job, its zone defaulting to the business unit's (`service.timeZone`). */
export function autopilotJobOf(settings: Pick<Settings, "autopilot" | "service">): AutopilotJobInput {
  return jobOfSection(settings.autopilot, settings.service.timeZone);
}

/** The section as a job, its zone defaulting to `zone` (the business unit's). */
export function jobOfSection(section: Settings["autopilot"], zone: string | undefined): AutopilotJobInput {
  if (section.campaigns.length === 0)
    throw new InputError({
      field: "autopilot.campaigns",
      rule: "names no campaign: add one to the autopilot: section of cxo.config.yaml (docs/autopilot.md)",
    });
  const timeZone = section.timeZone ?? zone;
  return { ...section, ...(timeZone === undefined ? {} : { timeZone }) };
}

/**
 * Before `cxo serve` starts its autopilot: every campaign named must be a campaign of this
 * business unit (its CXone answers for the skill); one it does not know — another business
 * unit's, a typo — is bad input (exit 2) naming the setting, and nothing runs.
 */
export async function checkAutopilotCampaigns(client: CxoneClient, settings: Settings): Promise<void> {
  const job = autopilotJobOf(settings);
  const { checkAutopilotJob } = await import("../sdk/autopilot.ts");
  checkAutopilotJob(job);
  for (const [index, campaign] of settings.autopilot.campaigns.entries()) {
    try {
      await client.campaigns.get(campaign.campaign);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      throw new InputError({
        field: `autopilot.campaigns[${index}].campaign`,
        rule: `campaign ${campaign.campaign} is not a campaign of this business unit (CXone does not know it)`,
      });
    }
  }
}
