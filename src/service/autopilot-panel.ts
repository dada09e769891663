import { jobOfSection } from "../autopilot/job.ts";
import { checkAutopilotJob } from "../autopilot/job-input.ts";
import { dayReports } from "../autopilot/state.ts";
import { autopilotStatus } from "../autopilot/status.ts";
import type { Settings } from "../core/config/schema.ts";
import type { Store } from "../core/store/index.ts";
import type { AutopilotAnswer } from "./answers/panels.ts";

/** Day reports the board lists: a week's. */
const REPORTS_SHOWN = 7;

/**
 * `GET /api/autopilot` (issue 91 §2): each configured campaign's last and next step and the day
 * so far, and the last days' reports, read from the store the autopilot writes (on whichever
 * instance leads). A service without an `autopilot:` section answers `configured: false`.
 */
export async function autopilotPanel(
  store: Store,
  settings: { autopilot?: Settings["autopilot"]; service?: { timeZone?: string | undefined } },
  boardZone: string,
  nowMs: number,
): Promise<AutopilotAnswer> {
  const section = settings.autopilot;
  if (!section || section.campaigns.length === 0) return { configured: false, campaigns: [], reports: [] };
  const job = checkAutopilotJob(jobOfSection(section, settings.service?.timeZone ?? boardZone));
  const { unfinishedRead } = await import("../consent/cxone-dispositions.ts");
  const campaigns = await autopilotStatus(store, job, nowMs, await unfinishedRead(store));
  const reports = (await dayReports(store)).slice(0, REPORTS_SHOWN * job.campaigns.length);
  return {
    configured: true,
    campaigns: campaigns.map(({ lastReport: _last, ...rest }) => rest),
    reports,
  };
}
