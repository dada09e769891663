import type { KnownCampaign } from "../campaigns/known-campaigns.ts";
import { findKnownCampaign } from "../campaigns/known-campaigns.ts";
import type { PacingSpec } from "../campaigns/spec.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";
import { type LedgerView, ledgerView } from "../dialer/abandonment/board-figure.ts";
import { PACING_LATEST, type PacingDecision } from "../dialer/live-pacing/latest.ts";
import type { LivePacer } from "../dialer/live-pacing/live-pacer.ts";
import { PACING_GUARD, PACING_STATE } from "../dialer/live-pacing/store-keys.ts";
import type { WindowBudget } from "../dialer/live-pacing/window-budget.ts";
import type { DialerSettings } from "../platform/ports/dialer.ts";
import type { PacingHost, PacingScope } from "../sdk/pacing-host.ts";
import type { CampaignBoard } from "./campaign-board.ts";
import type { AutomationSetting } from "./pacing-automation.ts";

// What the pacing loop's phases share (pacing.ts runs the rounds; pacing-dial-ratio.ts and
// pacing-budget-guard.ts are the two ways of pacing): the loop's state, and the steps both ways
// end in — recording a decision for the board and the store, and one change of the dialer
// algorithm through the settings lifecycle.

/** A campaign the production guard reads this round, with its spec as the store has it now. */
export type Due = { campaign: KnownCampaign; spec: PacingSpec };

/**
 * What the loop's phases share: its collaborators, and what it remembers from round to round
 * (controllers and due times by campaign, warnings already given). One object handed to each
 * phase, so the phases are plain functions that can be read one at a time.
 */
export interface LoopState {
  store: Store;
  /** What the SDK gives the pacer of the client (sdk/pacing-host.ts): its reads, its one write, the platform's answers. */
  host: PacingHost;
  board: CampaignBoard;
  logger: Logger;
  now: () => number;
  abort: AbortController;
  /** The seed pacer's controller per campaign, kept while its spec is unchanged. */
  pacers: Map<string, { pacer: LivePacer; spec: PacingSpec; dueAt: number }>;
  /** The production guard's next reading per campaign. */
  guards: Map<string, { spec: PacingSpec; dueAt: number }>;
  /** Campaigns already warned about (no counters, preview skill): one warning each, not one a round. */
  warned: Set<string>;
  toldGuard: boolean;
  /** Settings rows a killed leader left pending have been finished (once, before the first round). */
  redriven: boolean;
  /** The note last recorded for a campaign refused on a tenant-wide dialer. */
  refusedNoted: Map<string, string>;
}

/** The seed API's dialer settings are one object for the whole tenant (docs/pacing.md). */
export const tenantWide = (loop: LoopState) => loop.host.tenantWideDialer();

/** Production settings are per skill; the seed API's are the tenant's (no scope). */
export const scopeOf = (loop: LoopState, campaignId: string) => loop.host.dialerScope(campaignId);

/** Warns once per campaign about why it is left alone, not once a round. */
export function warnOnce(loop: LoopState, campaignId: string, message: string): void {
  if (!loop.warned.has(campaignId)) loop.logger.warn({ campaignId }, message);
  loop.warned.add(campaignId);
}

/** The board's pacing line, and the same decision in the store for every other reader. */
export async function recordDecision(
  loop: LoopState,
  campaignId: string,
  decision: PacingDecision & { automation?: AutomationSetting | null },
): Promise<void> {
  const { automation, ...withoutLedger } = decision;
  const stored = { ...withoutLedger, ledger: await ledgerOf(loop, campaignId, decision) };
  loop.board.recordPacing(campaignId, { ...decision, ledger: stored.ledger });
  await loop.store.kv.set(PACING_LATEST, campaignId, stored);
}

/** The ledger's figure for the board: the regime the campaign is paced under, from the window kept in the store. */
async function ledgerOf(
  loop: LoopState,
  campaignId: string,
  decision: PacingDecision,
): Promise<LedgerView | null> {
  const namespace = decision.mode === "guard" ? PACING_GUARD : PACING_STATE;
  const saved = await loop.store.kv.get<{ budget?: WindowBudget }>(namespace, campaignId);
  const known = await findKnownCampaign(loop.store, campaignId);
  return ledgerView(saved?.budget, decision.window, known?.pacing?.machines?.falsePositive, loop.now());
}

/** How the pacer's settings changes wait for the platform's operation. */
const WAIT = { minDelayMs: 100, maxDelayMs: 1_000, maxWaitMs: 60_000 };

/**
 * One change of the dialer algorithm through the settings lifecycle (snapshot, version check,
 * the whole settings as read with only `change` applied, verify; journaled and audited as
 * `pacing:<campaign>`, not the API client id), for the seed pacer and the production guard alike.
 */
export function applyAlgorithm(
  loop: LoopState,
  scope: PacingScope,
  campaignId: string,
  change: (algorithm: DialerSettings["algorithm"]) => DialerSettings["algorithm"],
) {
  return loop.host.applyAlgorithm(campaignId, scope, change, WAIT, { signal: loop.abort.signal });
}

/** Specs come fresh from the store every round: compared by value. */
export const sameSpec = (a: PacingSpec, b: PacingSpec) => JSON.stringify(a) === JSON.stringify(b);
