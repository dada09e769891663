import type { SqlDb, Store } from "../../core/store/index.ts";

/**
 * The store's SQL connection, for the compliance tables (migration 2). `Store` does not expose
 * its `SqlDb` yet; every part of it (kv, audit, journal) holds the same one, so we borrow the
 * key/value store's rather than open a second connection (which would have its own write lock
 * and lifetime). Replace with `store.sql` once the store exposes it.
 */
export function sqlOf(store: Store): SqlDb {
  const db = (store.kv as unknown as { db?: SqlDb }).db;
  if (!db || typeof db.transaction !== "function")
    throw new Error("compliance: the store does not expose its SQL connection (core/store changed shape)");
  return db;
}
