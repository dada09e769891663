import type { Operation } from "../../core/store/index.ts";
import type { ClientContext } from "../../platform/client-context.ts";
import type { MadeDial } from "../../strategy/push-reach.ts";
import type { Diagnosis } from "../diagnose/facts.ts";
import type { CallbackSweep, RevokedCallbacks } from "./revoked-callbacks.ts";

/**
 * A client's side of consent on CXone's scheduled callbacks (revoked-callbacks.ts): where
 * the platform has them, `consent.cancelCallbacks()` (and `cxo consent honour`) deletes the pending
 * ones to revoked numbers; `consent.report()`, `campaigns.diagnose()` (`cxo why`) and a push read
 * them. Undefined on a platform without scheduled callbacks (the seed API): nothing to do there.
 */
export async function sweepRevokedCallbacks(
  client: ClientContext,
  signal?: AbortSignal,
): Promise<CallbackSweep | undefined> {
  const port = client.port.scheduledCallbacks;
  if (!port || client.port.support.unsupported("scheduledCallbacks")) return undefined;
  const { cancelCallbackOperation, cancelRevokedCallbacks } = await import("./revoked-callbacks.ts");
  // A deletion a killed run left pending is re-driven first (a DELETE again: idempotent).
  const store = await client.storeFor("consent.callbacks", [
    cancelCallbackOperation(port) as Operation<never, unknown>,
  ]);
  return cancelRevokedCallbacks(store, port, { actor: client.actor, nowMs: Date.now(), signal });
}

/**
 * The pending callbacks to revoked numbers: the tenant's (every outbound voice skill's), or those
 * of the skills named. Read-only.
 */
export async function scheduledCallbacksOf(
  client: ClientContext,
  skills: readonly string[] | undefined,
  signal?: AbortSignal,
): Promise<RevokedCallbacks | undefined> {
  const port = client.port.scheduledCallbacks;
  if (!port || client.port.support.unsupported("scheduledCallbacks")) return undefined;
  const { revokedCallbacks } = await import("./revoked-callbacks.ts");
  const store = await client.store();
  const nowMs = Date.now();
  if (skills === undefined) return revokedCallbacks(store, port, { nowMs, signal });
  const merged: RevokedCallbacks = { skills: [], pending: 0, toRevoked: [] };
  for (const skillId of new Set(skills)) {
    const one = await revokedCallbacks(store, port, { nowMs, skillId, signal });
    merged.skills.push(...one.skills);
    merged.pending += one.pending;
    merged.toRevoked.push(...one.toRevoked);
  }
  return merged;
}

/**
 * `cxo why`: the diagnosis with the skill's pending callbacks to revoked numbers. A read that
 * fails does not fail the diagnosis; it is said (`callbacksUnread`), never taken for "none".
 */
export async function withCallbacksToRevoked(
  client: ClientContext,
  diagnosis: Diagnosis,
  signal?: AbortSignal,
): Promise<Diagnosis> {
  if (diagnosis.causes.some((c) => c.code === "cxone_unreachable")) return diagnosis;
  try {
    const found = await scheduledCallbacksOf(client, [diagnosis.campaignId], signal);
    return found ? { ...diagnosis, callbacksToRevoked: found.toRevoked } : diagnosis;
  } catch (error) {
    signal?.throwIfAborted();
    return { ...diagnosis, callbacksUnread: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The pending callbacks on a skill as dials a push counts with the attempts made: each is a call
 * CXone places at its time to its number, so a cap (a state's 3 in 24 hours) counts it — and,
 * CXone's callback naming no debt, it is counted against every account its number was read for
 * (`accountsOf`: the store's account map, consent/accounts.ts), so a pending callback to one number
 * of a debt counts toward the debt's cap (Regulation F's 7 in 7 days) when another is pushed.
 */
export async function callbackDials(
  client: ClientContext,
  skillId: string,
  signal?: AbortSignal,
  accountsOf?: (phones: readonly string[]) => Promise<ReadonlyMap<string, readonly string[]>>,
): Promise<MadeDial[]> {
  const port = client.port.scheduledCallbacks;
  if (!port || client.port.support.unsupported("scheduledCallbacks")) return [];
  const pending = (await port.forSkill(skillId, signal)).filter(
    (c) => !Number.isNaN(Date.parse(c.callbackAt ?? "")),
  );
  const accounts =
    accountsOf && pending.length > 0 ? await accountsOf(pending.map((c) => c.phone)) : undefined;
  return pending.map((c) => ({
    phone: c.phone,
    atMs: Date.parse(c.callbackAt ?? ""),
    accounts: accounts?.get(c.phone) ?? [],
    campaignId: skillId,
    channel: "callback" as const,
    conversation: false,
  }));
}
