import { calledNumberOf } from "../consent/called-number.ts";
import type { Store } from "../core/store/index.ts";
import { listKnownCampaigns } from "../core/store/known-campaigns.ts";
import type { CxonePort } from "../platform/port.ts";
import type { CallAfter } from "./revocation-report.ts";
import { touchesOfPhones } from "./touches-store.ts";

/**
 * Where `consent report` looks for calls made after a revocation. One campaign is not enough
 * (the number may have been dialled on another skill than the data dir's campaign), so by
 * default it reads:
 *
 * - every campaign of the tenant: the platform's listing of its skills (production), or the
 *   tenant-wide call listing where the platform has one (seed API: every campaign in one read);
 *   plus the campaigns the data dir knows and those the revocations' scopes name;
 * - the dials of every list cxo pushed (the store's `strategy.pushes`), where the platform
 *   reports a list's dials: a record CXone dialled from a pushed list is a call all the same;
 * - the touches imported into the store (`touches import`), on every channel.
 *
 * `campaigns` given narrows it to those campaigns (their calls, and the lists pushed to them),
 * and the report says so (`checked.scope: "named"`).
 */
export interface ReportChecked {
  /** `tenant`: every campaign of the tenant; `named`: only the campaigns asked for. */
  scope: "tenant" | "named";
  /**
   * How the tenant's calls were read: one tenant-wide listing, or campaign by campaign; `none`
   * when no CXone connection is configured (the report answers from the local ledger,
   * and CXone's calls and pushed lists' dials were NOT read — only the imported touches).
   */
  listing: "tenant-wide" | "per-campaign" | "none";
  /** The campaigns whose calls were read (tenant-wide: those the listing and the data dir named). */
  campaigns: string[];
  /** The pushed lists whose dials were read: `{listId, campaignId}`. */
  lists: Array<{ listId: string; campaignId: string }>;
  /**
   * The touches imported (`touches import`: texts, emails, other dialers' calls) to
   * these numbers in the window, each a touch after the revocation like a call — but the one text
   * confirming a revocation by text within 5 minutes (revocation-report.ts).
   */
  touches: number;
}

const DAY_MS = 86_400_000;

/** Reads the kept calls to `phones` in the window (of `campaigns`; undefined: all); undefined when they do not cover it. */
export type KeptCallsReader = (
  phones: ReadonlySet<string>,
  window: Window,
  campaigns: readonly string[] | undefined,
) => Promise<Array<{ phone: string; callId: string; campaignId: string; at: string }> | undefined>;

/** A list cxo pushed and the campaign (skill) it feeds, when known. */
export interface PushedList {
  listId: string;
  campaignId?: string | undefined;
}

interface Window {
  fromMs: number;
  toMs: number;
}

/**
 * Calls to these numbers since `fromMs`, by number (E.164), and what was read; `port` undefined
 * (no CXone connection): the imported touches alone, `listing: "none"`.
 */
export async function callsAfter(
  port: CxonePort | undefined,
  store: Store,
  phones: ReadonlySet<string>,
  options: Window & {
    campaigns?: readonly string[] | undefined;
    scoped: readonly string[];
    /** Every list cxo pushed, with the campaign it feeds (the store's record of its pushes: core/store/pushed-lists.ts). */
    pushedLists: readonly PushedList[];
    /**
     * The calls kept from the business unit's one incremental read of CXone's completed contacts
     * (consent/completed-calls.ts), to these numbers in the window, of the campaigns named
     * (undefined: every campaign); undefined where they do not reach back to the window's start
     * (the campaigns' listings are read instead).
     */
    kept?: KeptCallsReader | undefined;
    signal?: AbortSignal;
  },
): Promise<{ byPhone: Map<string, CallAfter[]>; checked: ReportChecked }> {
  const byPhone = new Map<string, CallAfter[]>();
  const seen = new Set<string>();
  const add = (phone: string | undefined, call: CallAfter) => {
    if (phone === undefined || !phones.has(phone)) return;
    const key = `${call.callId}\u0000${call.at}`;
    if (seen.has(key)) return;
    seen.add(key);
    byPhone.set(phone, [...(byPhone.get(phone) ?? []), call]);
  };
  // Outcome listings keep 90 days: older revocations are checked from then on.
  const from = new Date(Math.max(options.fromMs, options.toMs - 89 * DAY_MS)).toISOString();
  const to = new Date(options.toMs).toISOString();
  const named = options.campaigns !== undefined;
  const campaigns = new Set(options.campaigns ?? []);
  let listing: ReportChecked["listing"] = port ? "per-campaign" : "none";
  if (!named && port) {
    for (const known of await listKnownCampaigns(store)) campaigns.add(known.id);
    for (const id of options.scoped) campaigns.add(id);
    const tenantCalls = port.outcomes.tenantCalls?.bind(port.outcomes);
    if (port.campaigns.listTenant) {
      for await (const skill of port.campaigns.listTenant(options.signal)) campaigns.add(skill.id);
    } else if (tenantCalls && phones.size > 0) {
      listing = "tenant-wide";
      for await (const call of tenantCalls({ from, to }, options.signal)) {
        if (call.campaignId) campaigns.add(call.campaignId);
        add(calledNumberOf(call.phoneNumber), {
          callId: call.id,
          campaignId: call.campaignId,
          at: call.startTime,
        });
      }
    }
  }
  const kept =
    port && listing === "per-campaign" && phones.size > 0
      ? await options.kept?.(
          phones,
          // The listing reads from `from` on, inclusive; the kept calls are asked after a start.
          { fromMs: Date.parse(from) - 1, toMs: options.toMs },
          named ? [...campaigns] : undefined,
        )
      : undefined;
  if (kept) {
    // The tenant's one read, kept: every campaign's calls without a listing per campaign.
    listing = "tenant-wide";
    for (const call of kept) {
      if (!named) campaigns.add(call.campaignId);
      add(call.phone, { callId: call.callId, campaignId: call.campaignId, at: call.at });
    }
  } else if (port && listing === "per-campaign" && phones.size > 0)
    for (const campaignId of campaigns)
      for await (const call of port.outcomes.listCalls({ campaignId, from, to }, options.signal))
        add(calledNumberOf(call.phoneNumber), {
          callId: call.id,
          campaignId: call.campaignId || campaignId,
          at: call.startTime,
        });
  const lists = listsOf(options.pushedLists, named ? campaigns : undefined);
  const dials = port?.lists && port.support.unsupported("lists.timed") === undefined ? port.lists : undefined;
  if (dials && phones.size > 0)
    for (const list of lists)
      for (const dial of await dials.attempts(list.listId, options.signal)) {
        if (Date.parse(dial.at) < options.fromMs) continue;
        add(calledNumberOf(dial.phone), {
          callId: dial.contactId ?? `list ${list.listId} record ${dial.recordId}`,
          campaignId: list.campaignId,
          at: dial.at,
        });
      }
  let touches = 0;
  if (phones.size > 0) {
    for (const list of (await touchesOfPhones(store, [...phones], options.fromMs, options.toMs)).values())
      for (const t of list) {
        // cxo's own attempts are the platform's calls, read above.
        if (t.source !== "touch" || (named && !campaigns.has(t.campaignId ?? ""))) continue;
        touches += 1;
        const at = new Date(t.atMs).toISOString();
        add(t.phone, {
          callId: `touch ${t.channel ?? "call"} ${at}`,
          campaignId: t.campaignId ?? "",
          at,
          channel: t.channel ?? "call",
          ...(t.voice ? { voice: t.voice } : {}),
          ...(t.purpose ? { purpose: t.purpose } : {}),
        });
      }
  }
  return {
    byPhone,
    checked: {
      scope: named ? "named" : "tenant",
      listing,
      campaigns: [...campaigns].sort(),
      lists: dials ? lists : [],
      touches,
    },
  };
}

/** The pushed lists of the campaigns `only` names (undefined: every list with a campaign). */
function listsOf(
  pushed: readonly PushedList[],
  only: ReadonlySet<string> | undefined,
): Array<{ listId: string; campaignId: string }> {
  return pushed.flatMap(({ listId, campaignId }) =>
    campaignId !== undefined && (!only || only.has(campaignId)) ? [{ listId, campaignId }] : [],
  );
}
