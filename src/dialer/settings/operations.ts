import { clockNowDate } from "../../core/clock/now.ts";
import { PreconditionFailedError } from "../../core/http/errors.ts";
import type { OutboxEventInput } from "../../core/outbox/events.ts";
import { failureFinish, type Operation } from "../../core/store/index.ts";
import { type WaiterResult, waitFor } from "../../core/waiter.ts";
import type {
  DialerPort,
  DialerScope,
  DialerSettings,
  DialerSettingsState,
  SettingsOperation,
  SettingsOperationStart,
} from "../../platform/ports/dialer.ts";
import { diffSettings, type FieldChange, settingsMatch } from "./diff.ts";
import { type HistoryOutcome, historyCheckpoint } from "./history.ts";
/**
 * Each step of the settings lifecycle as a journaled operation: the pending row before it, then
 * in ONE transaction the outcome, the audit record, the history row and any WFM event. Steps
 * that only read (snapshot, wait, verify) go through the journal too, so every step of an
 * apply or a rollback is in the audit log.
 */
export type Purpose = "apply" | "rollback";

export const KINDS = {
  snapshot: "dialer.settings.snapshot",
  put: "dialer.settings.put",
  activation: "dialer.settings.activation",
  verify: "dialer.settings.verify",
} as const;

const now = () => clockNowDate().toISOString();

// ── snapshot: read the current settings and remember them as a version we saw ──────────────

export interface SnapshotPayload {
  /** Why we read: before an apply, to find a fresh tag for a rollback, after a 412 … */
  reason: string;
  /** The campaign (skill) whose settings these are; absent: the tenant's. */
  scope?: DialerScope;
}

export function snapshotOperation(
  port: Pick<DialerPort, "getSettings">,
): Operation<SnapshotPayload, DialerSettingsState> {
  return {
    kind: KINDS.snapshot,
    effect: (payload, ctx) => port.getSettings(payload.scope ?? {}, ctx.signal),
    finish: (settled, payload) => {
      if (!settled.ok) return failureFinish(settled.error, { details: { reason: payload.reason } });
      const state = settled.value;
      return {
        outcome: "done",
        status: 200,
        after: {
          versionTag: state.versionTag,
          pendingOperationId: state.pendingOperationId,
          settings: state.settings,
        },
        details: { reason: payload.reason },
        checkpoints: [
          historyCheckpoint({
            versionTag: state.versionTag,
            settings: state.settings,
            source: "snapshot",
            at: now(),
            operationId: null,
            outcome: "seen",
            detail: payload.reason,
            ...campaignOf(payload.scope),
          }),
        ],
      };
    },
  };
}

// ── put: send the settings with If-Match ────────────────────────────────────────────────────

export interface PutPayload {
  purpose: Purpose;
  settings: DialerSettings;
  ifMatch: string;
  scope?: DialerScope;
}

/** The history row's campaign, when the settings are a campaign's (skill's). */
const campaignOf = (scope: DialerScope | undefined) =>
  scope?.campaignId ? { campaignId: scope.campaignId } : {};

/**
 * On a re-drive after a crash the PUT is NOT sent again: a settings change must not happen
 * later without its waiter, verification and rollback. The re-drive reads the settings and
 * records what it found.
 */
export function putOperation(
  port: Pick<DialerPort, "putSettings" | "getSettings">,
): Operation<PutPayload, SettingsOperationStart> {
  return {
    kind: KINDS.put,
    effect: async (payload, ctx) => {
      if (!ctx.redriven)
        return port.putSettings(payload.scope ?? {}, payload.settings, payload.ifMatch, ctx.signal);
      const state = await port.getSettings(payload.scope ?? {});
      throw new Error(
        `interrupted before CXone's answer was recorded; not re-sent (now: version ${state.versionTag}, ` +
          `${settingsMatch(payload.settings, state.settings) ? "equal to" : "different from"} the requested settings, ` +
          `pending operation ${state.pendingOperationId ?? "none"})`,
      );
    },
    finish: (settled, payload) => {
      const before = { versionTag: payload.ifMatch };
      if (!settled.ok) {
        const current =
          settled.error instanceof PreconditionFailedError
            ? ((settled.error.body as { currentVersionTag?: unknown } | undefined)?.currentVersionTag ?? null)
            : null;
        return failureFinish(settled.error, {
          before,
          details: { purpose: payload.purpose, settings: payload.settings, currentVersionTag: current },
        });
      }
      return {
        outcome: "done",
        status: 202,
        before,
        after: { operationId: settled.value.operationId, versionTag: settled.value.versionTag },
        details: { purpose: payload.purpose, settings: payload.settings },
      };
    },
  };
}

// ── activation: wait for the operation to finish ────────────────────────────────────────────

export interface ActivationPayload {
  purpose: Purpose;
  operationId: string;
  /** The tag the settings get if the operation completes. */
  versionTag: string | null;
  ifMatch: string;
  settings: DialerSettings;
  wait: { minDelayMs: number; maxDelayMs: number; maxWaitMs: number };
  /** False when waiting for an operation that is not ours (it is audited, not put in our history). */
  record?: boolean;
  scope?: DialerScope;
}

const isDone = (op: SettingsOperation) =>
  op.status === "COMPLETED" ? "success" : op.status === "FAILED" ? "failure" : "retry";

const WAIT_OUTCOME: Record<Exclude<WaiterResult<unknown>["state"], "success">, HistoryOutcome> = {
  failure: "failed",
  timeout: "timeout",
  aborted: "cancelled",
};

export function activationOperation(
  port: Pick<DialerPort, "getOperation">,
  options: { signal?: AbortSignal | undefined; onPoll?: (polls: number, elapsedMs: number) => void } = {},
): Operation<ActivationPayload, WaiterResult<SettingsOperation>> {
  return {
    kind: KINDS.activation,
    effect: (payload) =>
      waitFor((signal) => port.getOperation(payload.operationId, signal), isDone, {
        ...payload.wait,
        signal: options.signal,
        ...(options.onPoll ? { onPoll: options.onPoll } : {}),
      }),
    finish: (settled, payload) => {
      if (!settled.ok) return failureFinish(settled.error, { details: { operationId: payload.operationId } });
      const result = settled.value;
      const details = {
        purpose: payload.purpose,
        operationId: payload.operationId,
        state: result.state,
        polls: result.polls,
        waitedMs: Math.round(result.elapsedMs),
        operationStatus: result.last?.status ?? null,
        errorDetails: result.last?.errorDetails ?? null,
      };
      if (result.state === "success") return { outcome: "done", status: 200, details };
      if (payload.record === false) return { outcome: "failed", status: 200, details };
      // The version that never took effect is kept, so history shows what was tried and why it failed.
      return {
        outcome: "failed",
        status: 200,
        details,
        checkpoints: [
          historyCheckpoint({
            versionTag: payload.versionTag ?? `(not activated: ${payload.operationId})`,
            settings: payload.settings,
            source: payload.purpose === "apply" ? "applied" : "rollback",
            at: now(),
            operationId: payload.operationId,
            outcome: WAIT_OUTCOME[result.state],
            ifMatch: payload.ifMatch,
            detail: result.last?.errorDetails?.message ?? null,
            ...campaignOf(payload.scope),
          }),
        ],
      };
    },
  };
}

// ── verify: read back and compare with what was asked ───────────────────────────────────────

export interface VerifyPayload {
  purpose: Purpose;
  operationId: string;
  ifMatch: string;
  expected: DialerSettings;
  /** The version replaced (the snapshot's for an apply; the failed one's for a rollback). */
  previousVersionTag: string;
  scope?: DialerScope;
}

export interface Verified {
  state: DialerSettingsState;
  matches: boolean;
  differences: FieldChange[];
}

export function verifyOperation(port: Pick<DialerPort, "getSettings">): Operation<VerifyPayload, Verified> {
  return {
    kind: KINDS.verify,
    effect: async (payload, ctx) => {
      const state = await port.getSettings(payload.scope ?? {}, ctx.signal);
      const differences = diffSettings(payload.expected, state.settings).filter((c) => c.from !== null);
      return { state, matches: differences.length === 0, differences };
    },
    finish: (settled, payload) => {
      if (!settled.ok) return failureFinish(settled.error, { details: { operationId: payload.operationId } });
      const { state, matches, differences } = settled.value;
      const at = now();
      const row = historyCheckpoint({
        versionTag: state.versionTag,
        settings: state.settings,
        source: payload.purpose === "apply" ? "applied" : "rollback",
        at,
        operationId: payload.operationId,
        outcome: matches ? "verified" : "mismatch",
        ifMatch: payload.ifMatch,
        ...campaignOf(payload.scope),
      });
      const events: OutboxEventInput[] = matches
        ? [
            {
              type: payload.purpose === "apply" ? "dialer.settings.applied" : "dialer.settings.rolled_back",
              destination: "wfm",
              orderKey: "dialer.settings",
              data: {
                versionTag: state.versionTag,
                previousVersionTag: payload.previousVersionTag,
                operationId: payload.operationId,
                settings: state.settings,
                at,
              },
            },
          ]
        : [];
      return {
        outcome: matches ? "done" : "failed",
        status: 200,
        before: { versionTag: payload.previousVersionTag },
        after: { versionTag: state.versionTag, settings: state.settings },
        details: { purpose: payload.purpose, operationId: payload.operationId, matches, differences },
        checkpoints: [row],
        events,
      };
    },
  };
}

/**
 * Every journaled kind of the settings lifecycle, for `journal.redrivePending`: the SDK's dialer
 * group re-drives them before its first call, `cxo serve`'s leader before its first pacing round,
 * so a row a killed process left `pending` is finished (a PUT is never re-sent: its re-drive
 * reads the settings and records what it found).
 */
export function settingsOperations(port: Pick<DialerPort, "getSettings" | "putSettings" | "getOperation">) {
  return [snapshotOperation(port), putOperation(port), activationOperation(port), verifyOperation(port)];
}
