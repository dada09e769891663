import { UnreadableAnswerError } from "../../core/http/errors.ts";
import { queryInstants } from "../query-instants.ts";
import type { ChangedCallsEnd, ChangedCallsPage, ChangedCallsQuery, OutboundCall } from "../types.ts";
import { listIn } from "./answer-shapes.ts";
import type { ProductionApi } from "./api.ts";
import { checkCampaignSkill } from "./campaign-skill.ts";
import {
  ARRAY_KEY,
  ENDPOINT,
  MAX_RECORDS_PER_RESPONSE,
  PHONE_CALL,
  requestCompletedPage,
} from "./completed-contacts.ts";
import { completedCallOf, dispositionIdOf, isOutboundRecord } from "./contact-record.ts";
import { DispositionNames } from "./disposition-names.ts";
import { nextSkip, repeatedPageError } from "./paging.ts";
import { isObject, type Raw, text } from "./tolerant.ts";

/**
 * The incremental mode live clients use beside the window mode: the skill's outbound phone
 * contacts created or changed since `updatedSince`, asked as TAP does (`updatedSince` +
 * `orderBy=lastUpdateTime asc`, tags included), at most 10,000 a response.
 *
 * Paged by key, not by offset (conformance §6): a contact changed while it is listed moves to
 * the end of this order, so with `skip` every later row would shift back one place and the row
 * that shifts into the place already read would never be returned — lost for good, since its
 * update time can predate the next run's overlap. Instead each request starts at the last
 * record's `lastUpdateTime` (sent as CXone wrote it; `updatedSince` is "at or after"), and
 * versions already returned — `(contactId, lastUpdateTime)` — are dropped. `skip` is used only
 * within one timestamp, when a whole page shares it. A changed contact is returned again with
 * its new version: exactly once per version. A 304 means no change, as NICE's agent SDK reads
 * it; the returned `lastPollTime` is CXone's time of the listing (AGENT-SDK passes it as the
 * next poll's `updatedSince`). Records carry disposition names as in the window mode; an unknown
 * or inbound skill is refused before the listing.
 */
export async function* changedCalls(
  api: ProductionApi,
  query: ChangedCallsQuery,
  signal?: AbortSignal,
  /** The adapter's page size (`productionApi.pageSize`) where the query names none. */
  defaultPageSize = MAX_RECORDS_PER_RESPONSE,
): AsyncGenerator<OutboundCall, ChangedCallsEnd> {
  const pages = changedCallPages(api, query, signal, defaultPageSize);
  let next = await pages.next();
  while (!next.done) {
    yield* next.value.calls;
    next = await pages.next();
  }
  return next.value;
}

/**
 * The same listing a page at a time, each page with where a listing that stops after it may
 * start again (`resumeFrom`): a long read (30 days of a business unit's contacts) keeps its
 * progress page by page, and a read killed half way resumes there (issue 100 §3).
 */
export async function* changedCallPages(
  api: ProductionApi,
  query: ChangedCallsQuery,
  signal?: AbortSignal,
  /** The adapter's page size (`productionApi.pageSize`) where the query names none. */
  defaultPageSize = MAX_RECORDS_PER_RESPONSE,
): AsyncGenerator<ChangedCallsPage, ChangedCallsEnd> {
  // The one rule for a date-time with a zone: refused before anything is sent.
  const { updatedSince: sinceMs } = queryInstants({ updatedSince: query.updatedSince });
  // Without a campaign: every skill of the business unit (the listing is tenant-wide), outbound
  // records only (issue 78 §3); names come from the tenant's dispositions.
  if (query.campaignId !== undefined) await checkCampaignSkill(api, query.campaignId, signal);
  const names = new DispositionNames(api, query.campaignId, signal);
  const top = Math.min(query.pageSize ?? defaultPageSize, MAX_RECORDS_PER_RESPONSE);
  const key = new KeyedPaging(new Date(sinceMs).toISOString());
  // The next page is asked for as soon as this one's last record is known, before its records
  // are handed out: one page is always in flight while the consumer works (the key allows no
  // more than one).
  const ahead = new AbortController();
  const pageSignal = signal ? AbortSignal.any([signal, ahead.signal]) : ahead.signal;
  const ask = ({ updatedSince, skip }: { updatedSince: string; skip: number }) => {
    const selection = {
      updatedSince,
      orderBy: "lastUpdateTime asc",
      ...(query.campaignId === undefined ? {} : { skillId: query.campaignId }),
      mediaTypeId: PHONE_CALL,
    };
    return { response: requestCompletedPage(api, selection, { skip, top }, { signal: pageSignal }), skip };
  };
  let lastPollTime: string | undefined;
  let first = true;
  let next: ReturnType<typeof ask> | null = ask(key.next());
  try {
    while (next) {
      const { response: pending, skip } = next;
      next = null;
      const response = await pending;
      if (response.status === 304) return { unchanged: first, lastPollTime };
      first = false;
      const body = isObject(response.body) ? response.body : {};
      lastPollTime ??= text(body.lastPollTime);
      // An answer whose records are not where any source puts them fails: it counts a debt's calls.
      const records = listIn(response, ENDPOINT, [ARRAY_KEY]).items;
      const fresh = key.take(records).filter(isOutboundRecord);
      if (nextSkip({ items: records.length, skip, top, body }) !== null) next = ask(key.next());
      const dispositionIds: string[] = [];
      for (const record of fresh) {
        const d = dispositionIdOf(record.primaryDispositionId);
        if (d !== undefined) dispositionIds.push(d);
      }
      await names.resolve(dispositionIds);
      yield {
        calls: fresh.map((record) => completedCallOf(record, ENDPOINT, (d) => names.nameOf(d))),
        resumeFrom: key.next().updatedSince,
      };
    }
  } finally {
    // A consumer that stops early (or fails) leaves no request running.
    ahead.abort();
  }
  return { unchanged: false, lastPollTime };
}

/**
 * Where the next page of a listing in `lastUpdateTime` order starts, and which records of a page
 * are new: the key (a timestamp, sent back verbatim as `updatedSince`), the versions already
 * returned at that timestamp, and a `skip` within it for a page that is all one timestamp.
 */
class KeyedPaging {
  private since: string;
  private skip = 0;
  /** `contactId@lastUpdateTime` of the records returned whose time is `since`. */
  private atSince = new Set<string>();
  private lastPage = "";
  /** Records returned so far (what a repeated page's error says was read). */
  private read = 0;

  constructor(since: string) {
    this.since = since;
  }

  next(): { updatedSince: string; skip: number } {
    return { updatedSince: this.since, skip: this.skip };
  }

  /** The records of a page not returned before, in order; moves the key past the page. */
  take(records: Raw[]): Raw[] {
    const page = records.map((r) => `${text(r.contactId) ?? ""}@${text(r.lastUpdateTime) ?? ""}`).join(",");
    if (records.length > 0 && page === this.lastPage)
      throw repeatedPageError(ENDPOINT, `updatedSince ${this.since}, skip ${this.skip}`, this.read);
    this.lastPage = page;
    const fresh: Raw[] = [];
    let previousMs = Number.NEGATIVE_INFINITY;
    for (const record of records) {
      const time = text(record.lastUpdateTime) ?? "";
      const ms = Date.parse(time);
      // Keyed paging is only safe on an ascending order: never guess past a record not yet seen.
      if (!(ms >= previousMs))
        throw new UnreadableAnswerError(
          ENDPOINT,
          `its records in lastUpdateTime order (${time || "no lastUpdateTime"} after ${new Date(previousMs).toISOString()}); an incremental listing cannot be paged safely`,
        );
      previousMs = ms;
      const version = `${text(record.contactId) ?? ""}@${time}`;
      if (time === this.since) {
        if (this.atSince.has(version)) continue;
        this.atSince.add(version);
      }
      fresh.push(record);
    }
    this.read += fresh.length;
    const last = text(records.at(-1)?.lastUpdateTime);
    if (last !== undefined && last !== this.since) {
      // The key moves on: remember the versions at the new key (the next page repeats them).
      this.since = last;
      this.skip = 0;
      this.atSince = new Set();
      for (const record of records)
        if (text(record.lastUpdateTime) === last) this.atSince.add(`${text(record.contactId) ?? ""}@${last}`);
    } else {
      // A whole page at one timestamp: only an offset within it moves on.
      this.skip += records.length;
    }
    return fresh;
  }
}
