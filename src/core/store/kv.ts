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
