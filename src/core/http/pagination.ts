import { CxoError } from "../cxo-error.ts";
import { InputError } from "../input-error.ts";
import { IncompleteListingError } from "./errors.ts";
/**
 * Paged listings as async iterators, in constant memory: one page is held at a time.
 *
 *   for await (const call of port.outcomes.listCalls(query)) …          // items
 *   for await (const page of port.outcomes.listCalls(query).pages()) …  // pages, to checkpoint
 *
 * Both styles the seeds use: an opaque `nextPageToken`, and 1-based page numbers with a page
 * size (the last page is the first one shorter than the page size). A server that hands back a
 * token it already gave is stopped, not followed round in circles.
 */
export interface Page<T> {
  items: T[];
  /** Token-style: the token for the next page; absent/null/"" on the last page. */
  nextToken?: string | null | undefined;
}

export interface PageInfo<T> extends Page<T> {
  /** 0-based index of the page in this listing. */
  index: number;
  /** Token that fetched this page (undefined for the first page), or its page number. */
  cursor: string | number | undefined;
}

/**
 * A token-paged listing whose server handed back a page token it had already given: the same
 * condition, class and code as a page answered twice on CXone (an IncompleteListingError,
 * `cxone_listing_incomplete`, `reason: "repeated-page"`); this subclass keeps its older name.
 */
export class RepeatedPageTokenError extends IncompleteListingError {
  override name = "RepeatedPageTokenError";

  constructor(route = "a token-paged listing", counts: { read: number; detail?: string } = { read: 0 }) {
    super(route, "repeated-page", counts);
  }
}

export class ListingTooLargeError extends CxoError {
  override readonly name = "ListingTooLargeError";
  readonly code = "listing_too_large" as const;
}

/** Most items `toArray()` collects when not given a limit. */
export const TO_ARRAY_CAP = 100_000;

/** Remembering every token would grow with the listing; this many is plenty to catch cycles. */
const REMEMBERED_TOKENS = 10_000;

/** How much of a listing `toArray` collects. */
export interface ToArrayOptions {
  /** At most this many items (the first ones); without it, the whole listing up to TO_ARRAY_CAP. */
  limit?: number;
}

/**
 * A listing to iterate (`for await (const item of list)`, one page held at a time, the next
 * fetched as the loop asks for it) or to collect with a cap (`await list.toArray({ limit })`).
 */
export interface AsyncList<T> extends AsyncIterable<T> {
  /**
   * Collects the first `limit` items, fetching no page beyond the one that holds the last of
   * them. Without a limit, collects the whole listing up to TO_ARRAY_CAP items and fails past
   * it (ListingTooLargeError): big listings are to be iterated, not held in memory by accident.
   * A bare number is the limit (the older form).
   */
  toArray(options?: ToArrayOptions | number): Promise<T[]>;
}

/** `toArray` of any async iterable, with AsyncList's cap. */
export async function collect<T>(items: AsyncIterable<T>, options?: ToArrayOptions | number): Promise<T[]> {
  const limit = typeof options === "number" ? options : options?.limit;
  if (limit !== undefined && !(typeof limit === "number" && limit >= 0 && !Number.isNaN(limit)))
    throw new InputError({ field: "limit", rule: "must be a number of items, 0 or more" });
  const out: T[] = [];
  if (limit !== undefined && limit <= 0) return out;
  for await (const item of items) {
    if (limit === undefined && out.length >= TO_ARRAY_CAP) {
      throw new ListingTooLargeError(
        `the listing has more than ${TO_ARRAY_CAP} items; iterate it (for await) or pass toArray a limit`,
      );
    }
    out.push(item);
    if (out.length === limit) break;
  }
  return out;
}

/** An AsyncList over items that do not come in pages the caller sees (e.g. judged contacts). */
export class ItemList<T> implements AsyncList<T> {
  private readonly source: () => AsyncGenerator<T>;

  constructor(source: () => AsyncGenerator<T>) {
    this.source = source;
  }

  [Symbol.asyncIterator](): AsyncGenerator<T> {
    return this.source();
  }

  toArray(options?: ToArrayOptions | number): Promise<T[]> {
    return collect(this, options);
  }
}

export class Paginated<T> implements AsyncList<T> {
  private readonly source: () => AsyncGenerator<PageInfo<T>>;

  constructor(source: () => AsyncGenerator<PageInfo<T>>) {
    this.source = source;
  }

  pages(): AsyncGenerator<PageInfo<T>> {
    return this.source();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for await (const page of this.source()) yield* page.items;
  }

  toArray(options?: ToArrayOptions | number): Promise<T[]> {
    return collect(this, options);
  }
}

export function paginateByToken<T>(
  fetchPage: (token: string | undefined) => Promise<Page<T>>,
  options: TokenWalkOptions = {},
): Paginated<T> {
  return new Paginated(() => followPageTokens(fetchPage, options));
}

/** Where a token walk starts, and the request it reads (named when a token comes back twice). */
export interface TokenWalkOptions {
  startToken?: string | undefined;
  /** The request, as the adapter labels it ("GET /api/v1/audit/logs"). */
  route?: string | undefined;
}

/**
 * The token walk behind paginateByToken, for pages of any shape that carry `nextToken` (e.g.
 * pages decoded on demand): each page is yielded with its index and the token that fetched it.
 */
export async function* followPageTokens<P extends { nextToken?: string | null | undefined }>(
  fetchPage: (token: string | undefined) => Promise<P>,
  options: TokenWalkOptions = {},
): AsyncGenerator<P & { index: number; cursor: string | undefined }> {
  const seen = new Set<string>();
  let token = options.startToken;
  let read = 0;
  for (let index = 0; ; index += 1) {
    const page = await fetchPage(token);
    const { items, count } = page as { items?: unknown; count?: unknown };
    read += Array.isArray(items) ? items.length : typeof count === "number" ? count : 0;
    yield { ...page, index, cursor: token };
    const next = page.nextToken;
    if (next === undefined || next === null || next === "") return;
    if (seen.has(next) || next === token) {
      throw new RepeatedPageTokenError(options.route, {
        read,
        detail: `the server returned page token "${next}" a second time; stopping to avoid a loop`,
      });
    }
    if (seen.size >= REMEMBERED_TOKENS) seen.clear();
    seen.add(next);
    token = next;
  }
}

export function paginateByPageNumber<T>(
  fetchPage: (page: number, pageSize: number) => Promise<Page<T>>,
  options: { pageSize: number; startPage?: number; maxPages?: number },
): Paginated<T> {
  return new Paginated(async function* () {
    const pages = followPageNumbers(async (page, pageSize) => {
      const result = await fetchPage(page, pageSize);
      return { ...result, count: result.items.length };
    }, options);
    for await (const { count: _count, ...page } of pages) yield page;
  });
}

/**
 * The page-number walk behind paginateByPageNumber, for pages of any shape that say how many
 * items they hold (e.g. pages decoded on demand): 1-based pages of `pageSize` until the first
 * shorter one, each yielded with its index and its page number.
 */
export async function* followPageNumbers<P extends { count: number }>(
  fetchPage: (page: number, pageSize: number) => Promise<P>,
  options: { pageSize: number; startPage?: number; maxPages?: number },
): AsyncGenerator<P & { index: number; cursor: number }> {
  const { pageSize } = options;
  const first = options.startPage ?? 1;
  const maxPages = options.maxPages ?? 1_000_000;
  for (let page = first, index = 0; index < maxPages; page += 1, index += 1) {
    const result = await fetchPage(page, pageSize);
    yield { ...result, index, cursor: page };
    if (result.count < pageSize) return;
  }
}

/**
 * Asks for page n+1 as soon as page n is handed out, so the next answer arrives while the
 * caller works on this one; each page comes with how long the caller waited for it. (With
 * pages in two reused buffers, as ArrayPageBodies keeps them, page n must be done with before
 * the caller asks for the page after it: that request starts page n+2 in page n's buffer.)
 */
export async function* prefetched<P>(
  pages: AsyncGenerator<P>,
): AsyncGenerator<{ page: P; latencyMs: number }> {
  const fetchNext = () => {
    const at = performance.now();
    const promise = pages.next().then((result) => ({ result, latencyMs: performance.now() - at }));
    promise.catch(() => {}); // observed when awaited below; never an unhandled rejection
    return promise;
  };
  let next = fetchNext();
  try {
    for (;;) {
      const { result, latencyMs } = await next;
      if (result.done) return;
      next = fetchNext();
      yield { page: result.value, latencyMs };
    }
  } finally {
    await pages.return(undefined).catch(() => {});
  }
}
