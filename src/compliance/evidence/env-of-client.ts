import { clockNowMs } from "../../core/clock/now.ts";
import { sellerOf } from "../../core/config/seller.ts";
import type { ComplianceClient } from "../compliance-client.ts";
import type { EvidenceEnv, EvidenceFrom, EvidencePlatform } from "./make.ts";
/**
 * `compliance.evidence`'s surroundings wired to this client (issue 92 §1): its store, its DNC
 * registry copies, the seller and its registrations, `compliance.rnd.noData`, and, for the
 * campaign and list sources, the platform's completed contacts and a list's dials. A list on a
 * platform without calling lists (the seed API) is refused with NotSupportedError before anything
 * is sent.
 */
export async function evidenceEnvOf(
  client: ComplianceClient,
  from: EvidenceFrom,
  signal: AbortSignal | undefined,
): Promise<EvidenceEnv> {
  // A list's dials and a campaign's contacts are CXone's: a client without a connection refuses
  // them before anything is opened or written; a file is judged locally.
  if (("listId" in from || "campaignId" in from) && client.missingConnection) throw client.missingConnection;
  let platform: EvidencePlatform | undefined;
  if ("listId" in from) {
    const refusal = client.port.support.unsupported("lists.timed");
    const lists = client.port.lists;
    if (refusal || !lists) throw refusal ?? new TypeError("this platform's port has no calling lists");
    const { pushedLists } = await import("../../core/store/pushed-lists.ts");
    platform = {
      calls: () => {
        throw new TypeError("evidence: a list's attempts are its dials");
      },
      dials: (listId) => lists.attempts(listId, signal),
      pushedLists: async () => pushedLists(await client.store()),
      presentedCallerId: async (campaignId) =>
        (await client.port.diagnosis.skill(campaignId, signal)).callerId,
    };
  } else if ("campaignId" in from)
    platform = {
      calls: (campaignId, fromIso, toIso) =>
        client.port.outcomes.listCalls({ campaignId, from: fromIso, to: toIso }, signal),
      dials: async () => [],
      pushedLists: async () => [],
      presentedCallerId: async (campaignId) =>
        (await client.port.diagnosis.skill(campaignId, signal)).callerId,
    };
  return {
    engine: await client.complianceEngine(),
    store: await client.store(),
    registries: await client.dncRegistries(),
    seller: sellerOf(client.consent, client.tenant),
    registrations: client.registrations,
    rndNoData: client.rnd?.noData ?? "allow",
    skillVoices: client.skillVoices,
    platform,
    signal,
    nowMs: clockNowMs(),
  };
}
