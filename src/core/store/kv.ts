import { clockNowDate } from "../clock/now.ts";
import { assertLeaseHeld, type Lease } from "./leases.ts";
import type { SqlDb, SqlExecutor } from "./sql.ts";
/**
 * Small named checkpoints (export resume tokens, bulk-job progress), as JSON values. This module
 * owns the `kv` table (core/store/tables.ts): `KeyValueStore` (`store.kv`) reads and writes one
 * checkpoint a transaction; the functions below take the caller's handle, so a write commits with
 * the work it records (a transaction's `tx`) and a read inside a transaction sees what it wrote.
 */
export interface Checkpoint {
  namespace: string;
  key: string;
  value: unknown;
}

const UPSERT = `INSERT INTO kv (namespace, key, value, updated_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;

/** Writes (or replaces) checkpoints through `tx`. */
export async function setCheckpoints(tx: SqlExecutor, checkpoints: readonly Checkpoint[]): Promise<void> {
  const now = clockNowDate().toISOString();
  for (const { namespace, key, value } of checkpoints)
    await tx.run(UPSERT, [namespace, key, JSON.stringify(value ?? null), now]);
}

/**
 * Writes the checkpoint only where its key holds none (two processes making the same value at
 * once: the first write wins, and each reads back the one kept). True when this one was written.
 */
export async function addCheckpoint(
  tx: SqlExecutor,
  { namespace, key, value }: Checkpoint,
): Promise<boolean> {
  const result = await tx.run(
    "INSERT INTO kv (namespace, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (namespace, key) DO NOTHING",
    [namespace, key, JSON.stringify(value ?? null), clockNowDate().toISOString()],
  );
  return result.changes > 0;
}

/** One checkpoint's value read through `db` (undefined: none). */
export async function getCheckpoint<T = unknown>(
  db: SqlExecutor,
  namespace: string,
  key: string,
): Promise<T | undefined> {
  const row = await db.get<{ value: string }>("SELECT value FROM kv WHERE namespace = ? AND key = ?", [
    namespace,
    key,
  ]);
  return row ? (JSON.parse(row.value) as T) : undefined;
}

/** Removes a checkpoint through `tx`; true when there was one (false: another process removed it first). */
export async function deleteCheckpoint(tx: SqlExecutor, namespace: string, key: string): Promise<boolean> {
  const result = await tx.run("DELETE FROM kv WHERE namespace = ? AND key = ?", [namespace, key]);
  return result.changes > 0;
}

/** Whether the namespace holds any checkpoint (one row read at most). */
export async function holdsCheckpoints(db: SqlExecutor, namespace: string): Promise<boolean> {
  return (await db.get("SELECT 1 AS found FROM kv WHERE namespace = ? LIMIT 1", [namespace])) !== undefined;
}

export class KeyValueStore {
  private readonly db: SqlDb;
  private readonly fence: Lease | undefined;

  constructor(db: SqlDb, fence?: Lease) {
    this.db = db;
    this.fence = fence;
  }

  /** The same checkpoints, written only while `lease` holds (see Journal.withFence). */
  withFence(lease: Lease): KeyValueStore {
    return new KeyValueStore(this.db, lease);
  }

  get<T = unknown>(namespace: string, key: string): Promise<T | undefined> {
    return getCheckpoint<T>(this.db, namespace, key);
  }

  /** The values of `keys` found in the namespace (absent keys are not in the map), a few hundred a query. */
  async getMany<T = unknown>(namespace: string, keys: Iterable<string>): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    const wanted = [...new Set(keys)];
    for (let i = 0; i < wanted.length; i += 500) {
      const part = wanted.slice(i, i + 500);
      const rows = await this.db.all<{ key: string; value: string }>(
        `SELECT key, value FROM kv WHERE namespace = ? AND key IN (${part.map(() => "?").join(", ")})`,
        [namespace, ...part],
      );
      for (const row of rows) found.set(row.key, JSON.parse(row.value) as T);
    }
    return found;
  }

  set(namespace: string, key: string, value: unknown): Promise<void> {
    return this.db.transaction(async (tx) => {
      if (this.fence) await assertLeaseHeld(tx, this.fence);
      await setCheckpoints(tx, [{ namespace, key, value }]);
    });
  }

  delete(namespace: string, key: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (this.fence) await assertLeaseHeld(tx, this.fence);
      return deleteCheckpoint(tx, namespace, key);
    });
  }

  async list(namespace: string): Promise<Array<{ key: string; value: unknown; updatedAt: string }>> {
    const rows = await this.db.all<{ key: string; value: string; updated_at: string }>(
      "SELECT key, value, updated_at FROM kv WHERE namespace = ? ORDER BY key",
      [namespace],
    );
    return rows.map((row) => ({ key: row.key, value: JSON.parse(row.value), updatedAt: row.updated_at }));
  }
}

/** A namespace read whole, as a map from key to value (what its writer stored, in key order). */
export async function readKvMap<T>(
  kv: Pick<KeyValueStore, "list">,
  namespace: string,
): Promise<Map<string, T>> {
  const map = new Map<string, T>();
  for (const row of await kv.list(namespace)) map.set(row.key, row.value as T);
  return map;
}
