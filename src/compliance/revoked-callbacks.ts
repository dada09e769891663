import type { Operation, Store } from "../core/store/index.ts";
import type { ScheduledCallback, ScheduledCallbacksPort } from "../platform/ports/scheduled-callbacks.ts";
import { dncListFor } from "./blocked-numbers.ts";

/**
 * Revocations reach CXone's scheduled callbacks: a callback is a call CXone places at its time
 * whatever cxo's lists and checks say (an agent made it by rescheduling a call, or a tool by
 * `POST scheduled-callbacks`), so a pending callback to a number that revoked consent — before or
 * after the callback was made — is found and deleted. Whether CXone scrubs callbacks against DNC
 * groups is not public (docs/platforms.md), so the DNC group alone is not relied on.
 *
 * Found: every pending callback of the tenant (every outbound voice skill's; or one skill's for
 * `cxo why` and a push), each asked of the same lookup the checks use (consent ledger: the number,
 * its accounts, the revocation's scope against the callback's skill, received before the call).
 * Deleted: one journaled operation per callback (pending row, DELETE, done or failed with its
 * audit record), so every deletion — and every failure — is in the audit chain. A failure leaves
 * the callback pending in CXone; the next run (`consent honour`, the service's consent watcher)
 * finds it again and tries again, and until then it is said loudly (exit 1, the board).
 */
export interface RevokedCallback extends ScheduledCallback {
  /** What the ledger holds against it, in one sentence (date, channel, scope). */
  revocation: string;
}

export interface RevokedCallbacks {
  /** The skills whose callbacks were read. */
  skills: string[];
  /** Pending callbacks read. */
  pending: number;
  /** Those to numbers that revoked consent within the callback's skill. */
  toRevoked: RevokedCallback[];
}

export interface CallbackSweep extends RevokedCallbacks {
  /** Deleted by this run ("gone": CXone no longer held it when asked). */
  cancelled: Array<RevokedCallback & { result: "deleted" | "gone" }>;
  /** Still pending in CXone: the deletion failed (CXone's words); tried again next run. */
  failed: Array<RevokedCallback & { error: string }>;
  checkedAt: string;
}

/**
 * The service's last sweep, for the board (`GET /api/consent`): kept under this key of the store's
 * kv, as `SweepRecord`.
 */
export const LAST_SWEEP = { namespace: "consent.scheduled-callbacks", key: "last-sweep" } as const;

export interface SweepRecord {
  checkedAt: string;
  pending: number;
  toRevoked: number;
  cancelled: number;
  failed: Array<{
    callbackId: string;
    phone: string;
    skillId: string | null;
    callbackAt: string | null;
    error: string;
  }>;
  /** The callbacks could not be read at all (CXone's words). */
  unread?: string;
}

export function sweepRecordOf(sweep: CallbackSweep): SweepRecord {
  return {
    checkedAt: sweep.checkedAt,
    pending: sweep.pending,
    toRevoked: sweep.toRevoked.length,
    cancelled: sweep.cancelled.length,
    failed: sweep.failed.map((f) => ({
      callbackId: f.callbackId,
      phone: f.phone,
      skillId: f.skillId ?? null,
      callbackAt: f.callbackAt ?? null,
      error: f.error,
    })),
  };
}

/** The journal's operation kind (and the audit record's `operation`) of one deletion. */
export const CANCEL_CALLBACK = "consent.scheduled-callback.cancel";

type CancelPayload = Omit<RevokedCallback, "firstName" | "lastName" | "notes">;

/** One deletion, as the journal runs (and re-drives) it. */
export function cancelCallbackOperation(
  port: ScheduledCallbacksPort,
): Operation<CancelPayload, "deleted" | "gone"> {
  return {
    kind: CANCEL_CALLBACK,
    effect: (payload, ctx) =>
      port.cancel(payload.callbackId, `consent revoked: ${payload.revocation}`, ctx.signal),
    finish: (settled, payload) =>
      settled.ok
        ? { outcome: "done", status: 200, details: { ...payload, result: settled.value } }
        : { outcome: "failed", details: { ...payload, error: messageOf(settled.error) } },
  };
}

/** The pending callbacks (the tenant's, or `skillId`'s) to numbers that revoked consent. */
export async function revokedCallbacks(
  store: Store,
  port: ScheduledCallbacksPort,
  options: { nowMs: number; skillId?: string | undefined; signal?: AbortSignal | undefined },
): Promise<RevokedCallbacks> {
  const read =
    options.skillId === undefined
      ? await port.pending(options.signal)
      : {
          skills: [options.skillId],
          callbacks: (await port.forSkill(options.skillId, options.signal)).map((c) => ({
            ...c,
            skillId: c.skillId ?? options.skillId,
          })),
        };
  const { callbacks } = read;
  const lookup = await dncListFor(
    store,
    callbacks.map((c) => c.phone),
  );
  const toRevoked: RevokedCallback[] = [];
  for (const callback of callbacks) {
    // At its time (a revocation covers every call after it), and never judged before now.
    const at = Math.max(options.nowMs, Date.parse(callback.callbackAt ?? "") || 0);
    const revoked = lookup
      .suppressions?.(callback.phone, callback.skillId, at)
      .find((s) => s.code === "consent_revoked");
    if (revoked) toRevoked.push({ ...callback, revocation: revoked.message });
  }
  return { skills: read.skills, pending: callbacks.length, toRevoked };
}

/** Finds and deletes every pending callback to a revoked number (see the module's comment). */
export async function cancelRevokedCallbacks(
  store: Store,
  port: ScheduledCallbacksPort,
  options: { actor: string | null; nowMs: number; signal?: AbortSignal | undefined },
): Promise<CallbackSweep> {
  const found = await revokedCallbacks(store, port, options);
  const sweep: CallbackSweep = {
    ...found,
    cancelled: [],
    failed: [],
    checkedAt: new Date(options.nowMs).toISOString(),
  };
  const operation = cancelCallbackOperation(port);
  for (const callback of found.toRevoked) {
    options.signal?.throwIfAborted();
    const { firstName: _f, lastName: _l, notes: _n, ...payload } = callback;
    try {
      const result = await store.journal.run(operation, {
        target: `scheduled-callback:${callback.callbackId}`,
        payload,
        actor: options.actor ?? undefined,
        signal: options.signal,
      });
      sweep.cancelled.push({ ...callback, result });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      sweep.failed.push({ ...callback, error: messageOf(error) });
    }
  }
  return sweep;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
