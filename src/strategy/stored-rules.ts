import { loadDncList } from "../campaigns/compliance/blocked-numbers.ts";
import type { DncList } from "../campaigns/compliance/dnc.ts";
import { storedDncNumbers } from "../campaigns/compliance/dnc.ts";
import { ATTEMPT_LOOKBACK_MS, type CampaignCaps, type DncRegistries } from "../campaigns/compliance/index.ts";
import type { Registrations } from "../campaigns/compliance/touches.ts";
import { touchesInWindow } from "../campaigns/compliance/touches-store.ts";
import { findKnownCampaign } from "../campaigns/known-campaigns.ts";
import type { Store } from "../core/store/index.ts";
import type { CollectionsOrSales, HistoryAttempt, PlanOptions } from "./types.ts";

/**
 * What the data dir knows that every plan must obey besides the list and the model: the stored
 * internal DNC list (`cxo compliance dnc add`), the imported registry copies (`cxo compliance dnc
 * import`) and, for a campaign this data dir created, its spec's `kind` and per-contact caps.
 * A plan that skipped them would schedule a number the compliance check refuses; every plan
 * (the SDK's and the CLI's) reads them through the SDK's one path (sdk/strategy-plan.ts). What the
 * caller gave wins for kind and caps; a given DNC set is joined with the stored one, never
 * instead of it.
 */
export interface StoredRules {
  dnc: ReadonlySet<string>;
  /** The consent ledger and the synced CXone DNC groups (issue 62). */
  blocked: DncList;
  registries: DncRegistries;
  kind: CollectionsOrSales | undefined;
  campaignCaps: CampaignCaps | undefined;
  /** The campaign's name, when this data dir created it (a report's title; nothing asked of CXone). */
  campaignName: string | undefined;
  /** Issue 79: touches imported into the store (`cxo touches import`) in the plan's window. */
  touches: HistoryAttempt[];
  /** The seller (per-seller caps) and its state registrations, from the settings. */
  seller: string | undefined;
  registrations: Registrations | undefined;
}

/** The settings' side of the stored rules, and the plan's window for the imported touches. */
export interface SellerFacts {
  seller?: string | undefined;
  registrations?: Registrations | undefined;
  /** The horizon (epoch ms): touches from the longest cap window before it to its end are read. */
  window?: { fromMs: number; toMs: number } | undefined;
}

export async function storedRulesFor(
  store: Store,
  registries: DncRegistries,
  campaignId: string,
  facts: SellerFacts = {},
): Promise<StoredRules> {
  const { window } = facts;
  const [dnc, blocked, known, touches] = await Promise.all([
    storedDncNumbers(store),
    loadDncList(store),
    findKnownCampaign(store, campaignId),
    window ? touchesInWindow(store, window.fromMs - ATTEMPT_LOOKBACK_MS, window.toMs) : [],
  ]);
  return {
    touches: touches.map((t) => ({ ...t, phone: t.phone as string, conversation: false })),
    seller: facts.seller,
    registrations: facts.registrations,
    dnc,
    blocked,
    registries,
    kind: known?.kind,
    campaignCaps: known?.contactCaps,
    campaignName: known?.name,
  };
}

/** The plan options with the stored rules applied (see StoredRules for which side wins). */
export function withStoredRules(options: PlanOptions, rules: StoredRules): PlanOptions {
  const dnc = new Set(rules.dnc);
  for (const phone of options.dnc ?? []) dnc.add(phone);
  return {
    ...options,
    dnc,
    blocked: rules.blocked,
    registries: options.registries ?? rules.registries,
    kind: options.kind ?? rules.kind,
    campaignCaps: options.campaignCaps ?? rules.campaignCaps,
    seller: options.seller ?? rules.seller,
    registrations: options.registrations ?? rules.registrations,
    // The store's imported touches count as attempts already made, with the history given.
    history: rules.touches.length === 0 ? options.history : [...(options.history ?? []), ...rules.touches],
  };
}
