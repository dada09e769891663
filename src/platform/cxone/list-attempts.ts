import { pathOf } from "../../core/http/http-client.ts";
import { IncompleteListingError } from "../errors.ts";
import type { ListAttempt } from "../ports/lists.ts";
import { queryInstants } from "../query-instants.ts";
import { listIn } from "./answer-shapes.ts";
import type { ProductionApi } from "./api.ts";
import { e164Of } from "./call-lists.ts";
import { RepeatedPages } from "./paging.ts";
import { bool, isObject, type Raw, skipOfNextLink, text } from "./tolerant.ts";

const ROUTE = "GET /lists/call-lists/{listId}/attempts";

/**
 * Attempts a page: NICE's sample request for this route (DZ `DownloadCallingListAttemptsRequest`)
 * takes `updatedSince, finalized, fields, skip, top, orderBy`, and its answer carries `_links`
 * (self, next, previous) — the platform's skip/top paging, whose pages hold at most 10,000 (TAP,
 * for `/contacts/completed`; the generated client declares no cap here). Asked without `top`, a
 * list's dials came back as one answer, past the 32 MiB any answer may have from about 155,000
 * dials on: from then on no plan or push of the business unit could count them (issue 100 §4).
 */
export const ATTEMPTS_TOP = 10_000;

/**
 * A list's dials, a page at a time (each page's bytes well under the answer bound, in constant
 * memory whatever the list's size), from `updatedSince` when given (a count needs nothing
 * older: a dial's record changes at or after its call, so every dial of a window is at or after
 * the window's start; a tenant that ignores the parameter answers more, which the reader
 * filters). A compliance read (the dials a push, plan or check counts): a page that cannot be
 * read is an UnreadableAnswerError, a page answered twice (a tenant ignoring `skip`) an
 * IncompleteListingError — never a listing quietly cut short.
 *
 * When it ends: an empty page; a full page always asks for the next. A short page ends it unless
 * `_links.next` or `totalRecords` says there is more (a tenant capping `top` silently below what
 * was asked). `totalRecords` alone never ends a full page: in NICE's models this answer's
 * `resultSet` carries the LIST's summary (`totalRecords` beside `validRecords`,
 * `finalizedRecords`…), which counts records, not dials — a list of 10,000 records dialled three
 * times would have stopped at a third.
 */
export async function* listAttemptPages(
  api: ProductionApi,
  listId: string,
  options: { updatedSince?: string | undefined; signal?: AbortSignal | undefined } = {},
): AsyncGenerator<ListAttempt[]> {
  // The one rule for a date-time with a zone: refused before anything is sent (sent as given).
  queryInstants({}, { updatedSince: options.updatedSince });
  const repeated = new RepeatedPages();
  let skip: number | null = 0;
  let read = 0;
  while (skip !== null) {
    const answer = await api.request({
      method: "GET",
      path: pathOf`/lists/call-lists/${listId}/attempts`,
      endpoint: ROUTE,
      group: "campaigns",
      query: {
        ...(options.updatedSince === undefined ? {} : { updatedSince: options.updatedSince }),
        skip,
        top: ATTEMPTS_TOP,
      },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    // A compliance path (issue 76: the dials a push is judged with): an answer without its
    // attempts is unreadable, never "no dials".
    const page = listIn(answer, ROUTE, ["contactAttempts"]);
    if (repeated.seenBefore(page.items))
      throw new IncompleteListingError(ROUTE, "repeated-page", {
        read,
        detail: `the page at skip ${skip} repeats an earlier page (this tenant seems to ignore skip): ${read} dial(s) read`,
      });
    read += page.items.length;
    if (page.items.length > 0) yield page.items.map(attemptOf);
    skip = nextAttemptsSkip(skip, page.items.length, page.total, answer.body);
  }
}

/** Where the next page starts, or null (see listAttemptPages: when it ends). */
function nextAttemptsSkip(
  skip: number,
  items: number,
  total: number | undefined,
  body: unknown,
): number | null {
  if (items === 0) return null;
  const reached = skip + items;
  if (items >= ATTEMPTS_TOP) return reached;
  const container = isObject(body) ? (isObject(body.resultSet) ? body.resultSet : body) : {};
  const links = isObject(container._links)
    ? container._links
    : isObject(body) && isObject(body._links)
      ? body._links
      : undefined;
  const fromLink = skipOfNextLink(links?.next);
  if (fromLink !== undefined && fromLink > skip) return fromLink;
  return total !== undefined && total > reached ? reached : null;
}

export function attemptOf(raw: Raw): ListAttempt {
  const phone = text(raw.formattedPhone);
  return {
    recordId: text(raw.externalId) ?? "",
    phone: phone ? e164Of(phone) : "",
    at: text(raw.dateOfCall) ?? "",
    requestedAt: text(raw.callRequestDate),
    outcome: text(raw.systemClassName),
    disposition: text(raw.agentDispDesc),
    agentId: text(raw.agentId),
    contactId: text(raw.contactId),
    deliveredAsCallback: bool(raw.deliveredAsCallback ?? raw.icDeliveredAsCallback),
  };
}
