import { createHash } from "node:crypto";
import type { EndpointGroup } from "../../core/http/group-names.ts";
import type { QueryValue } from "../../core/http/http-client.ts";
import { IncompleteListingError } from "../errors.ts";
import { listIn, totalOf } from "./answer-shapes.ts";
import type { ProductionApi } from "./api.ts";
import { isObject, listOf, num, type Raw, skipOfNextLink } from "./tolerant.ts";

/** Whether an answer holds the list under `key` (at the top or in `resultSet`), even empty. */
function hasList(body: unknown, key: string): boolean {
  if (!isObject(body)) return false;
  const inner = isObject(body.resultSet) ? body.resultSet : body;
  return Array.isArray(inner[key]) || Array.isArray(body[key]);
}

/**
 * The platform's list paging: `skip`/`top` query parameters, an envelope with `totalRecords`
 * and an absolute `_links.next` (null on the last page), and 204 with no body for an empty page.
 * `totalRecords`, when sent, decides the end (a server may cap `top` silently); else
 * `_links.next`; else a short page. It never asks for the same skip twice. Admin lists ask for
 * at most 100 (MCP: a larger `top` may be capped silently).
 */
export const ADMIN_TOP = 100;
export interface SkipTopRequest {
  path: string;
  endpoint: string;
  group: EndpointGroup;
  /** The array's key in the envelope (`skills`, `dispositions`, …). */
  key: string;
  /**
   * Issue 75 §1, issue 78 M4: a listing a compliance decision rests on. Its array may sit under
   * `key` or any of `keys` (inside `resultSet` or at the top), and any page it cannot read is an
   * UnreadableAnswerError; a repeated page, a `totalRecords` that changes from page to page, or
   * fewer items than the first page's `totalRecords` is an IncompleteListingError — never a
   * listing quietly cut short.
   */
  strict?: { keys: readonly string[] };
  query?: Record<string, QueryValue>;
  top?: number;
  /** Another API version than the pinned one (`v12.0` for a skill's dispositions, skill-dispositions.ts). */
  version?: string;
  signal?: AbortSignal | undefined;
  /**
   * The tenant profile says this tenant ignores `skip` on admin lists (doctor's `ignoreSkip`):
   * one page is read, and the listing is said to be cut short there.
   */
  ignoresSkip?: boolean;
  /**
   * Told when the listing stops before its end because the tenant ignores `skip` (a page came
   * back that had already come, or the profile says so): what was read is all there is to use.
   */
  onCutShort?: (cut: CutShort) => void;
}

/** A listing read only in part: the tenant ignores `skip` on it (issue 50 §5). */
export interface CutShort {
  endpoint: string;
  /** Items read (the distinct pages before the first repeated one). */
  items: number;
  /** How it was known: a page came back twice, or the tenant profile says so. */
  by: "repeated-page" | "profile";
}

export interface PageEnd {
  items: number;
  skip: number;
  top: number;
  body: unknown;
}

/** Where the next page starts, or null when this page was the last. */
export function nextSkip(page: PageEnd): number | null {
  if (page.items === 0) return null;
  const body = isObject(page.body) ? page.body : {};
  const links = isObject(body._links) ? body._links : undefined;
  // `totalRecords` at the top, or beside the list in `resultSet` (calljacob's DNC records).
  const total = num(body.totalRecords) ?? totalOf(body);
  const reached = page.skip + page.items;
  // `totalRecords` wins: a page shorter than asked (a silently capped `top`) is not the last.
  if (total !== undefined) return reached >= total ? null : reached;
  if (links && "next" in links && (links.next === null || links.next === "")) return null;
  const fromLink = skipOfNextLink(links?.next);
  if (fromLink !== undefined) return fromLink > page.skip ? fromLink : null;
  return page.items < page.top ? null : reached;
}

/**
 * A listing that answered a page it had already answered: a tenant that ignores `skip`/`top`
 * (GEN's `/tags` declares no query at all) would otherwise be asked the same page forever, or,
 * where `totalRecords` bounds the loop, quietly give its first page N times for N pages.
 */
export function repeatedPageError(
  endpoint: string,
  where: string,
  /** Items read before the repeated page. */
  read: number,
): IncompleteListingError {
  return new IncompleteListingError(endpoint, "repeated-page", {
    read,
    detail: `it returned a page it had already returned (${where}): this tenant seems to ignore skip/top on this list, so the rest of it cannot be read; stopping rather than looping or reading the same records again (${read} item(s) read)`,
  });
}

/** Remembers each page's fingerprint; the second sight of one is a repeated page. */
export class RepeatedPages {
  private readonly seen = new Set<string>();

  /** Whether this page was seen before (then it is not remembered again). */
  seenBefore(items: readonly Raw[]): boolean {
    if (items.length === 0) return false;
    const fingerprint = createHash("sha256").update(JSON.stringify(items)).digest("base64url");
    if (this.seen.has(fingerprint)) return true;
    this.seen.add(fingerprint);
    return false;
  }
}

/**
 * An admin list's pages. A tenant that ignores `skip` (doctor's `ignoreSkip`) answers its first
 * page again for every page: reading stops at the first repeated page and what was read is used
 * (`onCutShort` says so; a lookup that misses in it says why); with the tenant profile saying
 * so, one page is read.
 */
export async function* skipTopPages(api: ProductionApi, request: SkipTopRequest): AsyncGenerator<Raw[]> {
  if (request.strict) {
    yield* strictPages(api, request, request.strict.keys);
    return;
  }
  const top = Math.min(request.top ?? ADMIN_TOP, ADMIN_TOP);
  const repeated = new RepeatedPages();
  let skip: number | null = 0;
  let read = 0;
  while (skip !== null) {
    const response = await pageAt(api, request, skip, top);
    const items = response.status === 204 ? [] : listOf(response.body, request.key);
    if (response.status !== 204 && items.length === 0 && !hasList(response.body, request.key))
      api.fallback(request.endpoint, `no ${request.key} array`);
    if (repeated.seenBefore(items)) {
      request.onCutShort?.({ endpoint: request.endpoint, items: read, by: "repeated-page" });
      return;
    }
    read += items.length;
    if (items.length > 0) yield items;
    skip = nextSkip({ items: items.length, skip, top, body: response.body });
    if (skip !== null && request.ignoresSkip) {
      request.onCutShort?.({ endpoint: request.endpoint, items: read, by: "profile" });
      return;
    }
  }
}

/** One page of a skip/top listing (both pagers: the lenient one and the compliance one). */
function pageAt(api: ProductionApi, request: SkipTopRequest, skip: number, top: number) {
  return api.request({
    method: "GET",
    path: request.path,
    endpoint: request.endpoint,
    group: request.group,
    query: { ...request.query, skip, top },
    ...(request.version ? { version: request.version } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
}

/** Every item of a (small) list. */
export async function allItems(api: ProductionApi, request: SkipTopRequest): Promise<Raw[]> {
  const out: Raw[] = [];
  for await (const items of skipTopPages(api, request)) out.push(...items);
  return out;
}

/** A compliance listing's pages (`strict`): every page read or the listing fails, naming why. */
async function* strictPages(
  api: ProductionApi,
  request: SkipTopRequest,
  keys: readonly string[],
): AsyncGenerator<Raw[]> {
  const route = request.endpoint;
  const top = Math.min(request.top ?? ADMIN_TOP, ADMIN_TOP);
  const repeated = new RepeatedPages();
  let skip: number | null = 0;
  let read = 0;
  let said: number | undefined;
  while (skip !== null) {
    const response = await pageAt(api, request, skip, top);
    const page = listIn(response, route, keys);
    if (repeated.seenBefore(page.items))
      throw new IncompleteListingError(route, "repeated-page", {
        read,
        expected: said,
        detail: `the page at skip ${skip} repeats an earlier page (this tenant seems to ignore skip): ${read} item(s) read${said === undefined ? "" : ` of ${said}`}`,
      });
    if (page.total !== undefined) {
      if (said !== undefined && page.total !== said)
        throw new IncompleteListingError(route, "count-changed", {
          read,
          expected: said,
          detail: `totalRecords changed from ${said} to ${page.total} while the listing was read (items added or deleted shift the pages, so some may have been missed)`,
        });
      said ??= page.total;
    }
    read += page.items.length;
    if (page.items.length > 0) yield page.items;
    skip = nextSkip({ items: page.items.length, skip, top, body: response.body });
  }
  if (said !== undefined && read < said)
    throw new IncompleteListingError(route, "fewer-than-said", {
      read,
      expected: said,
      detail: `${read} item(s) read where totalRecords said ${said}`,
    });
}
