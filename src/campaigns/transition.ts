import { randomUUID } from "node:crypto";
import { checkPresentedCallerId } from "../compliance/caller-id-check.ts";
import { clockNowMs } from "../core/clock/now.ts";
import { ConflictError, NotFoundError } from "../core/http/errors.ts";
import { failureFinish, type Operation, type Store } from "../core/store/index.ts";
import type { CampaignsPort, CreateHooks } from "../platform/ports/campaigns.ts";
import type { CampaignStatus } from "../platform/types.ts";
import { campaignKindOf } from "./known-campaigns.ts";
/**
 * Pause / resume (and the watchdog's failover steps) as ONE journaled operation kind.
 *
 * Idempotency key = campaign + target state + the INTENT's id:
 *  - an operator's `cxo campaigns pause X` mints a fresh intent id once, before the journal row
 *    is written; the row stores the key, so the HTTP core's retries and a re-drive after a
 *    crash send the same key and CXone replays its first answer (one transition, never two);
 *  - a later, legitimate pause → resume → pause mints new intents, so it is never mistaken for
 *    a replay of the first pause (a key derived from campaign + state alone would be);
 *  - the watchdog's intent id is `<incident id>:<step>`, so a restart mid-incident re-sends the
 *    same key for the same step.
 * The campaign already being in the target state (409 already_in_state) is success with
 * `changed: false`: the audit record says so and no state-change event is emitted.
 */
export const SET_STATUS_KIND = "campaigns.set-status";

export type TransitionReason = "operator" | "failover" | "fail-back";

export interface SetStatusPayload {
  campaignId: string;
  target: CampaignStatus;
  intent: string;
  reason: TransitionReason;
  incidentId?: string;
}

export interface SetStatusResult {
  campaignId: string;
  target: CampaignStatus;
  /** False when the campaign was already in the target state. */
  changed: boolean;
  /** The status read just before the change (null if it could not be read). */
  previous: CampaignStatus | null;
  status: CampaignStatus;
  /** CXone answered from its idempotency store (an earlier attempt of this intent got through). */
  replayed: boolean;
  attempts: number;
  /**
   * What was judged and not refused: a collections campaign's skill presenting no valid caller id
   * (not telemarketing: a warning). Absent when there is none.
   */
  warnings?: string[];
}

export function statusIdempotencyKey(payload: Pick<SetStatusPayload, "campaignId" | "target" | "intent">) {
  return `cxo-status-${payload.campaignId}-${payload.target}-${payload.intent}`;
}

export function isAlreadyInState(error: unknown): boolean {
  return (
    error instanceof ConflictError &&
    (error.body as { error?: unknown } | null | undefined)?.error === "already_in_state"
  );
}

/**
 * An operator's resume, before the skill starts dialing: the caller id its calls present,
 * judged as a push's and a create's are (47 CFR 64.1601(e); compliance/caller-id-check.ts) for
 * the campaign's declared kind — a telemarketing (or undeclared) campaign presenting none, an
 * invalid number or one of its own blocked numbers is refused (InputError, nothing sent). The
 * watchdog's failover steps are not judged here (an incident's backup is not held back).
 */
function resumeHooks(store: Store | undefined, payload: SetStatusPayload): CreateHooks | undefined {
  if (payload.reason !== "operator" || payload.target !== "active") return undefined;
  return {
    beforeStart: async (skillId, callerId) =>
      checkPresentedCallerId(
        store,
        { campaignId: skillId, callerId },
        store === undefined ? undefined : await campaignKindOf(store, payload.campaignId),
        clockNowMs(),
      ),
  };
}

export function setStatusOperation(
  port: Pick<CampaignsPort, "get" | "setStatus">,
  /** The data dir: a resume's caller id is judged with its blocked numbers and the campaign's kind. */
  store?: Store,
): Operation<SetStatusPayload, SetStatusResult> {
  return {
    kind: SET_STATUS_KIND,
    async effect(payload, ctx) {
      // Read first only to record the state before; the PUT is sent whatever it says, because
      // on a re-drive the earlier attempt may already have made the change, and only the
      // replayed answer to the same key tells "done by this intent" from "already so".
      // A campaign CXone says does not exist is refused here, before the PUT (issue 64 §3: an
      // answer that nothing was sent — exit 2 — must be true).
      const previous = await port.get(payload.campaignId, ctx.signal).then(
        (campaign) => campaign.status,
        (error: unknown) => {
          if (error instanceof NotFoundError) throw error;
          return null;
        },
      );
      try {
        const write = await port.setStatus(
          payload.campaignId,
          payload.target,
          ctx.idempotencyKey,
          ctx.signal,
          resumeHooks(store, payload),
        );
        return {
          campaignId: payload.campaignId,
          target: payload.target,
          changed: true,
          previous: write.replayed ? null : previous,
          status: write.campaign.status,
          replayed: write.replayed,
          attempts: write.attempts,
          ...(write.warnings && write.warnings.length > 0 ? { warnings: write.warnings } : {}),
        };
      } catch (error) {
        if (!isAlreadyInState(error)) throw error;
        return {
          campaignId: payload.campaignId,
          target: payload.target,
          changed: false,
          previous: payload.target,
          status: payload.target,
          replayed: false,
          attempts: (error as ConflictError).attempts ?? 1,
        };
      }
    },
    finish(settled, payload) {
      const context = {
        reason: payload.reason,
        intent: payload.intent,
        ...(payload.incidentId ? { incidentId: payload.incidentId } : {}),
      };
      if (!settled.ok)
        return failureFinish(settled.error, { details: { ...context, target: payload.target } });
      const result = settled.value;
      return {
        outcome: "done",
        status: result.changed ? 200 : 409,
        before: { status: result.previous },
        after: { status: result.status },
        details: {
          ...context,
          changed: result.changed,
          replayed: result.replayed,
          attempts: result.attempts,
        },
        events: result.changed
          ? [
              {
                type: "campaign.status.changed",
                destination: "campaigns",
                orderKey: payload.campaignId,
                data: {
                  campaignId: payload.campaignId,
                  previousStatus: result.previous,
                  status: result.status,
                  ...context,
                },
              },
            ]
          : [],
      };
    },
  };
}

/** One operator intent (`cxo campaigns pause|resume`): a fresh intent id, journaled, sent once. */
export async function changeCampaignStatus(
  port: Pick<CampaignsPort, "get" | "setStatus">,
  /** A whole store: a resume's caller id is judged with its blocked numbers and the campaign's kind. */
  store: Pick<Store, "journal"> | Store,
  campaignId: string,
  target: CampaignStatus,
  request: {
    signal?: AbortSignal | undefined;
    idempotencyKey?: string | undefined;
    /** The intent's id when the caller minted it (the board: one per confirmation). */
    intent?: string | undefined;
  } = {},
): Promise<SetStatusResult> {
  const payload: SetStatusPayload = {
    campaignId,
    target,
    intent: request.intent ?? randomUUID().replaceAll("-", ""),
    reason: "operator",
  };
  const whole = "kv" in store ? store : undefined;
  return store.journal.run(setStatusOperation(port, whole), {
    target: campaignId,
    payload,
    idempotencyKey: request.idempotencyKey ?? statusIdempotencyKey(payload),
    signal: request.signal,
  });
}
