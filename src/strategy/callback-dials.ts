import type { ClientContext } from "../platform/client-context.ts";
import type { MadeDial } from "./push-reach.ts";

/**
 * The pending callbacks on a skill as dials a push counts with the attempts made: each is a call
 * CXone places at its time to its number, so a cap (a state's 3 in 24 hours) counts it — and,
 * CXone's callback naming no debt, it is counted against every account its number was read for
 * (`accountsOf`: the store's account map, consent/accounts.ts), so a pending callback to one number
 * of a debt counts toward the debt's cap (Regulation F's 7 in 7 days) when another is pushed.
 */
export async function callbackDials(
  client: ClientContext,
  skillId: string,
  signal?: AbortSignal,
  accountsOf?: (phones: readonly string[]) => Promise<ReadonlyMap<string, readonly string[]>>,
): Promise<MadeDial[]> {
  const port = client.port.scheduledCallbacks;
  if (!port || client.port.support.unsupported("scheduledCallbacks")) return [];
  const pending = (await port.forSkill(skillId, signal)).filter(
    (c) => !Number.isNaN(Date.parse(c.callbackAt ?? "")),
  );
  const accounts =
    accountsOf && pending.length > 0 ? await accountsOf(pending.map((c) => c.phone)) : undefined;
  return pending.map((c) => ({
    phone: c.phone,
    atMs: Date.parse(c.callbackAt ?? ""),
    accounts: accounts?.get(c.phone) ?? [],
    campaignId: skillId,
    channel: "callback" as const,
    conversation: false,
  }));
}
