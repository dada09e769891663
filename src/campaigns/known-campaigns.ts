import type { CampaignCaps } from "../compliance/verdict.ts";
import type { CampaignVoice } from "../compliance/voice-rules.ts";
import type { Store } from "../core/store/index.ts";
import {
  type CampaignRecord,
  findKnownCampaign as findRecord,
  listKnownCampaigns as listRecords,
} from "../core/store/known-campaigns.ts";
import type { FailoverSpec, PacingSpec } from "./spec.ts";

export { campaignKindOf, KNOWN_CAMPAIGNS, rememberDeclaredKind } from "../core/store/known-campaigns.ts";

/**
 * A campaign this data dir created, as its spec gave it (the store's record:
 * src/core/store/known-campaigns.ts), so `status`, the watchdog and the dashboard can list them
 * without asking CXone, and a spec is never created twice.
 */
export interface KnownCampaign extends CampaignRecord {
  /** The spec's failover settings (the watchdog's defaults for this campaign as primary). */
  failover: FailoverSpec | null;
  /** The spec's live pacing block (absent in records written before it existed). */
  pacing?: PacingSpec | null;
  /** The spec's per-contact caps, which every plan for this campaign obeys (absent when none). */
  contactCaps?: CampaignCaps;
  /** The spec's voice and introduction (absent when the spec names no voice). */
  voice?: CampaignVoice;
}

export async function listKnownCampaigns(store: Pick<Store, "kv">): Promise<KnownCampaign[]> {
  return listRecords<KnownCampaign>(store);
}

export async function findKnownCampaign(
  store: Pick<Store, "kv">,
  campaignId: string,
): Promise<KnownCampaign | undefined> {
  return findRecord<KnownCampaign>(store, campaignId);
}

export async function findKnownBySpec(
  store: Pick<Store, "kv">,
  hash: string,
): Promise<KnownCampaign | undefined> {
  return (await listKnownCampaigns(store)).find((known) => known.specHash === hash);
}
