import { listKnownCampaigns } from "../campaigns/index.ts";
import type { Store } from "../core/store/index.ts";

/** Campaigns this data dir created (`cxo campaigns create`): the dashboard watches them too. */
export async function knownCampaigns(store: Store): Promise<string[]> {
  return (await listKnownCampaigns(store)).map((campaign) => campaign.id);
}
