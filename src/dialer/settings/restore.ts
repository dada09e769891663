import { ConflictError, PreconditionFailedError } from "../../core/http/errors.ts";
import type { DialerSettings } from "../../platform/ports/dialer.ts";
import { diffSettings, type FieldChange, settingsMatch } from "./diff.ts";
import {
  type LifecycleDeps,
  put,
  rollbackWaitMs,
  seconds,
  snapshot,
  verify,
  waitForOperation,
} from "./lifecycle.ts";
import { settingsLifecycleMetrics } from "./metrics.ts";

/**
 * Puts earlier settings back: read the CURRENT version tag (never reuse the one read before the
 * failed change — that is the seed's bug: after a completed or partly applied change it is
 * stale), PUT the earlier settings with it, wait for the operation, then read the settings back
 * and check they equal the earlier ones.
 *
 * `allowedCurrent` guards an automatic rollback: it only overwrites settings that are the
 * snapshot or the change we made ourselves. If someone else changed them meanwhile, their
 * change is kept and reported, not overwritten.
 */
export interface RestoreRequest {
  target: DialerSettings;
  /** Version tag the target settings had (for the record and the WFM event). */
  targetVersionTag: string;
  trigger: "automatic" | "requested";
  allowedCurrent?: DialerSettings[] | undefined;
  /** Attempts when the tag goes stale between our read and our PUT. */
  maxAttempts?: number;
}

export type RestoreResult =
  | {
      outcome: "restored";
      versionTag: string;
      operationId: string;
      /** The fresh tag the PUT carried. */
      ifMatch: string;
      attempts: number;
    }
  | { outcome: "unchanged"; versionTag: string }
  | { outcome: "refused"; versionTag: string; differences: FieldChange[]; reason: string }
  | {
      outcome: "failed";
      reason: string;
      operationId?: string | undefined;
      ifMatch?: string | undefined;
      differences?: FieldChange[] | undefined;
    };

export async function restoreSettings(deps: LifecycleDeps, request: RestoreRequest): Promise<RestoreResult> {
  const result = await restore(deps, request);
  settingsLifecycleMetrics.rollbacks.inc({ trigger: request.trigger, outcome: result.outcome });
  return result;
}

async function restore(deps: LifecycleDeps, request: RestoreRequest): Promise<RestoreResult> {
  const maxAttempts = request.maxAttempts ?? 3;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let fresh = await snapshot(deps, `${request.trigger} rollback: fresh version tag`);
    if (fresh.pendingOperationId) {
      // Our timed-out change (or someone's) is still running; a PUT now would be refused (409).
      // Rollback is not cancelled by the signal that stopped the apply: it must finish.
      deps.note?.(`waiting for operation ${fresh.pendingOperationId} to finish before rolling back`);
      const pending = await waitForOperation(
        deps,
        "rollback",
        { operationId: fresh.pendingOperationId, versionTag: null },
        fresh.versionTag,
        request.target,
        undefined,
        false,
      );
      if (pending.state === "timeout" || pending.state === "aborted")
        return {
          outcome: "failed",
          reason: `operation ${fresh.pendingOperationId} was still running after ${seconds(rollbackWaitMs(deps))}; nothing rolled back`,
        };
      fresh = await snapshot(
        deps,
        `${request.trigger} rollback: fresh version tag after the pending operation`,
      );
      if (fresh.pendingOperationId) continue;
    }
    // Asked for by a person and already there: nothing to send. (An automatic rollback PUTs
    // anyway: a FAILED activation may have half-applied on the dialer, and re-asserting the
    // snapshot, then reading it back, is how we know it is whole.)
    if (request.trigger === "requested" && settingsMatch(request.target, fresh.settings))
      return { outcome: "unchanged", versionTag: fresh.versionTag };
    if (request.allowedCurrent && request.trigger === "automatic") {
      const ours = [request.target, ...request.allowedCurrent].some((s) => settingsMatch(s, fresh.settings));
      if (!ours) {
        return {
          outcome: "refused",
          versionTag: fresh.versionTag,
          differences: diffSettings(request.target, fresh.settings),
          reason: `the settings were changed by someone else (version ${fresh.versionTag}); not overwritten`,
        };
      }
    }
    let started: Awaited<ReturnType<typeof put>>;
    try {
      started = await put(deps, "rollback", request.target, fresh.versionTag);
    } catch (error) {
      // Changed again between our read and our PUT: read again (and re-check the guard).
      if (error instanceof PreconditionFailedError || error instanceof ConflictError) continue;
      throw error;
    }
    const waited = await waitForOperation(
      deps,
      "rollback",
      started,
      fresh.versionTag,
      request.target,
      undefined,
    );
    if (waited.state !== "success") {
      return {
        outcome: "failed",
        reason:
          waited.state === "failure"
            ? `the rollback operation failed: ${waited.last?.errorDetails?.message ?? "no details"}`
            : `the rollback operation did not finish within ${seconds(rollbackWaitMs(deps))}`,
        operationId: started.operationId,
        ifMatch: fresh.versionTag,
      };
    }
    const checked = await verify(
      deps,
      "rollback",
      started.operationId,
      fresh.versionTag,
      request.target,
      fresh.versionTag,
    );
    if (!checked.matches) {
      return {
        outcome: "failed",
        reason: "the rollback completed but the settings read back differ from the snapshot",
        operationId: started.operationId,
        ifMatch: fresh.versionTag,
        differences: checked.differences,
      };
    }
    return {
      outcome: "restored",
      versionTag: checked.state.versionTag,
      operationId: started.operationId,
      ifMatch: fresh.versionTag,
      attempts: attempt,
    };
  }
  return { outcome: "failed", reason: `the settings kept changing under us (${maxAttempts} attempts)` };
}
