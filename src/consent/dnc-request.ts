import { clockNowMs } from "../core/clock/now.ts";
import type { Store } from "../core/store/index.ts";
import { campaignKindOf, findKnownCampaign } from "../core/store/known-campaigns.ts";
import { accountsOfPhones } from "./accounts.ts";
import { type DispositionFacts, dncRequestOf } from "./dnc-dispositions.ts";
import { recordRevocations } from "./ledger.ts";
import type { Revocation } from "./revocation.ts";
import { TENANT_SCOPE } from "./scope.ts";
/**
 * A disposition that means "do not call me" is a revocation at the call's time, channel
 * `agent`, scope `tenant` (issue 62 §1): recorded in the ledger when cxo sets it (`cxo tag`,
 * `interactions set-disposition`) and when the service reads it from CXone's completed contacts.
 */
export interface DispositionSeen {
  campaignId: string;
  callId: string;
  /** E.164; undefined when the platform did not say (then nothing can be recorded: see `missed`). */
  phone: string | undefined;
  /** When the call was (ISO 8601): the revocation's instant; default now. */
  at: string | undefined;
  facts: DispositionFacts;
  /** Who set it: `cxo tag`, `cxo interactions`, `cxone` (an agent in CXone). */
  via: string;
}

export interface DncRequestDeps {
  store: Store;
  actor: string | null;
  cxoneGroupId: string | undefined;
  /** `consent.agentDoNotCall`: what the disposition revokes (unset: by the campaign's kind). */
  agentDoNotCall?: AgentDoNotCall | undefined;
}

/** What an agent's "Do Not Call" revokes: the number called, or every number of its account. */
export type AgentDoNotCall = "number" | "account";

export type DncRequestResult =
  | { recorded: false; reason: "not_a_dnc_request" }
  | { recorded: false; reason: "no_phone"; matched: string }
  | { recorded: true; added: boolean; matched: string; by: "marked" | "name" };

/** The codes the campaign's spec marks `dncRequest: true` (undefined: none marked, the default words apply). */
export async function markedCodesOf(store: Store, campaignId: string): Promise<Set<string> | undefined> {
  const known = await findKnownCampaign(store, campaignId);
  return known?.dncRequestCodes?.length ? new Set(known.dncRequestCodes) : undefined;
}

export async function recordIfDncRequest(
  deps: DncRequestDeps,
  seen: DispositionSeen,
  marked?: ReadonlySet<string>,
): Promise<DncRequestResult> {
  const found = dncRevocationOf(seen, marked ?? (await markedCodesOf(deps.store, seen.campaignId)));
  if (!found.revocation) return found.result as DncRequestResult;
  const revocations = await agentRevocations(
    deps.store,
    found.revocation,
    seen.campaignId,
    deps.agentDoNotCall,
  );
  const summary = await recordRevocations(deps.store, revocations, {
    actor: deps.actor,
    cxoneGroupId: deps.cxoneGroupId,
  });
  return { ...found.result, recorded: true, added: summary.added > 0 } as DncRequestResult;
}

/**
 * The revocation a disposition is, or why it is none — without recording it, so that a reader of
 * many calls records them together (one transaction, not one per call: a first read of 30 days of
 * a tenant's calls wrote each "Do Not Call" in a transaction of its own, 3 s → 56 s).
 */
export function dncRevocationOf(
  seen: DispositionSeen,
  marked: ReadonlySet<string> | undefined,
): { revocation?: Revocation; result: DncRequestResult | { matched: string; by: "marked" | "name" } } {
  const match = dncRequestOf(seen.facts, marked);
  if (!match) return { result: { recorded: false, reason: "not_a_dnc_request" } };
  if (seen.phone === undefined)
    return { result: { recorded: false, reason: "no_phone", matched: match.matched } };
  const atMs = seen.at === undefined ? Number.NaN : Date.parse(seen.at);
  const receivedAt = new Date(Number.isNaN(atMs) ? clockNowMs() : Math.min(atMs, clockNowMs())).toISOString();
  return {
    revocation: {
      phone: seen.phone,
      receivedAt,
      channel: "agent",
      scope: TENANT_SCOPE,
      source: `${seen.via}: call ${seen.callId} on campaign ${seen.campaignId}, disposition ${match.matched} (${match.by === "marked" ? "marked dncRequest" : "a do-not-call name"})`,
    },
    result: { matched: match.matched, by: match.by },
  };
}

/**
 * What an agent's "Do Not Call" revokes (`consent.agentDoNotCall`): the number called, or — on a
 * campaign of kind collections by default — every number of the account the number was read for
 * (the debt: "stop calling me about this debt" covers it whichever number was used; Regulation F,
 * 12 CFR 1006.14(h)). One revocation per account, each naming the number and the account, so the
 * ledger covers the account's numbers now and later and honour writes each to CXone's group. A
 * number cxo has read for no account is revoked alone.
 */
export async function agentRevocations(
  store: Store,
  revocation: Revocation,
  campaignId: string,
  setting: AgentDoNotCall | undefined,
): Promise<Revocation[]> {
  if (revocation.phone === "" || revocation.account !== undefined) return [revocation];
  const covers =
    setting ?? ((await campaignKindOf(store, campaignId)) === "collections" ? "account" : "number");
  if (covers === "number") return [revocation];
  const accounts = (await accountsOfPhones(store.db, [revocation.phone])).get(revocation.phone) ?? [];
  if (accounts.length === 0) return [revocation];
  return accounts.map((account) => ({
    ...revocation,
    account,
    source:
      `${revocation.source ?? "agent"}; covers every number of account ${account} (consent.agentDoNotCall: account)`.slice(
        0,
        200,
      ),
  }));
}
