import { findKnownCampaign } from "../campaigns/known-campaigns.ts";
import { loadDncList } from "../compliance/blocked-numbers.ts";
import { declaredVoice, type SkillVoices } from "../compliance/declared-voice.ts";
import type { DncList } from "../compliance/dnc.ts";
import { storedDncNumbers } from "../compliance/dnc.ts";
import type { CampaignCaps, DncRegistries } from "../compliance/index.ts";
import type { Registrations } from "../compliance/touches.ts";
import type { CampaignVoice } from "../compliance/voice-rules.ts";
import { type GrantLookup, grantLookup } from "../consent/grants.ts";
import type { Store } from "../core/store/index.ts";
import type { CollectionsOrSales, PlanOptions } from "./types.ts";

/**
 * What the data dir knows that every plan must obey besides the list and the model: the stored
 * internal DNC list (`cxo compliance dnc add`), the imported registry copies (`cxo compliance dnc
 * import`), the consent ledger's grants and, for a campaign this data dir created, its spec's
 * `kind`, voice and per-contact caps.
 * A plan that skipped them would schedule a number the compliance check refuses; every plan
 * (the SDK's and the CLI's) reads them through the one path (strategy/prepare-plan.ts). What the
 * caller gave wins for kind and caps; a given DNC set is joined with the stored one, never
 * instead of it.
 */
export interface StoredRules {
  dnc: ReadonlySet<string>;
  /** The consent ledger and the synced CXone DNC groups (issue 62). */
  blocked: DncList;
  registries: DncRegistries;
  kind: CollectionsOrSales | undefined;
  /** The campaign's declared voice and introduction: its skill's or its spec's (absent: none named). */
  voice: CampaignVoice | undefined;
  /** The consent ledger's grants (`consent grant`), asked per record. */
  grants: GrantLookup;
  campaignCaps: CampaignCaps | undefined;
  /** The campaign's name, when this data dir created it (a report's title; nothing asked of CXone). */
  campaignName: string | undefined;
  /** The seller (per-seller caps) and its state registrations, from the settings. */
  seller: string | undefined;
  registrations: Registrations | undefined;
}

/**
 * The settings' side of the stored rules. (The calls already made — the store's touches with the
 * history and CXone's dials — are gathered by compliance/debt-calls.ts.)
 */
export interface SellerFacts {
  seller?: string | undefined;
  registrations?: Registrations | undefined;
  /** The voice each skill's calls use (`compliance.skills`): with the spec's, the campaign's voice. */
  skillVoices?: SkillVoices | undefined;
}

export async function storedRulesFor(
  store: Store,
  registries: DncRegistries,
  campaignId: string,
  facts: SellerFacts = {},
): Promise<StoredRules> {
  const [dnc, blocked, known, grants] = await Promise.all([
    storedDncNumbers(store),
    loadDncList(store),
    findKnownCampaign(store, campaignId),
    grantLookup(store),
  ]);
  return {
    seller: facts.seller,
    registrations: facts.registrations,
    dnc,
    blocked,
    registries,
    kind: known?.kind,
    voice: declaredVoice(campaignId, known?.voice, facts.skillVoices),
    grants,
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
    // The caller's voice with its own introduction, else the spec's as written.
    ...(options.voice === undefined && rules.voice
      ? {
          voice: rules.voice.voice,
          announcement: rules.voice.announcement,
          discloses: rules.voice.discloses,
        }
      : {}),
    grants: options.grants ?? rules.grants,
    campaignCaps: options.campaignCaps ?? rules.campaignCaps,
    seller: options.seller ?? rules.seller,
    registrations: options.registrations ?? rules.registrations,
  };
}
