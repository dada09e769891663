import type { Diagnosis } from "../campaigns/diagnose/facts.ts";
import type { DiagnoseParams } from "../campaigns/diagnose/params.ts";
import type { ComplianceClient } from "../compliance/compliance-client.ts";
import { clockNowMs } from "../core/clock/now.ts";
import { named } from "../core/http/not-found.ts";
import type { Store } from "../core/store/index.ts";
import type { PacingDecision } from "../dialer/live-pacing/latest.ts";
/**
 * `campaigns.diagnose` (`cxo why`): the diagnosis of the campaign's dialing, with its pending
 * callbacks to revoked numbers and, first, a drift of its skill since a push.
 */
export async function diagnoseOfClient(
  client: ComplianceClient,
  store: () => Promise<Store>,
  params: DiagnoseParams,
  signal: AbortSignal | undefined,
): Promise<Diagnosis> {
  const [{ checkDiagnoseParams }, { diagnoseCampaign }, { PACING_LATEST }] = await Promise.all([
    import("../campaigns/diagnose/params.ts"),
    import("../campaigns/diagnose/gather.ts"),
    import("../dialer/live-pacing/latest.ts"),
  ]);
  const { campaignId, atMs } = checkDiagnoseParams(params, clockNowMs());
  client.port.support.checkId?.("campaign", campaignId, "campaignId");
  const pacing = (await (await store()).kv.get<PacingDecision>(PACING_LATEST, campaignId)) ?? null;
  const { planFedListIds } = await import("../core/store/pushed-lists.ts");
  const planFed = await planFedListIds(await store());
  const engine = await client.complianceEngine();
  const diagnosis = await named("campaign", campaignId, () =>
    diagnoseCampaign(client.port, engine, campaignId, atMs, pacing, signal, planFed),
  );
  const withCallbacks = await withCallbacksToRevoked(client, diagnosis, signal);
  const { skillDriftCause } = await import("../strategy/watch-skills.ts");
  const drift = await skillDriftCause(client, campaignId, signal);
  if (!drift) return withCallbacks;
  // First: CXone may be dialling what the plan did not count, whatever else holds records back.
  return {
    ...withCallbacks,
    causes: [drift, ...withCallbacks.causes],
    summary: `${drift.evidence}: ${drift.fix}`,
  };
}

/**
 * `cxo why`: the diagnosis with the skill's pending callbacks to revoked numbers. A read that
 * fails does not fail the diagnosis; it is said (`callbacksUnread`), never taken for "none".
 */
async function withCallbacksToRevoked(
  client: ComplianceClient,
  diagnosis: Diagnosis,
  signal?: AbortSignal,
): Promise<Diagnosis> {
  if (diagnosis.causes.some((c) => c.code === "cxone_unreachable")) return diagnosis;
  const { scheduledCallbacksOf } = await import("../compliance/revoked-callbacks-of-client.ts");
  try {
    const found = await scheduledCallbacksOf(client, [diagnosis.campaignId], signal);
    return found ? { ...diagnosis, callbacksToRevoked: found.toRevoked } : diagnosis;
  } catch (error) {
    signal?.throwIfAborted();
    return { ...diagnosis, callbacksUnread: error instanceof Error ? error.message : String(error) };
  }
}
