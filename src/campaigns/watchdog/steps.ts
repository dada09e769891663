import type { Operation, Store } from "../../core/store/index.ts";
import type { CampaignsPort } from "../../platform/ports/campaigns.ts";
import type { CampaignStatus } from "../../platform/types.ts";
import {
  type SetStatusPayload,
  type SetStatusResult,
  setStatusOperation,
  statusIdempotencyKey,
} from "../transition.ts";
import { type Incident, pairKey, WATCHDOG_STATE, type WatchdogState } from "./state.ts";

/**
 * What the watchdog does to CXone during an incident, and how each milestone is recorded.
 *
 * Order: always STOP one campaign before STARTING the other. Failover pauses the primary, then
 * activates the backup; fail-back pauses the backup, then resumes the primary. Both campaigns
 * dial the same list, so running both at once could call a contact twice (per-contact caps);
 * a short gap with neither dialing is the safe failure. If the stop fails, the start is not
 * attempted; the next evaluation (or restart) carries on from the first step not done.
 *
 * Each step is a `campaigns.set-status` operation whose intent is `<incident>:<step>`, so its
 * idempotency key is fixed per incident: a step found `done` in the journal is skipped, a
 * pending one is re-driven with the same key, and CXone replays rather than repeats.
 */
export interface Step {
  name: "pause-primary" | "activate-backup" | "pause-backup" | "resume-primary";
  role: "primary" | "backup";
  target: CampaignStatus;
}

export const FAILOVER_STEPS: readonly Step[] = [
  { name: "pause-primary", role: "primary", target: "paused" },
  { name: "activate-backup", role: "backup", target: "active" },
];

export const FAILBACK_STEPS: readonly Step[] = [
  { name: "pause-backup", role: "backup", target: "paused" },
  { name: "resume-primary", role: "primary", target: "active" },
];

export interface StepOutcome {
  step: Step["name"];
  campaignId: string;
  /** skipped: the journal already had this step done (a restart mid-incident). */
  result: SetStatusResult | "skipped";
}

export async function runSteps(
  port: Pick<CampaignsPort, "get" | "setStatus">,
  store: Pick<Store, "journal">,
  incident: Incident,
  steps: readonly Step[],
): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (const step of steps) {
    const payload: SetStatusPayload = {
      campaignId: step.role === "primary" ? incident.primary : incident.backup,
      target: step.target,
      intent: `${incident.id}:${step.name}`,
      reason: steps === FAILBACK_STEPS ? "fail-back" : "failover",
      incidentId: incident.id,
    };
    const idempotencyKey = statusIdempotencyKey(payload);
    const earlier = await store.journal.findByKey(idempotencyKey);
    if (earlier?.status === "done") {
      outcomes.push({ step: step.name, campaignId: payload.campaignId, result: "skipped" });
      continue;
    }
    // Throws (after journaling the failure) if the step fails: later steps must wait.
    const result = await store.journal.run(setStatusOperation(port), {
      target: payload.campaignId,
      payload,
      idempotencyKey,
    });
    outcomes.push({ step: step.name, campaignId: payload.campaignId, result });
  }
  return outcomes;
}

/**
 * Incident milestones as local journaled operations: no call to CXone (the effect does
 * nothing), but the new watchdog state, the audit record and the outbox event commit in ONE
 * transaction, and a crash before that commit re-drives them from the stored payload.
 */
export type Milestone = "opened" | "failed-over" | "closed";

export const MILESTONE_KINDS: Record<Milestone, string> = {
  opened: "campaigns.failover.opened",
  "failed-over": "campaigns.failover.completed",
  closed: "campaigns.failover.closed",
};

const EVENT_TYPES: Record<Milestone, string> = {
  opened: "campaign.failover.started",
  "failed-over": "campaign.failover.completed",
  closed: "campaign.failover.closed",
};

export interface MilestonePayload {
  incident: Incident;
  state: WatchdogState;
  details?: Record<string, unknown>;
}

export function milestoneOperation(milestone: Milestone): Operation<MilestonePayload, null> {
  return {
    kind: MILESTONE_KINDS[milestone],
    effect: async () => null,
    finish: (_settled, payload) => ({
      outcome: "done",
      after: { incidentId: payload.incident.id, phase: payload.incident.phase },
      details: {
        primary: payload.incident.primary,
        backup: payload.incident.backup,
        trigger: payload.incident.trigger,
        ...(payload.incident.closedBy ? { closedBy: payload.incident.closedBy } : {}),
        ...payload.details,
      },
      events: [
        {
          type: EVENT_TYPES[milestone],
          destination: "campaigns",
          orderKey: payload.incident.primary,
          data: {
            incidentId: payload.incident.id,
            primaryCampaignId: payload.incident.primary,
            backupCampaignId: payload.incident.backup,
            phase: payload.incident.phase,
            openedAt: payload.incident.openedAt,
            failedOverAt: payload.incident.failedOverAt,
            closedAt: payload.incident.closedAt,
            closedBy: payload.incident.closedBy,
            trigger: payload.incident.trigger,
            ...payload.details,
          },
        },
      ],
      checkpoints: [
        {
          namespace: WATCHDOG_STATE,
          key: pairKey(payload.state.primary, payload.state.backup),
          value: payload.state,
        },
      ],
    }),
  };
}

export function recordMilestone(
  store: Pick<Store, "journal">,
  milestone: Milestone,
  payload: MilestonePayload,
): Promise<null> {
  return store.journal.run(milestoneOperation(milestone), {
    target: payload.incident.primary,
    payload,
    idempotencyKey: `cxo-incident-${payload.incident.id}-${milestone}`,
  });
}
