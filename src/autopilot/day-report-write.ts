import type { AutopilotCampaign } from "../core/config/autopilot-schema.ts";
import type { Store } from "../core/store/index.ts";
import { localOperation } from "../core/store/local-operation.ts";
import type { CxoneBaseClient as CxoneClient } from "../sdk/client-types.ts";
import { dayEvidence } from "./day-evidence.ts";
import { buildDayReport } from "./day-report.ts";
import { AUTOPILOT_REPORTS, AUTOPILOT_STATE, reportKey } from "./state.ts";
import type { AutopilotJob, CampaignDay, CampaignState, DayReport } from "./types.ts";

/*
 * The day report written once, after the evening (or at the first run after a missed one): the
 * store, the board, a signed `autopilot.day-report` event and, with `reportDir`, a file and the
 * evidence of the day's lists. A report once written is never replaced.
 */

export async function writeDayReport(
  client: CxoneClient,
  store: Store,
  job: AutopilotJob,
  campaign: AutopilotCampaign,
  state: CampaignState,
  nowMs: number,
  signal?: AbortSignal,
): Promise<DayReport> {
  const day = state.day as CampaignDay;
  // A day report once written is never replaced (issue 101 §3): the one kept stands.
  const kept = await store.kv.get<DayReport | null>(
    AUTOPILOT_REPORTS,
    reportKey(campaign.campaign, day.date),
  );
  if (kept) {
    day.reportedAt = kept.writtenAt;
    return kept;
  }
  // The report's reads and the lists' evidence side by side: neither needs the other.
  const [report, evidence] = await Promise.all([
    buildDayReport(client, campaign, state, job.zone, nowMs, signal),
    job.reportDir ? dayEvidence(client, job.reportDir, campaign, day, signal) : undefined,
  ]);
  if (evidence) report.evidence = evidence;
  // A step stopped while it gathered the parts (cxo serve's SIGTERM, the step's deadline): the
  // parts it could not read are the stop's, not CXone's; the report is abandoned, never written
  // half, and the next run writes it whole.
  signal?.throwIfAborted();
  day.reportedAt = report.writtenAt;
  const op = localOperation<DayReport>("autopilot.day-report", (payload) => ({
    details: {
      campaign: payload.campaign,
      date: payload.date,
      pushed: payload.pushed,
      dialled: payload.dialled,
    },
    events: [{ type: "autopilot.day-report", destination: "campaigns", data: payload }],
    checkpoints: [
      { namespace: AUTOPILOT_REPORTS, key: reportKey(payload.campaign, payload.date), value: payload },
      { namespace: AUTOPILOT_STATE, key: state.campaign, value: state },
    ],
  }));
  await store.journal.run(op, { target: `campaign:${campaign.campaign}`, payload: report });
  if (job.reportDir) {
    const { writeDayReportFile } = await import("./report-file.ts");
    writeDayReportFile(job.reportDir, report);
  }
  return report;
}
