import { mkdirSync } from "node:fs";
import path from "node:path";
import { AuditLog } from "../audit/audit-log.ts";
import { Outbox } from "../outbox/queue.ts";
import { Journal } from "./journal.ts";
import { KeyValueStore } from "./kv.ts";
import { migrate } from "./migrations.ts";
import { SeenIds } from "./seen-ids.ts";
import { openSqliteDb } from "./sqlite-db.ts";

/**
 * The durable local store, as callers see it: the journal, the audit log, the outbox and
 * checkpoints. Nothing here is SQLite-specific; a PostgreSQL-backed store will have the same
 * shape (the parts are written against the `SqlDb` seam in sql.ts).
 */
export interface Store {
  /** Where the data lives (a file path for SQLite). */
  readonly location: string;
  readonly journal: Journal;
  readonly audit: AuditLog;
  readonly outbox: Outbox;
  readonly kv: KeyValueStore;
  /** Webhook ids already received (replay protection that survives restarts). */
  readonly seenIds: SeenIds;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Default actor (the CXone client id) for journaled operations. */
  actor?: string;
  /** `full` (default) fsyncs every commit; see sqlite-db.ts for why. */
  synchronous?: "full" | "normal";
  busyTimeoutMs?: number;
}

export const STORE_FILE = "cxo.sqlite";

/** Opens (creating the directory and schema on first use) the store in `dataDir`. */
export async function openStore(dataDir: string, options: OpenStoreOptions = {}): Promise<Store> {
  mkdirSync(dataDir, { recursive: true });
  const location = path.join(dataDir, STORE_FILE);
  const db = openSqliteDb(location, {
    ...(options.synchronous ? { synchronous: options.synchronous } : {}),
    ...(options.busyTimeoutMs ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
  });
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const outbox = new Outbox(db);
  return {
    location,
    journal: new Journal(db, outbox, options.actor ?? null),
    audit: new AuditLog(db),
    outbox,
    kv: new KeyValueStore(db),
    seenIds: new SeenIds(db),
    close: () => db.close(),
  };
}
