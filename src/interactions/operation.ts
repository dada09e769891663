import { createHash } from "node:crypto";
import { systemClock } from "../core/clock/clock.ts";
import { DeadlineExceededError } from "../core/deadline-error.ts";
import { ConflictError, CxoneError, NetworkError, ServerError } from "../core/http/errors.ts";
import { fullJitterBackoff } from "../core/retry/index.ts";
import { failureFinish, type Operation } from "../core/store/index.ts";
import type { InteractionsPort } from "../platform/ports/interactions.ts";
import type { InteractionDispositionEntry } from "../platform/types.ts";
import { classMixProblem } from "./code-rules.ts";
import type { IntendedDisposition } from "./entry-rules.ts";
import { ConflictRetriesExhaustedError, DispositionRuleError } from "./errors.ts";
import { isApplied, mergeDisposition } from "./merge.ts";
import type { InteractionMetrics } from "./metrics.ts";
// Registers the Prometheus series the metrics record to: every recording is made in this workflow.
import "./metrics-series.ts";

/**
 * The journalled side effect of `set-disposition`: PATCH the merged dispositions with If-Match;
 * on a 409 (someone else wrote first) or an unanswered PATCH (5xx/reset after the core's own
 * retries), wait with full jitter, RE-READ, and either stop — our entry is already there, so our
 * earlier PATCH landed — or re-apply the intended change to the fresh state and try again, up
 * to a bound. The body is never re-sent with a fresh ETag alone (seed 001's bug: that would
 * erase the concurrent edit).
 */
export const SET_DISPOSITION_KIND = "interactions.set-disposition";
export const INTERACTIONS_DESTINATION = "interactions";
export const EVENT_TYPE = "interaction.disposition.set";

export interface SetDispositionPayload {
  interactionId: string;
  intended: IntendedDisposition;
  /** The state the first PATCH is built on (what we read, or the user's --etag view re-read). */
  baseEtag: string;
  baseDispositions: InteractionDispositionEntry[];
}

export interface SetDispositionEffectResult {
  /** `updated`: our PATCH answered 200; `confirmed`: a re-read showed our entry already there. */
  outcome: "updated" | "confirmed";
  afterEtag: string;
  dispositions: InteractionDispositionEntry[];
  /** PATCH requests sent (each may be several HTTP attempts in the core). */
  patches: number;
  conflicts: number;
}

export interface ConflictPolicy {
  /** PATCHes at most (first one included). */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_CONFLICT_POLICY: ConflictPolicy = {
  maxAttempts: 15,
  backoffBaseMs: 20,
  backoffCapMs: 1000,
  random: Math.random,
  // On the schedule of the client whose call it is (createClient's `clock`), else the process's timers.
  sleep: (ms) => systemClock.sleep(ms),
};

const codesOf = (entries: readonly InteractionDispositionEntry[]) => entries.map((e) => e.code);

/** One key per (operation, base version): stable across the core's retries and re-drives. */
function patchKey(operationKey: string, etag: string): string {
  return `${operationKey}.${createHash("sha256").update(etag).digest("hex").slice(0, 16)}`;
}

export function setDispositionOperation(
  port: InteractionsPort,
  metrics: InteractionMetrics,
  policy: ConflictPolicy = DEFAULT_CONFLICT_POLICY,
): Operation<SetDispositionPayload, SetDispositionEffectResult> {
  return {
    kind: SET_DISPOSITION_KIND,

    async effect(payload, ctx) {
      const { interactionId, intended } = payload;
      let etag = payload.baseEtag;
      let current = payload.baseDispositions;
      let patches = 0;
      let conflicts = 0;
      for (let attempt = 1; ; attempt++) {
        if (attempt > 1 && isApplied(current, intended)) {
          return { outcome: "confirmed", afterEtag: etag, dispositions: current, patches, conflicts };
        }
        const merged = mergeDisposition(current, intended);
        const mix = classMixProblem(codesOf(merged));
        if (mix) throw new DispositionRuleError("class-mix", mix);
        let lastError: unknown;
        try {
          patches += 1;
          const written = await port.replaceDispositions(interactionId, merged, etag, {
            idempotencyKey: patchKey(ctx.idempotencyKey, etag),
            signal: ctx.signal,
          });
          return {
            outcome: "updated",
            afterEtag: written.etag,
            dispositions: written.interaction.dispositions,
            patches,
            conflicts,
          };
        } catch (error) {
          if (error instanceof ConflictError) {
            conflicts += 1;
            metrics.conflict();
          } else if (
            error instanceof ServerError ||
            error instanceof NetworkError ||
            // The request's own deadline (http.deadlineMs), not the caller's: as unanswered.
            (error instanceof DeadlineExceededError && error.scope === "request")
          ) {
            // No answer we can trust: the PATCH may or may not have been applied. Re-read decides.
            metrics.apiError(error.status);
          } else {
            if (error instanceof CxoneError) metrics.apiError(error.status);
            throw error;
          }
          lastError = error;
        }
        if (attempt >= policy.maxAttempts) {
          // Out of attempts on an unanswered PATCH: its own error says best what went wrong.
          if (!(lastError instanceof ConflictError)) throw lastError;
          throw new ConflictRetriesExhaustedError(
            `interaction ${interactionId}: gave up after ${attempt} attempts (${conflicts} concurrent edits); nothing of ours was overwritten, run it again`,
            { status: 409, cause: lastError },
          );
        }
        await policy.sleep(
          fullJitterBackoff(attempt, policy.backoffBaseMs, policy.backoffCapMs, policy.random),
        );
        try {
          const fresh = await port.get(interactionId, ctx.signal);
          etag = fresh.etag;
          current = fresh.interaction.dispositions;
        } catch (error) {
          if (error instanceof CxoneError) metrics.apiError(error.status);
          throw error;
        }
      }
    },

    finish(settled, payload) {
      const before = { etag: payload.baseEtag, codes: codesOf(payload.baseDispositions) };
      if (!settled.ok) {
        return failureFinish(settled.error, { before, details: { code: payload.intended.code } });
      }
      const result = settled.value;
      const after = { etag: result.afterEtag, codes: codesOf(result.dispositions) };
      return {
        outcome: "done",
        status: 200,
        before,
        after,
        details: {
          code: payload.intended.code,
          agentId: payload.intended.agentId,
          outcome: result.outcome,
          patches: result.patches,
          conflicts: result.conflicts,
        },
        events: [
          {
            type: EVENT_TYPE,
            destination: INTERACTIONS_DESTINATION,
            orderKey: `interaction:${payload.interactionId}`,
            data: {
              interactionId: payload.interactionId,
              code: payload.intended.code,
              description: payload.intended.description,
              agentId: payload.intended.agentId,
              timestamp: payload.intended.timestamp,
              beforeEtag: payload.baseEtag,
              afterEtag: result.afterEtag,
              codes: after.codes,
            },
          },
        ],
      };
    },
  };
}
