import { Paginated } from "../core/http/pagination.ts";
import type { CallPage, OutboundCall } from "./types.ts";

/**
 * `listCalls` from `callPages`, for any adapter: each page's records decoded into a page of
 * objects (small listings and iteration by item; big exports read the pages themselves).
 */
export function callListing(pages: () => AsyncGenerator<CallPage>): Paginated<OutboundCall> {
  return new Paginated(async function* () {
    for await (const page of pages()) {
      const items = new Array<OutboundCall>(page.count);
      for (let i = 0; i < page.count; i++) items[i] = page.call(i);
      yield { items, nextToken: page.nextToken, index: page.index, cursor: page.cursor };
    }
  });
}
