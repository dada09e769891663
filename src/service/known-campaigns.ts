import type { Store } from "../core/store/index.ts";
import { importIfPresent } from "./optional-module.ts";

/**
 * Campaigns this toolkit has provisioned or touched, as the campaigns capability records them
 * (`listKnownCampaigns(store)` in src/campaigns). Loaded at run time: without that module the
 * service watches the configured campaigns and those webhooks report.
 */
const CANDIDATES = ["../campaigns/index.ts", "../campaigns/known-campaigns.ts"];

export async function knownCampaigns(store: Store): Promise<string[]> {
  for (const candidate of CANDIDATES) {
    const module = await importIfPresent<{ listKnownCampaigns?: (store: Store) => Promise<unknown[]> }>(
      candidate,
    );
    if (!module?.listKnownCampaigns) continue;
    const known = await module.listKnownCampaigns(store);
    return known
      .map((entry) => (typeof entry === "string" ? entry : (entry as { id?: unknown } | null)?.id))
      .filter((id): id is string => typeof id === "string" && id.length > 0);
  }
  return [];
}
