import type { Store } from "./index.ts";

/**
 * The store's record of the campaigns this data dir created (key-value namespace
 * `campaigns.known`), written in the same transaction as the create's journal row, audit record
 * and event (src/campaigns/create.ts), so `status`, the watchdog and the dashboard can list them
 * without asking CXone, and a spec is never created twice. Compliance (a campaign's declared
 * voice, the consent report's campaigns) and consent (an agent's "Do Not Call" by the campaign's
 * kind and marked codes) read it here, below every room that needs it; each field a room above
 * owns is typed by that room (src/campaigns/known-campaigns.ts's `KnownCampaign`).
 */
export const KNOWN_CAMPAIGNS = "campaigns.known";

/** The fields of a known campaign that no room above the store types. */
export interface CampaignRecord {
  id: string;
  name: string;
  createdAt: string;
  /** SHA-256 of the spec's canonical JSON (see src/campaigns/spec.ts). */
  specHash: string;
  contactListId: string;
  /** The spec's kind (sales | collections): `cxo strategy plan`'s default (absent in older records). */
  kind?: "sales" | "collections";
  /** The disposition codes the spec marks `dncRequest: true` (absent when none: the default words apply). */
  dncRequestCodes?: string[];
}

/** The known campaigns, oldest first; `T` is the record as the reader's room types it. */
export async function listKnownCampaigns<T extends CampaignRecord = CampaignRecord>(
  store: Pick<Store, "kv">,
): Promise<T[]> {
  const rows = await store.kv.list(KNOWN_CAMPAIGNS);
  return rows
    .map((row) => row.value as T)
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

export async function findKnownCampaign<T extends CampaignRecord = CampaignRecord>(
  store: Pick<Store, "kv">,
  campaignId: string,
): Promise<T | undefined> {
  return store.kv.get<T>(KNOWN_CAMPAIGNS, campaignId);
}

/**
 * The kind a plan or a push declared a campaign it did not create to be (its `kind`): a skill made
 * in CXone has no spec here, and what its agents' "Do Not Call" covers (`consent.agentDoNotCall`)
 * follows its kind. The latest declaration wins; a spec's kind wins over any.
 */
const DECLARED_KINDS = "campaigns.declared-kinds";

export async function rememberDeclaredKind(
  store: Pick<Store, "kv">,
  campaignId: string,
  kind: "sales" | "collections",
): Promise<void> {
  if ((await store.kv.get<string>(DECLARED_KINDS, campaignId)) !== kind)
    await store.kv.set(DECLARED_KINDS, campaignId, kind);
}

/** The campaign's kind: its spec's when this data dir created it, else the last declared; undefined: unknown. */
export async function campaignKindOf(
  store: Pick<Store, "kv">,
  campaignId: string,
): Promise<"sales" | "collections" | undefined> {
  const known = await findKnownCampaign(store, campaignId);
  if (known?.kind) return known.kind;
  const declared = await store.kv.get<string>(DECLARED_KINDS, campaignId);
  return declared === "sales" || declared === "collections" ? declared : undefined;
}
