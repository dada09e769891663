import type { HttpResponse, QueryValue } from "../../core/http/http-client.ts";
import type { BodySink } from "../../core/http/transport.ts";
import type { ProductionApi } from "./api.ts";

/** CXone's completed contacts (`GET /contacts/completed`): what its window and incremental listings share. */
export const ENDPOINT = "GET /contacts/completed";
/** The array of records in an answer. */
export const ARRAY_KEY = "completedContacts";
/** `mediaTypeId` of a phone call. */
export const PHONE_CALL = 4;
/** TAP: the platform answers at most about 10,000 records per response. */
export const MAX_RECORDS_PER_RESPONSE = 10_000;

/**
 * One page of the listing: `selection` names the contacts and their order (the window's dates and
 * skill, or the changes since an instant), then tags and the page. The answer is observed when
 * the page is taken: a page asked ahead and dropped is never an unhandled rejection.
 */
export function requestCompletedPage(
  api: ProductionApi,
  selection: Record<string, QueryValue>,
  page: { skip: number; top: number },
  options: { signal: AbortSignal; bodySink?: BodySink },
): Promise<HttpResponse> {
  const response = api.request({
    method: "GET",
    path: "/contacts/completed",
    endpoint: ENDPOINT,
    group: "outcomes",
    // GEN: tags come only when asked for.
    query: { ...selection, tags: true, skip: page.skip, top: page.top },
    ...options,
  });
  response.catch(() => {});
  return response;
}
