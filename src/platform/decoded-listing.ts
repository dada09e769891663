import { Paginated } from "../core/http/pagination.ts";
import type { CallPage, Contact, ContactPage, OutboundCall } from "./types.ts";

/**
 * A listing by item from pages decoded on demand (CallPage, ContactPage), for any adapter:
 * each page's records decoded into a page of objects (small listings and iteration by item;
 * big exports and scrubs read the pages themselves).
 */
function decodedListing<P extends { count: number; index: number }, T>(
  pages: () => AsyncGenerator<P>,
  item: (page: P, i: number) => T,
  position: (page: P) => { nextToken?: string | null | undefined; cursor: string | number | undefined },
): Paginated<T> {
  return new Paginated(async function* () {
    for await (const page of pages()) {
      const items = new Array<T>(page.count);
      for (let i = 0; i < page.count; i++) items[i] = item(page, i);
      yield { items, index: page.index, ...position(page) };
    }
  });
}

export function callListing(pages: () => AsyncGenerator<CallPage>): Paginated<OutboundCall> {
  return decodedListing(
    pages,
    (page, i) => page.call(i),
    (page) => ({ nextToken: page.nextToken, cursor: page.cursor }),
  );
}

export function contactListing(pages: () => AsyncGenerator<ContactPage>): Paginated<Contact> {
  return decodedListing(
    pages,
    (page, i) => page.contact(i),
    (page) => ({ cursor: page.cursor }),
  );
}
