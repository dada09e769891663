import type { Operation } from "../core/store/index.ts";
import type { CampaignsPort } from "../platform/ports/campaigns.ts";
import { createOperation } from "./create.ts";
import { setStatusOperation } from "./transition.ts";
import { type Milestone, milestoneOperation } from "./watchdog/steps.ts";
import { registerWebhookOperation } from "./webhook.ts";

/**
 * Every journaled operation kind of the campaigns capability, for `journal.redrivePending` on
 * start (CLI commands and the watchdog call it before new work). Creation is included when the
 * caller's port can create.
 */
export function campaignOperations(
  port: Pick<CampaignsPort, "get" | "setStatus"> & Partial<Pick<CampaignsPort, "create">>,
): Operation<never, unknown>[] {
  const { create } = port;
  const milestones: Milestone[] = ["opened", "failed-over", "closed"];
  return [
    setStatusOperation(port),
    // The secret of an interrupted registration is not stored: re-driving records it as failed.
    registerWebhookOperation(null, undefined),
    ...milestones.map((milestone) => milestoneOperation(milestone)),
    ...(create ? [createOperation({ create })] : []),
  ] as Operation<never, unknown>[];
}
