import type { ConsentBook } from "../consent/book.ts";
import type { Store } from "../core/store/index.ts";
import type { CliContext } from "./context.ts";
import { sellerPeerNames } from "./seller-tenants.ts";

/**
 * `consent revoke|import` where no CXone connection is configured: a consumer's "stop" must be
 * recordable wherever cxo runs, and the SDK's client needs a connection. So the command records
 * through a book of this data dir's store and settings alone (consent/book.ts; revoke, import
 * and decide in compliance/revocation-intake.ts): refused by
 * cxo at once, CXone's part pending until `consent honour` runs with a connection. Scope `all`
 * reaches the stores of the seller's other configured tenants the same way. Every store opened is
 * closed afterwards.
 */
export async function withOfflineBook<T>(ctx: CliContext, fn: (book: ConsentBook) => Promise<T>): Promise<T> {
  const { openStore } = await import("../core/store/index.ts");
  const opened: Store[] = [];
  const bookOf = async (context: CliContext): Promise<ConsentBook> => {
    const settings = await context.settings();
    let store: Promise<Store> | undefined;
    return {
      tenant: settings.tenant,
      actor: ctx.actor(),
      cxoneDncGroup: settings.consent.cxoneDncGroup,
      store: () => {
        store ??= openStore(settings, { actor: ctx.actor() }).then((s) => {
          opened.push(s);
          return s;
        });
        return store;
      },
    };
  };
  const book: ConsentBook = {
    ...(await bookOf(ctx)),
    peers: async () => Promise.all((await sellerPeerNames(ctx)).map((name) => bookOf(ctx.forTenant(name)))),
  };
  try {
    return await fn(book);
  } finally {
    for (const store of opened) await store.close();
  }
}
