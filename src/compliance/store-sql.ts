import type { SqlDb, Store } from "../core/store/index.ts";

/** The store's SQL connection, for the compliance tables (migration 2). */
export function sqlOf(store: Store): SqlDb {
  return store.db;
}
