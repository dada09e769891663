import { clockNowMs } from "../core/clock/now.ts";
import type { Operation } from "../core/store/index.ts";
import type { ClientContext } from "../platform/client-context.ts";
import type { CallbackSweep, RevokedCallbacks } from "./revoked-callbacks.ts";
/**
 * A client's side of consent on CXone's scheduled callbacks (revoked-callbacks.ts): where
 * the platform has them, `consent.cancelCallbacks()` (and `cxo consent honour`) deletes the pending
 * ones to revoked numbers; `consent.report()`, `campaigns.diagnose()` (`cxo why`, src/sdk/campaigns-diagnose.ts) and a
 * push read them. Undefined on a platform without scheduled callbacks (the seed API): nothing to do there.
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
  return cancelRevokedCallbacks(store, port, { actor: client.actor, nowMs: clockNowMs(), signal });
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
  const nowMs = clockNowMs();
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
