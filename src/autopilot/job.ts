import type { Settings } from "../core/config/schema.ts";
import { NotFoundError } from "../core/http/errors.ts";
import { InputError } from "../core/input-error.ts";
import { printable } from "../core/printable.ts";
import { applicationHostOf } from "../sdk/application-host.ts";
import type { CxoneBaseClient as CxoneClient } from "../sdk/client-types.ts";
import { type AutopilotJobInput, checkAutopilotJob } from "./job-input.ts";
import { loadState, saveState } from "./state.ts";

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
 * unit's, a typo — is bad input (exit 2) naming the setting, and nothing runs. The skill's
 * identity is compared too, not only its id (High): the name the autopilot last saw
 * for it in this unit's store; a skill of the same id and another name (another unit's 301) is
 * refused the same way. The first start remembers the name.
 */
export async function checkAutopilotCampaigns(client: CxoneClient, settings: Settings): Promise<void> {
  const job = autopilotJobOf(settings);
  checkAutopilotJob(job);
  const store = await applicationHostOf(client).store();
  for (const [index, campaign] of settings.autopilot.campaigns.entries()) {
    const field = `autopilot.campaigns[${index}].campaign`;
    let name: string;
    try {
      name = (await client.campaigns.get(campaign.campaign)).name;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      throw new InputError({
        field,
        rule: `campaign ${campaign.campaign} is not a campaign of this business unit (CXone does not know it)`,
      });
    }
    const state = await loadState(store, campaign.campaign);
    if (state.skillName !== undefined && state.skillName !== name)
      throw new InputError({
        field,
        rule: `campaign ${campaign.campaign} is "${printable(name)}" in this business unit, but the autopilot ran "${printable(state.skillName)}" under that id: another unit's campaign? (each unit's autopilot goes under tenants.NAME.autopilot); nothing was run`,
      });
    if (state.skillName === undefined) await saveState(store, { ...state, skillName: name });
  }
}
