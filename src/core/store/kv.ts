import { assertLeaseHeld, type Lease } from "./leases.ts";
import type { SqlDb, SqlExecutor } from "./sql.ts";

/**
 * Small named checkpoints (export resume tokens, bulk-job progress), as JSON values.
 * `setIn` writes inside an open transaction, so progress can commit with the work it records.
 */
export interface Checkpoint {
  namespace: string;
  key: string;
  value: unknown;
}

const UPSERT = `INSERT INTO kv (namespace, key, value, updated_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;

export async function setCheckpoints(tx: SqlExecutor, checkpoints: readonly Checkpoint[]): Promise<void> {
  const now = new Date().toISOString();
  for (const { namespace, key, value } of checkpoints)
    await tx.run(UPSERT, [namespace, key, JSON.stringify(value ?? null), now]);
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

  async get<T = unknown>(namespace: string, key: string): Promise<T | undefined> {
    const row = await this.db.get<{ value: string }>("SELECT value FROM kv WHERE namespace = ? AND key = ?", [
      namespace,
      key,
    ]);
    return row ? (JSON.parse(row.value) as T) : undefined;
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
      const result = await tx.run("DELETE FROM kv WHERE namespace = ? AND key = ?", [namespace, key]);
      return result.changes > 0;
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
