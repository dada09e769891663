import { ConflictError, PreconditionFailedError } from "../../core/http/errors.ts";
import type {
  DialerSettings,
  DialerSettingsState,
  SettingsOperationStart,
} from "../../platform/ports/dialer.ts";
import { diffSettings, type FieldChange, settingsMatch, withoutFields } from "./diff.ts";
import { type LifecycleDeps, put, seconds, snapshot, verify, waitForOperation } from "./lifecycle.ts";
import { settingsLifecycleMetrics } from "./metrics.ts";
import { type RestoreResult, restoreSettings } from "./restore.ts";

/**
 * `cxo dialer apply`, after validation: snapshot the current settings, PUT the new ones with
 * `If-Match: <snapshot's tag>`, wait for the operation, read back and verify. A 412 means the
 * settings changed under us: report what changed and stop (nothing overwritten). A FAILED or
 * timed-out operation is rolled back to the snapshot (restore.ts). Every step is journaled.
 */
export type ApplyOutcome =
  | "applied"
  | "unchanged"
  | "conflict"
  | "busy"
  | "rolled_back"
  | "rollback_failed"
  | "cancelled"
  | "mismatch";

export interface ApplyResult {
  outcome: ApplyOutcome;
  ok: boolean;
  message: string;
  snapshotVersionTag: string;
  /** The version now current, as far as we know. */
  versionTag: string | null;
  operationId: string | null;
  operationStatus: string | null;
  errorDetails: { code: string; message: string } | null;
  /** What the apply changes (snapshot → requested), or what changed under us on a 412. */
  changes: FieldChange[];
  conflict?: { currentVersionTag: string; changedUnderneath: FieldChange[] };
  rollback?: RestoreResult;
  /** Fields of the file the platform has no setting for: not sent, not verified. */
  notStored: string[];
}

export async function applySettings(deps: LifecycleDeps, requested: DialerSettings): Promise<ApplyResult> {
  const { settings, dropped } = withoutFields(requested, deps.port.unsupportedFields);
  if (dropped.length > 0)
    deps.note?.(`not stored on this platform (no such setting), so not sent: ${dropped.join(", ")}`);
  const result = { ...(await apply(deps, settings)), notStored: dropped };
  settingsLifecycleMetrics.applies.inc({ outcome: result.outcome });
  return result;
}

/** What every result of one apply carries, whatever its outcome. */
type ApplyBase = Pick<
  ApplyResult,
  "snapshotVersionTag" | "changes" | "operationId" | "operationStatus" | "errorDetails"
>;
type Applied = Omit<ApplyResult, "notStored">;

async function apply(deps: LifecycleDeps, settings: DialerSettings): Promise<Applied> {
  const before = await snapshot(deps, "before apply");
  const base: ApplyBase = {
    snapshotVersionTag: before.versionTag,
    changes: diffSettings(before.settings, settings).filter((c) => c.to !== null),
    operationId: null,
    operationStatus: null,
    errorDetails: null,
  };
  const notSent = nothingToSend(before, settings, base);
  if (notSent) return notSent;
  const sent = await putOrRefused(deps, settings, before, base);
  if ("outcome" in sent) return sent;
  const { started } = sent;

  deps.note?.(
    `operation ${started.operationId} started; waiting for it (up to ${seconds(deps.wait.maxWaitMs)})`,
  );
  const waited = await waitForOperation(deps, "apply", started, before.versionTag, settings);
  const done: ApplyBase = {
    ...base,
    operationId: started.operationId,
    operationStatus: waited.last?.status ?? null,
    errorDetails: waited.last?.errorDetails ?? null,
  };
  if (waited.state === "success") return verified(deps, settings, before, started, done);
  if (waited.state === "aborted") {
    return {
      ...done,
      outcome: "cancelled",
      ok: false,
      versionTag: null,
      message: `stopped waiting (cancelled); operation ${started.operationId} may still complete on CXone — check with \`cxo dialer history\` and \`cxo dialer rollback\``,
    };
  }
  const why =
    waited.state === "failure"
      ? `operation ${started.operationId} FAILED (${waited.last?.errorDetails?.code ?? "?"}: ${waited.last?.errorDetails?.message ?? "no details"})`
      : `operation ${started.operationId} did not finish within ${seconds(deps.wait.maxWaitMs)}`;
  return rolledBack(deps, settings, before, why, done);
}

/** Another operation in progress, or the settings already in force: nothing is sent. */
function nothingToSend(
  before: DialerSettingsState,
  settings: DialerSettings,
  base: ApplyBase,
): Applied | null {
  if (before.pendingOperationId) {
    return {
      ...base,
      outcome: "busy",
      ok: false,
      versionTag: before.versionTag,
      message: `another settings operation (${before.pendingOperationId}) is in progress; nothing sent — try again when it has finished`,
    };
  }
  if (settingsMatch(settings, before.settings)) {
    return {
      ...base,
      outcome: "unchanged",
      ok: true,
      versionTag: before.versionTag,
      message: `version ${before.versionTag} already has these settings; nothing sent`,
    };
  }
  return null;
}

/**
 * The PUT, with `If-Match` on the snapshot's tag. A 412 (changed under us) and a 409 (another
 * operation started meanwhile) are outcomes, with nothing overwritten; anything else is thrown.
 */
async function putOrRefused(
  deps: LifecycleDeps,
  settings: DialerSettings,
  before: DialerSettingsState,
  base: ApplyBase,
): Promise<{ started: SettingsOperationStart } | Applied> {
  try {
    return { started: await put(deps, "apply", settings, before.versionTag) };
  } catch (error) {
    if (error instanceof PreconditionFailedError && error.status === 412) {
      const current = await snapshot(deps, "after 412: what changed underneath");
      const changedUnderneath = diffSettings(before.settings, current.settings);
      return {
        ...base,
        outcome: "conflict",
        ok: false,
        versionTag: current.versionTag,
        conflict: { currentVersionTag: current.versionTag, changedUnderneath },
        message: `the settings changed since version ${before.versionTag} was read (now ${current.versionTag}); nothing overwritten — review the changes and apply again`,
      };
    }
    if (error instanceof ConflictError) {
      return {
        ...base,
        outcome: "busy",
        ok: false,
        versionTag: before.versionTag,
        message:
          "another settings operation started meanwhile (409); nothing overwritten — try again when it has finished",
      };
    }
    throw error;
  }
}

/** The operation succeeded: the settings read back must be the ones sent (else: not rolled back). */
async function verified(
  deps: LifecycleDeps,
  settings: DialerSettings,
  before: DialerSettingsState,
  started: SettingsOperationStart,
  done: ApplyBase,
): Promise<Applied> {
  const checked = await verify(
    deps,
    "apply",
    started.operationId,
    before.versionTag,
    settings,
    before.versionTag,
  );
  if (checked.matches) {
    return {
      ...done,
      outcome: "applied",
      ok: true,
      versionTag: checked.state.versionTag,
      message: `applied: version ${before.versionTag} → ${checked.state.versionTag} (operation ${started.operationId}, verified)`,
    };
  }
  return {
    ...done,
    outcome: "mismatch",
    ok: false,
    versionTag: checked.state.versionTag,
    changes: checked.differences,
    message: `operation ${started.operationId} completed but the settings read back differ from the ones sent (changed again by someone?); not rolled back`,
  };
}

/** The operation failed or timed out: back to the snapshot (restore.ts), and how that went. */
async function rolledBack(
  deps: LifecycleDeps,
  settings: DialerSettings,
  before: DialerSettingsState,
  why: string,
  done: ApplyBase,
): Promise<Applied> {
  deps.note?.(`${why}; rolling back to version ${before.versionTag}`);
  const rollback = await restoreSettings(deps, {
    target: before.settings,
    targetVersionTag: before.versionTag,
    trigger: "automatic",
    allowedCurrent: [settings],
  });
  const restored = rollback.outcome === "restored";
  return {
    ...done,
    outcome: restored ? "rolled_back" : "rollback_failed",
    ok: false,
    versionTag: rollback.outcome === "failed" ? null : rollback.versionTag,
    rollback,
    message: restored
      ? `${why}; rolled back to the snapshot of ${before.versionTag} (now version ${rollback.versionTag}, verified)`
      : `${why}; ROLLBACK ${rollback.outcome.toUpperCase()}: ${"reason" in rollback ? rollback.reason : ""} — check the settings now (\`cxo dialer history\`, \`cxo dialer diff\`)`,
  };
}
