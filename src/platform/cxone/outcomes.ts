import { ArrayPageBodies, type ArrayPageBody, IRREGULAR } from "../../core/http/array-pages.ts";
import { UnreadableAnswerError, ValidationError } from "../../core/http/errors.ts";
import type { HttpResponse } from "../../core/http/http-client.ts";
import { followPageTokens } from "../../core/http/pagination.ts";
import { InputError } from "../../core/input-error.ts";
import { callListing } from "../decoded-listing.ts";
import type { OutcomesPort } from "../ports/outcomes.ts";
import { queryInstants } from "../query-instants.ts";
import type { CallPage, CallQuery, OutboundCall } from "../types.ts";
import { listIn } from "./answer-shapes.ts";
import type { ProductionApi } from "./api.ts";
import { checkCampaignSkill } from "./campaign-skill.ts";
import { changedCallPages, changedCalls } from "./changed-calls.ts";
import {
  ARRAY_KEY,
  ENDPOINT,
  MAX_RECORDS_PER_RESPONSE,
  PHONE_CALL,
  requestCompletedPage,
} from "./completed-contacts.ts";
import { completedCallOf, dispositionIdOf } from "./contact-record.ts";
import { DispositionNames } from "./disposition-names.ts";
import { nextSkip, repeatedPageError } from "./paging.ts";
import { bool, isObject, num, type Raw, text } from "./tolerant.ts";

/**
 * Seed 004 over `/contacts/completed`: the skill's outbound phone contacts in [from, to), in
 * constant memory (each page's bytes land in one of a few reused buffers, see PAGES_AHEAD, and
 * records are parsed on demand, as in the seed adapter). The platform pages by skip/top, so the page token is
 * synthesized (base64url JSON of the query and the skip), which makes an export resumable.
 * What the platform does not guarantee is re-checked here: the [from, to) window on the start
 * time, outbound only, the disposition filter (no server filter exists), and a record repeated
 * across a page boundary (offset paging over data that is still being warehoused).
 * Records carry the id's disposition name (read once per listing: disposition-names.ts), and
 * the disposition filter takes an id or a name.
 *
 * Each record is parsed once: the filters read the few fields they need from the page's bytes
 * (located by the same scan that finds the records: ArrayPageBodies' element keys), and only a
 * record the filters drop, or one whose bytes alone cannot say (an escaped key, an object where
 * a scalar is expected), is parsed in that pass — a dropped record is still checked to be JSON,
 * as every record always was.
 */

interface Cursor {
  v: 1;
  from: string;
  to: string;
  skillId: string;
  skip: number;
  top: number;
  /** Index in SORT_ORDERS of the order the listing settled on (absent: the first). */
  o?: number;
}

/**
 * Offset paging needs a stable order, and which `orderBy` keys the platform takes is not
 * confirmed: the first page tries these in turn (a 400 moves to the next), and the token keeps
 * the one that worked, so every later page (and a resume) uses the same order. Only keys that do
 * not move: `lastUpdateTime` does (an edited contact jumps to the end and every later row shifts
 * back one place under `skip`, conformance §6), so it is never a window export's order.
 */
export const SORT_ORDERS = ["contactStartDate asc", "contactId asc", null] as const;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

export function decodeCursor(token: string, query: CallQuery): Cursor {
  let cursor: Partial<Cursor> | undefined;
  try {
    cursor = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Partial<Cursor>;
  } catch {
    cursor = undefined;
  }
  const valid =
    isObject(cursor) &&
    cursor.v === 1 &&
    Number.isSafeInteger(cursor.skip) &&
    (cursor.skip as number) >= 0 &&
    Number.isSafeInteger(cursor.top) &&
    (cursor.top as number) > 0 &&
    (cursor.o === undefined ||
      (Number.isSafeInteger(cursor.o) && cursor.o >= 0 && cursor.o < SORT_ORDERS.length));
  if (!valid)
    throw new InputError({
      field: "startToken",
      rule: `page token "${token.slice(0, 40)}" is not one this tool made`,
    });
  const c = cursor as Cursor;
  const { from, to } = queryInstants({ from: query.from, to: query.to });
  if (
    c.skillId !== query.campaignId ||
    c.from !== new Date(from).toISOString() ||
    c.to !== new Date(to).toISOString()
  )
    throw new InputError({
      field: "startToken",
      rule: "the page token belongs to another listing (skill, from or to differ)",
    });
  return c;
}

/** The record fields the filters read, in the order of ArrayPageBodies' element keys. */
const FILTER_KEYS = ["contactId", "isOutbound", "contactStartDate", "contactStart", "primaryDispositionId"];
const [ID, OUTBOUND, START, START_V23, DISPOSITION] = [0, 1, 2, 3, 4] as const;

/**
 * The window and direction filter every record passes (or not) before the consumer sees it:
 * outbound unless CXone says otherwise (contact-record.ts isOutboundRecord), and a start (either
 * version's name: startOf) in [from, to).
 */
function inListing(
  isOutbound: unknown,
  start: unknown,
  startV23: unknown,
  fromMs: number,
  toMs: number,
): boolean {
  if (bool(isOutbound) === false) return false;
  const startMs = Date.parse(text(start ?? startV23) ?? "");
  return startMs >= fromMs && startMs < toMs;
}

/** The disposition filter: a record passes when its id or its disposition's name is asked for. */
function hasCode(id: string | undefined, names: DispositionNames, codes: Set<string> | null): boolean {
  if (codes === null) return true;
  if (id === undefined) return false;
  const name = names.nameOf(id);
  return codes.has(id) || (name !== undefined && codes.has(name));
}

/**
 * Pages asked for ahead of the one being read. Once a page has said how many records the
 * listing holds (`totalRecords`), the next PAGES_AHEAD pages (at the offsets that page implies)
 * are requested at once, through the same HTTP core (rate limit, 429 pauses, retries), each
 * into its own buffer, while this page's records are read: the platform's time to answer a
 * page overlaps the export's work instead of adding to it. Pages are still handed out one at
 * a time, in order, and each is filtered after the one before it, so the records (and an
 * export's bytes and hash) are those of asking page by page. A page asked ahead that turns out
 * not to be the next one (a shorter page than expected moved the offsets) is dropped and asked
 * again; the requests still in flight when the listing stops are aborted.
 */
// Four: with a page latency of 100 ms per 5,000 records (issue 39 §5), two ahead left the
// export at 0.78× of what its own work allows, four at 0.9× (npm run bench -- outcomes).
export const PAGES_AHEAD = 4;

/** A page request started (ahead of time, or when the page is needed). */
interface PageFetch {
  cursor: Cursor;
  /** Its buffer's generation (ArrayPageBodies: 1, 2, … in the order requests start). */
  generation: number;
  body: ArrayPageBody;
  response: Promise<HttpResponse>;
  abort: AbortController;
}

/**
 * The answer to a page's request. When the first page is refused (400) for its sort order, the
 * next order in SORT_ORDERS is asked (`ask`); only the first page may change the order (a later
 * change would reshuffle the offsets). Returns the request that was answered, with its cursor.
 */
async function answerOf(
  first: PageFetch,
  ask: (c: Cursor) => PageFetch,
): Promise<{ fetch: PageFetch; response: HttpResponse }> {
  let fetch = first;
  for (;;) {
    try {
      return { fetch, response: await fetch.response };
    } catch (error) {
      const cursor = fetch.cursor;
      const o = cursor.o ?? 0;
      if (!(error instanceof ValidationError) || cursor.skip !== 0 || o + 1 >= SORT_ORDERS.length)
        throw error;
      fetch = ask({ ...cursor, o: o + 1 });
    }
  }
}

/** A page with no record (204, or an empty body): the last. */
function emptyPage(response: HttpResponse): Omit<CallPage, "index" | "cursor"> {
  return {
    count: 0,
    nextToken: null,
    retries: response.attempts - 1,
    throttled: response.throttled,
    call: () => outOfRange(),
  };
}

/** `pages`, then `end()` when the listing stops (finished, failed or left early). */
async function* endingWith<T>(pages: AsyncGenerator<T>, end: () => void): AsyncGenerator<T> {
  try {
    yield* pages;
  } finally {
    end();
  }
}

/** Whether two pages hold exactly the same ids. */
const sameIds = (ids: Set<string>, previous: Set<string>): boolean =>
  ids.size === previous.size && [...ids].every((id) => previous.has(id));

/** The request for the page `c` names, its body streamed into `body`. */
function requestPage(
  api: ProductionApi,
  c: Cursor,
  body: ArrayPageBody,
  signal: AbortSignal,
): Promise<HttpResponse> {
  const selection = { startDate: c.from, endDate: c.to, skillId: c.skillId, mediaTypeId: PHONE_CALL };
  return requestCompletedPage(
    api,
    { ...selection, orderBy: SORT_ORDERS[c.o ?? 0] },
    { skip: c.skip, top: c.top },
    { bodySink: body.sink, signal },
  );
}

/**
 * One page's records screened before anything is parsed whole: the indexes of those in the
 * listing (outbound, started in [from, to), not repeated from the previous page) go into `keep`
 * (their disposition ids, index-aligned, into `dispositionIds`); `ids` is every id on the page.
 * A record whose screened fields are irregular is parsed; one that is not a JSON object is
 * refused even when it is screened out.
 */
function screenPage(
  body: ArrayPageBody,
  total: number,
  keep: Int32Array,
  previousIds: Set<string>,
  fromMs: number,
  toMs: number,
): { ids: Set<string>; count: number; dispositionIds: (string | undefined)[] } {
  const ids = new Set<string>();
  // Candidates' disposition ids, index-aligned with `keep` (names are resolved before filtering).
  const dispositionIds: (string | undefined)[] = [];
  let count = 0;
  const field = body.field;
  for (let i = 0; i < total; i++) {
    let idValue = field(i, ID);
    let isOutbound = field(i, OUTBOUND);
    let start = field(i, START);
    let startV23 = field(i, START_V23);
    let disposition = field(i, DISPOSITION);
    let parsed = false;
    if (
      idValue === IRREGULAR ||
      isOutbound === IRREGULAR ||
      start === IRREGULAR ||
      startV23 === IRREGULAR ||
      disposition === IRREGULAR
    ) {
      const record = parseRecord(body.text(i));
      parsed = true;
      idValue = record.contactId;
      isOutbound = record.isOutbound;
      start = record.contactStartDate;
      startV23 = record.contactStart;
      disposition = record.primaryDispositionId;
    }
    const id = text(idValue) ?? "";
    ids.add(id);
    if (previousIds.has(id) || !inListing(isOutbound, start, startV23, fromMs, toMs)) {
      // Never read by the consumer, but still refused when it is not a JSON object.
      if (!parsed) parseRecord(body.text(i));
      continue;
    }
    keep[count++] = i;
    dispositionIds.push(dispositionIdOf(disposition));
  }
  return { ids, count, dispositionIds };
}

export function productionOutcomes(api: ProductionApi, defaultPageSize: number): OutcomesPort {
  const callPages = (query: CallQuery, signal?: AbortSignal): AsyncGenerator<CallPage> =>
    completedCallPages(api, defaultPageSize, query, signal);
  return {
    callPages,
    listCalls: (query, signal) => callListing(() => callPages(query, signal)),
    changedCalls: (query, signal) => changedCalls(api, query, signal, defaultPageSize),
    changedCallPages: (query, signal) => changedCallPages(api, query, signal, defaultPageSize),
    checkCampaign: (campaignId, signal) => checkCampaignSkill(api, campaignId, signal),
  };
}

/**
 * The page requests of one listing: each into one of a few reused buffers, with those asked
 * ahead (see PAGES_AHEAD) kept by the skip they ask for.
 */
class PageRequests {
  /** The page read, the one after it (asked for while the first is read), and those asked ahead. */
  readonly buffers = PAGES_AHEAD + 2;
  private readonly bodies = new ArrayPageBodies(ENDPOINT, ARRAY_KEY, FILTER_KEYS, this.buffers);
  // Buffer generations begun, and that of the last page handed out (0: none yet), which its
  // reader may still be reading while the next page is fetched: a request asked ahead never
  // takes that page's buffer (generation g is reused by g + buffers).
  private begun = 0;
  private handedOut = 0;
  /** Requests started ahead of time, by the skip they ask for. */
  private readonly ahead = new Map<number, PageFetch>();

  private readonly api: ProductionApi;
  private readonly signal: AbortSignal | undefined;

  constructor(api: ProductionApi, signal: AbortSignal | undefined) {
    this.api = api;
    this.signal = signal;
  }

  /** A new request for `c`. */
  readonly ask = (c: Cursor): PageFetch => {
    const body = this.bodies.next();
    this.begun += 1;
    const abort = new AbortController();
    const signal = this.signal ? AbortSignal.any([this.signal, abort.signal]) : abort.signal;
    const response = requestPage(this.api, c, body, signal);
    return { cursor: c, generation: this.begun, body, response, abort };
  };

  /**
   * The request for `c`: the one asked ahead when it asked the same, else a new one. Pages
   * asked ahead for offsets before it will never be read: they are dropped.
   */
  take(c: Cursor): PageFetch {
    let found: PageFetch | undefined;
    for (const [skip, fetch] of this.ahead) {
      if (skip > c.skip) continue;
      this.ahead.delete(skip);
      if (skip === c.skip && fetch.cursor.top === c.top && (fetch.cursor.o ?? 0) === (c.o ?? 0))
        found = fetch;
      else fetch.abort.abort();
    }
    return found ?? this.ask(c);
  }

  /**
   * Asks for up to PAGES_AHEAD pages after `fetch`'s, from `next` at the stride `total` it had,
   * before the listing's end, never into the buffer of the page last handed out.
   */
  askAhead(fetch: PageFetch, next: number, total: number, totalRecords: number): void {
    const oldest = this.handedOut === 0 ? fetch.generation : this.handedOut;
    for (let k = 0, skip = next; k < PAGES_AHEAD && skip < totalRecords; k++, skip += total)
      if (!this.ahead.has(skip) && this.begun + 1 - oldest < this.buffers)
        this.ahead.set(skip, this.ask({ ...fetch.cursor, skip }));
  }

  handOut(fetch: PageFetch): void {
    this.handedOut = fetch.generation;
  }

  /** Aborts the requests still in flight (the listing stopped). */
  dropAhead(): void {
    for (const fetch of this.ahead.values()) fetch.abort.abort();
    this.ahead.clear();
  }
}

function completedCallPages(
  api: ProductionApi,
  defaultPageSize: number,
  query: CallQuery,
  signal?: AbortSignal,
): AsyncGenerator<CallPage> {
  const requests = new PageRequests(api, signal);
  const kept = [new Int32Array(1024), new Int32Array(1024)];
  // The one rule for a date-time with a zone: refused before anything is sent.
  const { from: fromMs, to: toMs } = queryInstants({ from: query.from, to: query.to });
  const codes = query.dispositionCodes?.length ? new Set(query.dispositionCodes) : null;
  const names = new DispositionNames(api, query.campaignId, signal);
  // Ids of the previous page: a record the next page repeats (rows shifted under the offset) is dropped.
  let previousIds = new Set<string>();
  let pageNumber = 0;
  const first: Cursor = {
    v: 1,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    skillId: query.campaignId,
    skip: 0,
    // TAP: "API is limited to 10K records per response".
    top: Math.min(query.pageSize ?? defaultPageSize, MAX_RECORDS_PER_RESPONSE),
  };
  const pages = followPageTokens(
    async (token) => {
      // An unknown or inbound skill is said so, not exported as 0 records.
      if (token === undefined) await checkCampaignSkill(api, query.campaignId, signal);
      // The page handed out before this one may still be read: each of the two keeps its own
      // list of the records kept.
      const slot = pageNumber++ & 1;
      const { fetch, response } = await answerOf(
        requests.take(token === undefined ? first : decodeCursor(token, query)),
        requests.ask,
      );
      const { cursor, body } = fetch;
      if (response.status === 204 || body.byteLength() === 0) return emptyPage(response);
      const rest = body.index(response.status);
      // These listings count a debt's calls: a 200 whose records are not under completedContacts
      // (in resultSet or at the top) is unreadable, never "no calls" (the index leaves the
      // array, emptied, in `rest` where it found one).
      listIn({ status: response.status, body: rest }, ENDPOINT, [ARRAY_KEY]);
      const total = body.count;
      if (kept[slot]!.length < total) kept[slot] = new Int32Array(total);
      const keep = kept[slot]!;
      const {
        ids,
        count: screened,
        dispositionIds,
      } = screenPage(body, total, keep, previousIds, fromMs, toMs);
      // Every id of a later page already on the one before: the tenant answered the same page
      // again (it ignores skip). totalRecords would end the loop, but with the first page only.
      if (cursor.skip > 0 && total > 0 && sameIds(ids, previousIds))
        throw repeatedPageError(ENDPOINT, `skip ${cursor.skip}`, cursor.skip);
      previousIds = ids;
      await names.resolve(dispositionIds.filter((d): d is string => d !== undefined));
      const count = codes === null ? screened : keepCodes(keep, screened, dispositionIds, names, codes);
      const next = nextSkip({ items: total, skip: cursor.skip, top: cursor.top, body: rest });
      const totalRecords = num(rest.totalRecords);
      // The next pages, at the stride this page had, when the listing says where it ends.
      if (next !== null && totalRecords !== undefined && next === cursor.skip + total)
        requests.askAhead(fetch, next, total, totalRecords);
      requests.handOut(fetch);
      return {
        count,
        nextToken: next === null ? null : encodeCursor({ ...cursor, skip: next }),
        retries: response.attempts - 1,
        throttled: response.throttled,
        call(i: number): OutboundCall {
          if (!(i >= 0 && i < count)) outOfRange();
          return completedCallOf(parseRecord(body.text(keep[i]!)), ENDPOINT, (d) => names.nameOf(d));
        },
      };
    },
    { startToken: query.startToken, route: ENDPOINT },
  );
  return endingWith(pages, () => requests.dropAhead());
}

/** Keeps, in place, the first `count` records whose disposition is asked for; returns how many. */
function keepCodes(
  keep: Int32Array,
  count: number,
  dispositionIds: (string | undefined)[],
  names: DispositionNames,
  codes: Set<string>,
): number {
  let kept = 0;
  for (let k = 0; k < count; k++) if (hasCode(dispositionIds[k], names, codes)) keep[kept++] = keep[k]!;
  return kept;
}

function parseRecord(json: string): Raw {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new UnreadableAnswerError(ENDPOINT, `a contact record in JSON (${(error as Error).message})`);
  }
  if (!isObject(value))
    throw new UnreadableAnswerError(ENDPOINT, "a contact record that is an object", { body: value });
  return value;
}

function outOfRange(): never {
  throw new RangeError("record index out of range");
}
