import type { AutopilotCampaign } from "../core/config/autopilot-schema.ts";
import type { CxoneBaseClient as CxoneClient } from "../sdk/client-types.ts";
import { readPlanRows } from "../strategy/plan-read.ts";
import type { Recorder } from "./failure-step.ts";
import { AUTOPILOT_PUSH_LEASE_WAIT_MS, listNameOf } from "./morning.ts";
import type { CampaignDay } from "./types.ts";

/**
 * While CXone's DNC routes fail (the honour step passing), a revocation recorded meanwhile is not
 * in CXone's DNC group, so CXone's scrub would not stop a dial to it from a list already pushed.
 * Each of the day's pushed lists is pushed again: the push is keyed on its plan (nothing is
 * uploaded twice), and its screen takes every record whose number the ledger holds revoked out
 * of the lists of that plan (strategy/push-held.ts, `removeBlocked`) — what cxo can do without
 * the DNC group (issue 101 §4). A plan this run pushed was screened by that push.
 */
export async function screenPushedAgain(
  client: CxoneClient,
  job: AutopilotCampaign,
  day: CampaignDay,
  nowMs: number,
  record: Recorder,
  signal?: AbortSignal,
): Promise<void> {
  for (const plan of day.plans) {
    if (plan.pushedAt === undefined || plan.listId === undefined || plan.rows === 0) continue;
    // Pushed by this run: its push screened it just now.
    if (Date.parse(plan.pushedAt) >= nowMs) continue;
    if (plan.nextPushAt !== undefined && Date.parse(plan.nextPushAt) <= nowMs) continue;
    const summary = await client.strategy.push(
      readPlanRows(plan.file, "plan"),
      {
        campaign: job.campaign,
        listName: listNameOf(plan.file),
        leaseWaitMs: AUTOPILOT_PUSH_LEASE_WAIT_MS,
        takeOutOnly: true,
      },
      { signal },
    );
    if ((summary.removed ?? 0) > 0)
      record(
        "push",
        true,
        `${summary.removed} record(s) of revoked numbers taken out of list ${plan.listId} (CXone's DNC group not answering)`,
      );
  }
}
