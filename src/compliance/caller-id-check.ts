import { InputError } from "../core/input-error.ts";
import type { Store } from "../core/store/index.ts";
import type { PresentedCallerId } from "../platform/ports/diagnosis.ts";
import { dncListFor } from "./blocked-numbers.ts";
import { callerIdBinds, callerIdFindings, callerIdMessage } from "./caller-id-rule.ts";
import type { CampaignKind } from "./touches.ts";

/**
 * Before a skill dials for a campaign (a push, a campaign's start): the caller id its calls
 * present, judged by caller-id-rule.ts with the campaign's own blocked numbers (the internal
 * list, the consent ledger's revocations, the CXone DNC groups that scrub the skill) asked about
 * it. Telemarketing: an InputError naming the skill and the rule (exit 2, nothing sent).
 * Collections: the warnings to report. A platform without caller ids (`presented` undefined):
 * nothing to judge. Without a store (a create re-driven before its data dir is open) the
 * blocked lists are not asked; the rest is judged.
 */
export async function checkPresentedCallerId(
  store: Store | undefined,
  skill: { campaignId: string; callerId?: PresentedCallerId | undefined },
  kind: CampaignKind | undefined,
  nowMs: number,
): Promise<string[]> {
  const presented = skill.callerId;
  if (presented === undefined) return [];
  const blocked: string[] = [];
  if (store !== undefined && presented.number !== undefined) {
    const list = await dncListFor(store, [presented.number]);
    if (list.has(presented.number)) blocked.push("internal_dnc");
    for (const s of list.suppressions?.(presented.number, skill.campaignId, nowMs) ?? [])
      if (!blocked.includes(s.code)) blocked.push(s.code);
  }
  const findings = callerIdFindings(presented, blocked);
  if (findings.length === 0) return [];
  const messages = findings.map((f) => callerIdMessage(skill.campaignId, f, kind));
  if (callerIdBinds(kind)) throw new InputError({ field: "campaign", rule: messages.join("; ") });
  return messages;
}
