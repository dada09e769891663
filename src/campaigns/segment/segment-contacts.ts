import { judgeWithCalls } from "../../compliance/check-call.ts";
import { isValidState, isValidZone } from "../../compliance/check-input.ts";
import { type CountedCall, callsOf, type DebtCalls } from "../../compliance/debt-calls.ts";
import type { ComplianceEngine } from "../../compliance/engine.ts";
import {
  ATTEMPT_LOOKBACK_MS,
  type CampaignCaps,
  type DncList,
  type DncRegistries,
  type NanpNumber,
  parseNanp,
  type Verdict,
} from "../../compliance/index.ts";
import type { CampaignKind, Registrations } from "../../compliance/touches.ts";
import { prefetched } from "../../core/http/pagination.ts";
import type { Store } from "../../core/store/index.ts";
import type { CampaignsPort } from "../../platform/ports/campaigns.ts";
import type { Contact } from "../../platform/types.ts";
import type { ContactSink } from "./contact-writer.ts";
import { reasonsOf, type SegmentedContact } from "./segmented-contact.ts";
import { countContact, emptySummary, type SegmentSummary } from "./summary.ts";

/**
 * Segments a contact list for dialling (seed 002): the server-side consent query narrows the
 * listing, then EVERY contact is re-checked here (the filter is never trusted) and annotated
 * with its compliance verdict at `at`, streamed to `sink` one at a time (constant memory),
 * and counted into the summary. Paging and 429s are the HTTP core's job.
 */
export interface SegmentRequest {
  /** The runtime's compliance engine: every contact is judged by it. */
  engine: ComplianceEngine;
  client: { campaigns: Pick<CampaignsPort, "contactPages" | "get"> };
  store: Store;
  listId: string;
  atMs: number;
  consentOnly: boolean;
  dnc: DncList;
  /** The imported DNC registry copies (required: a scrub never skips them by omission). */
  registries: DncRegistries;
  /** Explicit caps; when absent and `campaignId` is given, the campaign's own rate limits. */
  campaignCaps?: CampaignCaps | undefined;
  campaignId?: string | undefined;
  pageSize?: number | undefined;
  onProgress?: ((done: number, callable: number) => void) | undefined;
  sink: ContactSink;
  signal?: AbortSignal | undefined;
  /**
   * Issue 79 §3: a page's numbers with their consent days, screened before the page is judged
   * (the Reassigned Numbers Database): the DNC list to judge the page with, its refusals added.
   */
  screenPage?:
    | ((questions: Array<{ phone: string; consentDate: string }>, dnc: DncList) => Promise<DncList>)
    | undefined;
  /**
   * The kind the list is dialled as (the rule table's kind-limited rows, the collector's
   * exemptions), the seller (per-seller caps) and its state registrations, as a check has them.
   */
  kind?: CampaignKind | undefined;
  seller?: string | undefined;
  registrations?: Registrations | undefined;
  /**
   * CXone's calls (production: the dials on the lists cxo pushed, the skills' completed
   * contacts), read once for the scrub (compliance/debt-calls.ts): counted with the store's.
   */
  platformCalls?: readonly CountedCall[] | undefined;
}

export async function segmentContacts(request: SegmentRequest): Promise<SegmentSummary> {
  const started = performance.now();
  let campaignZone: string | null = null;
  let caps = request.campaignCaps;
  if (request.campaignId !== undefined) {
    const campaign = await request.client.campaigns.get(request.campaignId, request.signal);
    campaignZone = campaign.timeZone;
    caps ??= campaign.contactCaps;
  }
  const summary = emptySummary({
    listId: request.listId,
    at: new Date(request.atMs).toISOString(),
    consentOnly: request.consentOnly,
    campaignId: request.campaignId ?? null,
    campaignZone,
    campaignCaps: caps ?? null,
    kind: request.kind ?? null,
  });
  const pages = request.client.campaigns.contactPages(
    request.listId,
    { consentOnly: request.consentOnly, pageSize: request.pageSize ?? 1000, sortBy: "id", sortOrder: "asc" },
    request.signal,
  );
  // Contacts are judged a page at a time, so their attempt history is one query, not one each,
  // while the next page is already on its way (prefetched). A page is read twice: first only
  // each contact's number, for the history query (from the page's bytes where the adapter can,
  // phoneHint, else by decoding the contact), then each contact is decoded, judged, written and
  // dropped. Keeping a page of decoded contacts across the query instead made V8 move those
  // objects, and then every object made at the same places, to the old generation: ~5 times
  // the garbage to collect there, and a heap that grew to several hundred MB. A malformed
  // contact therefore fails the run when its turn comes, after the rows before it.
  const phones: string[] = [];
  // Per position in the page: the number whose history was read (a hint can be wrong).
  const queried: Array<string | undefined> = [];
  for await (const { page } of prefetched(pages)) {
    phones.length = 0;
    queried.length = page.count;
    for (let i = 0; i < page.count; i++) {
      const listed = page.phoneHint?.(i) ?? page.contact(i).phone;
      const e164 = parseNanp(listed)?.e164;
      queried[i] = e164;
      if (e164) phones.push(e164);
    }
    const window = { fromMs: request.atMs - ATTEMPT_LOOKBACK_MS, toMs: request.atMs };
    // Every call of the page's numbers and of their debts (the accounts cxo read them for).
    const sources = { store: request.store, platform: request.platformCalls };
    const history = await callsOf(sources, { phones, theirDebts: true, window });
    const dnc = request.screenPage ? await request.screenPage(datedNumbers(page), request.dnc) : request.dnc;
    for (let i = 0; i < page.count; i++) {
      const contact = page.contact(i);
      const number = parseNanp(contact.phone);
      let calls = history;
      if (number && number.e164 !== queried[i])
        calls = await callsOf(sources, { phones: [number.e164], theirDebts: true, window });
      if (request.consentOnly && contact.consent.call !== true) summary.serverFilterMisses += 1;
      const row = segmentOne(request, dnc, contact, number, caps, calls);
      if (row.reasons.some((r) => r.code === "invalid_phone")) summary.invalidPhones += 1;
      countContact(summary, row);
      const written = request.sink.write(row);
      if (written) await written;
      request.onProgress?.(summary.total, summary.callable);
    }
  }
  await request.sink.end();
  summary.durationMs = Math.round(performance.now() - started);
  summary.contactsPerSec =
    summary.durationMs > 0 ? Math.round((summary.total * 1000) / summary.durationMs) : summary.total;
  return summary;
}

/** The page's numbers that carry a consent day (the RND cannot be asked about the others). */
function datedNumbers(page: { count: number; contact(i: number): Contact }) {
  const out: Array<{ phone: string; consentDate: string }> = [];
  for (let i = 0; i < page.count; i++) {
    const contact = page.contact(i);
    const phone = parseNanp(contact.phone)?.e164;
    if (phone && contact.consentDate) out.push({ phone, consentDate: contact.consentDate });
  }
  return out;
}

function segmentOne(
  request: SegmentRequest,
  dnc: DncList,
  contact: Contact,
  number: NanpNumber | undefined,
  caps: CampaignCaps | undefined,
  calls: DebtCalls,
): SegmentedContact {
  if (!number)
    return rowOf(
      contact,
      false,
      [
        {
          code: "invalid_phone",
          jurisdiction: "unknown",
          zone: null,
          ruleId: "phone",
          message: "not a NANP E.164 number",
        },
      ],
      [],
      [],
      null,
    );
  // A declared zone or state the engine cannot read is ignored as a candidate (the number's own
  // zones still apply), and reported in the row's data, not silently trusted.
  const zone = contact.timeZone && isValidZone(contact.timeZone) ? contact.timeZone : undefined;
  const state = contact.state && isValidState(contact.state) ? contact.state.toUpperCase() : undefined;
  // A number read for debts is judged as a call about each (callable only if every one allows);
  // an account read in a collections list is a debt unless the scrub declares another kind.
  const accounts = calls.accountsOf(number.e164);
  let verdict: Verdict | undefined;
  for (const accountId of accounts.length > 0 ? accounts : [undefined]) {
    const judged = judgeWithCalls(
      request.engine,
      dnc,
      {
        number,
        atMs: request.atMs,
        zone,
        state,
        // Re-checked locally: only an explicit true is consent, whatever the server filtered on.
        consent: contact.consent.call,
        campaignCaps: caps,
        campaignId: request.campaignId,
        kind:
          request.kind ?? (accountId !== undefined && calls.isDebt(accountId) ? "collections" : undefined),
        accountId,
        seller: request.seller,
        registrations: request.registrations,
      },
      calls,
      request.registries,
    );
    if (verdict === undefined || (verdict.allowed && !judged.allowed)) verdict = judged;
  }
  if (verdict === undefined) throw new Error("segmentOne: no verdict");
  return rowOf(
    contact,
    verdict.allowed,
    reasonsOf(verdict),
    verdict.zones,
    verdict.states,
    verdict.nextAllowedAt,
  );
}

/** One literal in the output's field order (every row has the same shape, written as it is). */
function rowOf(
  contact: Contact,
  allowed: boolean,
  reasons: SegmentedContact["reasons"],
  zones: string[],
  states: string[],
  nextAllowedAt: string | null,
): SegmentedContact {
  return {
    id: contact.id,
    firstName: contact.firstName ?? null,
    lastName: contact.lastName ?? null,
    phone: contact.phone,
    timeZone: contact.timeZone ?? null,
    state: contact.state ?? null,
    consentCall: contact.consent.call ?? null,
    allowed,
    reasons,
    zones,
    states,
    nextAllowedAt,
  };
}
