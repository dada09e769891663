import { InputError } from "../core/input-error.ts";
import type { ClientContext } from "../platform/client-context.ts";
import { type ConsentBook, ledgerOfBook, sellerLedgers } from "./book.ts";
import { honourInTenant } from "./client-coverage.ts";
import type { TenantLedger } from "./every-tenant.ts";
import type { HonourSummary } from "./honour.ts";
import type { Scope } from "./scope.ts";

/**
 * A client's book (book.ts): its store and settings, CXone through its port, and for scope `all`
 * the seller's other tenants (`peers`: an unnamed tenant is the only one; a named tenant's client
 * knows the others only through `consentPeers`, `createTenants`, the CLI).
 */
export function bookOfClient(
  client: ClientContext,
  peers: (() => Promise<ConsentBook[]>) | undefined,
): ConsentBook {
  return {
    tenant: client.tenant,
    actor: client.actor,
    cxoneDncGroup: client.consent.cxoneDncGroup,
    store: () => client.store(),
    cxone: {
      refuseGroup: () => refuseGroupWithout(client),
      checkScope: (scope, signal) => checkCampaignScope(client, scope, signal),
      honour: (signal) => honourInTenant(client, signal),
    },
    ...(peers ? { peers } : {}),
  };
}

/** This tenant's ledger and, where the book knows them, those of its seller's other tenants. */
export async function reachableLedgers(
  book: ConsentBook,
  signal: AbortSignal | undefined,
): Promise<TenantLedger[]> {
  return book.peers ? sellerLedgers(book, signal) : [ledgerOfBook(book, {}, signal)];
}

/**
 * `consent.honour`: a scope-`all` revocation a killed run left half recorded is finished first
 * (local work), agents' "Do Not Call" in CXone since the last read is read in, then the pending
 * entries go to the tenant's CXone DNC group.
 */
export async function honourOfClient(
  client: ClientContext,
  book: ConsentBook,
  signal: AbortSignal | undefined,
): Promise<HonourSummary | undefined> {
  const { finishFanOuts } = await import("./fan-out.ts");
  const fanOuts = await finishFanOuts(await reachableLedgers(book, signal), client.actor, signal);
  // What agents said in CXone since the last read is honoured too (issue 77 §3).
  const { freshDispositions } = await import("./fresh-dispositions.ts");
  await freshDispositions(client, signal);
  const summary = await honourInTenant(client, signal);
  if (fanOuts.finished === 0 && fanOuts.waiting.length === 0) return summary;
  return {
    ...(summary ?? { sent: 0, alreadyInGroup: 0, entries: 0, noGroup: true as const }),
    fanOuts,
  };
}

/** Scope `campaign:C` must name a campaign the tenant has: asked of the platform (a read). */
async function checkCampaignScope(
  client: ClientContext,
  scope: Scope | undefined,
  signal?: AbortSignal,
): Promise<void> {
  if (scope?.kind !== "campaign") return;
  const id = scope.campaignId;
  client.port.support.checkId?.("campaign", id, "scope");
  const { NotFoundError } = await import("../core/http/errors.ts");
  try {
    await client.port.campaigns.get(id, signal);
  } catch (error) {
    if (error instanceof NotFoundError)
      throw new InputError({
        field: "scope",
        rule: `names campaign ${id}, which this tenant does not have`,
      });
    throw error;
  }
}

/** A group id configured on a platform without DNC groups: refused before anything is recorded. */
function refuseGroupWithout(client: ClientContext): void {
  if (client.consent.cxoneDncGroup === undefined) return;
  const refusal = client.port.support.unsupported("dncGroups");
  if (refusal) throw refusal;
}
