import { listKnownCampaigns } from "../campaigns/index.ts";
import { isId } from "../core/ids.ts";
import type { Store } from "../core/store/index.ts";

/**
 * The campaigns the dashboard shows without configuration: those this data dir created
 * (`cxo campaigns create`) and those it has worked with lately — paused, resumed, tagged calls
 * of, exported — read from the latest audit records. So `cxo serve` on the data dir a user has
 * been working in is not an empty board. (The seed API has no tenant-wide campaign listing.)
 */
const RECENT_AUDIT_RECORDS = 2000;

export async function knownCampaigns(store: Store): Promise<string[]> {
  const ids = new Set((await listKnownCampaigns(store)).map((campaign) => campaign.id));
  for (const record of await store.audit.tail(RECENT_AUDIT_RECORDS)) {
    const fromDetails = (record.details as { campaignId?: unknown } | null)?.campaignId;
    const id =
      typeof fromDetails === "string"
        ? fromDetails
        : /^(campaigns|outcomes)\./.test(record.operation)
          ? record.target
          : null;
    if (isId(id)) ids.add(id);
  }
  return [...ids];
}
