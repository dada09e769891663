import { InputError } from "../core/input-error.ts";
import type { ClientContext } from "../platform/client-context.ts";
import { type ConsentBook, ledgerOfBook, sellerLedgers } from "./book.ts";
import { honourInTenant } from "./client-coverage.ts";
import type { TenantLedger } from "./every-tenant.ts";
import type { FanOutSummary } from "./fan-out.ts";
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
    // Without a connection the book is the store's alone: recorded and refused at once, CXone's
    // part pending until a client with one honours it (book.ts).
    ...(client.missingConnection
      ? {}
      : {
          cxone: {
            refuseGroup: () => refuseGroupWithout(client),
            checkScope: (scope: Scope | undefined, signal?: AbortSignal) =>
              checkCampaignScope(client, scope, signal),
            honour: (signal?: AbortSignal) => honourInTenant(client, signal),
          },
        }),
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
  const fanOuts = await localHonour(book, client.actor, signal);
  const missing = client.missingConnection;
  if (missing) {
    // The local part done; what waits for CXone said, with the setting it waits for.
    const { countWaitingForCxone } = await import("./ledger-queue.ts");
    return {
      sent: 0,
      alreadyInGroup: 0,
      entries: 0,
      fanOuts,
      notSent: {
        missing: { setting: missing.setting, message: missing.message },
        waiting: await countWaitingForCxone(await book.store()),
      },
    };
  }
  // What agents said in CXone since the last read is honoured too (issue 77 §3).
  const { freshDispositions } = await import("./fresh-dispositions.ts");
  await freshDispositions(client, signal);
  const summary = await honourInTenant(client, signal);
  if (fanOuts.finished === 0 && fanOuts.waiting.length === 0 && !fanOuts.repaired) return summary;
  return {
    ...(summary ?? { sent: 0, alreadyInGroup: 0, entries: 0, noGroup: true as const }),
    fanOuts,
  };
}

/**
 * What honour does without CXone, in the stores alone: the scope-`all` fan-outs a killed run left
 * are finished, then every unit of the seller reachable from here is given the scope-`all`
 * revocations another holds (fan-out.ts). `consent honour` runs it with or without a connection.
 */
export async function localHonour(
  book: ConsentBook,
  actor: string | null,
  signal: AbortSignal | undefined,
): Promise<FanOutSummary> {
  const { finishFanOuts, evenScopeAll } = await import("./fan-out.ts");
  const units = await reachableLedgers(book, signal);
  const fanOuts = await finishFanOuts(units, actor, signal);
  const even = await evenScopeAll(units, actor, signal);
  return {
    finished: fanOuts.finished,
    waiting: [...fanOuts.waiting, ...even.waiting],
    ...(even.repaired ? { repaired: even.repaired } : {}),
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
