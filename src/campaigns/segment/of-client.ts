import type { ComplianceClient } from "../../compliance/compliance-client.ts";
import type { CampaignKind } from "../../compliance/touches.ts";
import type { CampaignCaps } from "../../compliance/verdict.ts";
import { clockNowMs } from "../../core/clock/now.ts";
import { sellerOf } from "../../core/config/seller.ts";
import { InputError } from "../../core/input-error.ts";
import { idOf } from "../../core/params.ts";
import type { Store } from "../../core/store/index.ts";
import type { ContactSink } from "./contact-writer.ts";
import type { SegmentRequest } from "./segment-contacts.ts";
import type { SegmentSummary } from "./summary.ts";
/** Which contacts of a list to judge, and how (`contacts` and `segment`). */
export interface ContactsQuery {
  /** The instant to judge (default now). */
  atMs?: number;
  /** Ask CXone for consenting contacts only (re-checked locally). */
  consentOnly?: boolean;
  /** The campaign dialling the list: its caps and attempt history apply. */
  campaignId?: string;
  campaignCaps?: CampaignCaps;
  /** Numbers to refuse besides the stored internal DNC list. */
  dnc?: ReadonlySet<string>;
  /** Contacts per request to CXone (default 1000). */
  pageSize?: number;
  /**
   * The kind the list is dialled as (the rule table's kind-limited rows, the FDCPA
   * collector's exemptions). Default: the kind of the campaign, when this data dir created it.
   */
  kind?: "sales" | "collections";
}

/** `segment`'s params: the query, and where each judged contact goes. */
export interface SegmentParams extends ContactsQuery {
  /** Where each contact's row goes (see `contactWriter` for NDJSON/CSV). */
  sink: ContactSink;
  onProgress?: (done: number, callable: number) => void;
}

/**
 * `campaigns.segment` (and `contacts`): every contact of a list judged, after agents' "Do Not
 * Call" in CXone since the last read and a stale copy of the CXone DNC groups were brought in,
 * with CXone's dials counted and, with RND settings, each page's numbers asked of the RND.
 */
export async function segmentOfClient(
  client: ComplianceClient,
  store: () => Promise<Store>,
  listId: string,
  params: SegmentParams,
  signal: AbortSignal | undefined,
): Promise<SegmentSummary> {
  const port = client.port.campaigns;
  {
    idOf(listId, "listId");
    if (typeof params !== "object" || params === null || typeof params.sink?.write !== "function")
      throw new InputError({ field: "sink", rule: "is required: an object with write(contact) and end()" });
    if (params.kind !== undefined && params.kind !== "sales" && params.kind !== "collections")
      throw new InputError({ field: "kind", rule: "must be sales or collections" });
    const [{ loadDncList }, { segmentContacts }] = await Promise.all([
      import("../../compliance/blocked-numbers.ts"),
      import("./segment-contacts.ts"),
    ]);
    const s = await store();
    // Agents' "Do Not Call" in CXone since the last read, first (issue 77 §3).
    const { freshDispositions } = await import("../../consent/fresh-dispositions.ts");
    await freshDispositions(client, signal);
    // Many numbers: a stale or missing copy of the CXone DNC groups is synced first (issue 62).
    const { ensureFreshCxoneDnc } = await import("../../compliance/cxone-dnc-freshness.ts");
    const fresh = await ensureFreshCxoneDnc(s, client.port, {
      nowMs: clockNowMs(),
      maxAgeMinutes: client.cxoneDncMaxAgeMinutes,
      actor: client.actor,
      ...(signal ? { signal } : {}),
    });
    const dnc = await loadDncList(s, params.dnc ?? []);
    const kind = await segmentKind(s, params);
    // CXone's dials on the lists cxo pushed and the skills' completed contacts, read once.
    const { platformCallsOf } = await import("../../compliance/platform-calls.ts");
    const { ATTEMPT_LOOKBACK_MS } = await import("../../compliance/attempts.ts");
    const atMs = params.atMs ?? clockNowMs();
    const platformCalls = await platformCallsOf(client, {
      skills: params.campaignId === undefined ? [] : [params.campaignId],
      window: { fromMs: atMs - ATTEMPT_LOOKBACK_MS, toMs: atMs },
      signal,
    });
    const summary = await segmentContacts({
      engine: await client.complianceEngine(),
      client: { campaigns: port },
      store: s,
      listId,
      atMs,
      consentOnly: params.consentOnly === true,
      dnc,
      campaignCaps: params.campaignCaps,
      campaignId: params.campaignId,
      pageSize: params.pageSize,
      sink: params.sink,
      onProgress: params.onProgress,
      signal,
      registries: await client.dncRegistries(),
      ...(client.rnd ? { screenPage: await rndPageScreen(client, signal) } : {}),
      kind,
      seller: sellerOf(client.consent, client.tenant),
      registrations: client.registrations,
      platformCalls,
    });
    if (!fresh) return summary;
    const { sync: _sync, ...cxoneDnc } = fresh;
    return { ...summary, cxoneDnc };
  }
}

/**
 * The kind a list is judged as: the caller's, else the campaign's own (its spec's when this data
 * dir created it, else the kind a plan or push declared it).
 */
async function segmentKind(store: Store, params: SegmentParams): Promise<CampaignKind | undefined> {
  if (params.kind !== undefined) return params.kind;
  if (params.campaignId === undefined) return undefined;
  const { campaignKindOf } = await import("../known-campaigns.ts");
  return campaignKindOf(store, params.campaignId);
}

/**
 * Issue 79 §3: with `rnd` settings, each page's numbers with consent days are asked of the
 * Reassigned Numbers Database (answers kept as evidence; fresh ones reused) before the page is
 * judged, and a number reassigned since its consent is refused (`rnd_reassigned`).
 */
async function rndPageScreen(
  client: ComplianceClient,
  signal: AbortSignal | undefined,
): Promise<NonNullable<SegmentRequest["screenPage"]>> {
  const [{ checkNumbersOfClient }, { rndQuestionsOf }, { withRndRefusals }, { consentDateOf }] =
    await Promise.all([
      import("../../compliance/rnd/check-of-client.ts"),
      import("../../compliance/rnd/questions-file.ts"),
      import("../../compliance/rnd/rnd-suppressions.ts"),
      import("../../compliance/rnd/consent-date.ts"),
    ]);
  return async (questions, dnc) => {
    const nowMs = clockNowMs();
    // A day the list holds that is no valid past date is left unasked (the list's data, not the caller's input).
    const numbers = questions.flatMap((q) => {
      const day = consentDateOf(q.consentDate, nowMs);
      return day ? [{ phone: q.phone, consentDate: day }] : [];
    });
    if (numbers.length === 0) return dnc;
    const checked = await checkNumbersOfClient(client, rndQuestionsOf(numbers, nowMs), { signal });
    return withRndRefusals(dnc, checked.verdicts);
  };
}
