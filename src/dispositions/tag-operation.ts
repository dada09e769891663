import { clockNowDate } from "../core/clock/now.ts";
import { failureFinish, type Operation } from "../core/store/index.ts";
import type { DispositionsPort } from "../platform/ports/dispositions.ts";
import type { CallDispositionInput, CallDispositionResult } from "../platform/types.ts";
/**
 * Tagging one call as a journaled operation: the pending row is committed before the PUT; the
 * row's outcome, the audit record, the BI event and (for bulk runs) the row's "done" checkpoint
 * commit together afterwards. On restart, pending rows are re-driven with the same payload
 * (the PUT is an idempotent upsert, so sending it again is safe).
 */
export const TAG_OPERATION_KIND = "dispositions.tag";

export interface TagPayload {
  campaignId: string;
  callId: string;
  input: CallDispositionInput;
  /** Set for bulk rows: where the row's "done" mark is kept (committed with the outcome). */
  bulk?: { namespace: string; key: string; row: number };
}

export function tagOperation(
  port: Pick<DispositionsPort, "setCallDisposition">,
): Operation<TagPayload, CallDispositionResult> {
  return {
    kind: TAG_OPERATION_KIND,
    effect: (payload, ctx) =>
      port.setCallDisposition(payload.callId, payload.input, ctx.signal, { campaignId: payload.campaignId }),
    finish: (settled, payload) => {
      if (!settled.ok) {
        const status = (settled.error as { status?: unknown }).status;
        return failureFinish(settled.error, {
          details: {
            campaignId: payload.campaignId,
            locked: status === 409,
            ...(payload.bulk ? { row: payload.bulk.row } : {}),
          },
        });
      }
      const result = settled.value;
      const missing = result.notApplied;
      const tagged = {
        dispositionCodeId: payload.input.dispositionCodeId,
        reasonCodeId: payload.input.reasonCodeId ?? null,
        tags: missing ? payload.input.tags.filter((t) => !missing.tags.includes(t)) : payload.input.tags,
      };
      return {
        // Part of the write went through: audited as partial, with what was not applied and why.
        outcome: missing ? "partial" : "done",
        status: result.status,
        after: tagged,
        details: {
          ...(missing ? { notApplied: { tags: missing.tags }, reason: missing.reason } : {}),
          campaignId: payload.campaignId,
          attempts: result.attempts,
          httpLatencyMs: round(result.latencyMs),
          attemptLatenciesMs: result.attemptLatenciesMs.map(round),
          requestId: result.requestId ?? null,
          ...(payload.bulk ? { row: payload.bulk.row } : {}),
        },
        // Free-text notes stay out of the BI event: they may hold personal data the BI side
        // has no need for. Events of one call go in order.
        events: [
          {
            type: "outbound.call.tagged",
            destination: "bi",
            orderKey: payload.callId,
            data: {
              callId: payload.callId,
              campaignId: payload.campaignId,
              ...tagged,
              taggedAt: clockNowDate().toISOString(),
            },
          },
        ],
        ...(payload.bulk
          ? {
              checkpoints: [
                {
                  namespace: payload.bulk.namespace,
                  key: payload.bulk.key,
                  value: { done: true, row: payload.bulk.row },
                },
              ],
            }
          : {}),
      };
    },
  };
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
