import type { CampaignCaps } from "../compliance/verdict.ts";
import type { CampaignVoice } from "../compliance/voice-rules.ts";
import type { Store } from "../core/store/index.ts";
import type { FailoverSpec, PacingSpec } from "./spec.ts";

/**
 * The campaigns this data dir created, kept in the store's key-value table (written in the same
 * transaction as the create's journal row, audit record and event), so `status`, the watchdog
 * and the dashboard can list them without asking CXone, and a spec is never created twice.
 */
export const KNOWN_CAMPAIGNS = "campaigns.known";

export interface KnownCampaign {
  id: string;
  name: string;
  createdAt: string;
  /** SHA-256 of the spec's canonical JSON (see spec.ts). */
  specHash: string;
  contactListId: string;
  /** The spec's failover settings (the watchdog's defaults for this campaign as primary). */
  failover: FailoverSpec | null;
  /** The spec's live pacing block (absent in records written before it existed). */
  pacing?: PacingSpec | null;
  /** The spec's kind (sales | collections): `cxo strategy plan`'s default (absent in older records). */
  kind?: "sales" | "collections";
  /** The spec's per-contact caps, which every plan for this campaign obeys (absent when none). */
  contactCaps?: CampaignCaps;
  /** The spec's voice and introduction (absent when the spec names no voice). */
  voice?: CampaignVoice;
  /** The disposition codes the spec marks `dncRequest: true` (absent when none: the default words apply). */
  dncRequestCodes?: string[];
}

export async function listKnownCampaigns(store: Pick<Store, "kv">): Promise<KnownCampaign[]> {
  const rows = await store.kv.list(KNOWN_CAMPAIGNS);
  return rows
    .map((row) => row.value as KnownCampaign)
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

export async function findKnownCampaign(
  store: Pick<Store, "kv">,
  campaignId: string,
): Promise<KnownCampaign | undefined> {
  return store.kv.get<KnownCampaign>(KNOWN_CAMPAIGNS, campaignId);
}

export async function findKnownBySpec(
  store: Pick<Store, "kv">,
  hash: string,
): Promise<KnownCampaign | undefined> {
  return (await listKnownCampaigns(store)).find((known) => known.specHash === hash);
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
