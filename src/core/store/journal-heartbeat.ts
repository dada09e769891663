import { clockMsSql, type SqlDb } from "./sql.ts";

// Ids per renewal statement (well under SQLite's and PostgreSQL's parameter limits).
const BEAT_CHUNK = 500;

/**
 * The rows this process is running, and the renewal of their leases while any runs: one UPDATE
 * every third of the lease per 500 rows running. Unref'd: never keeps the process alive.
 */
export class Heartbeat {
  private readonly db: SqlDb;
  private readonly owner: string;
  private readonly leaseMs: number;
  private readonly rows = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** false: the rows are never renewed (they keep the lease they were written with). */
  private readonly renews: boolean;

  constructor(db: SqlDb, owner: string, leaseMs: number, renews = true) {
    this.db = db;
    this.owner = owner;
    this.leaseMs = leaseMs;
    this.renews = renews;
  }

  running(id: string): boolean {
    return this.rows.has(id);
  }

  hold(id: string): void {
    this.rows.add(id);
    if (this.timer || !this.renews) return;
    this.timer = setInterval(() => void this.beat(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  release(id: string): void {
    this.rows.delete(id);
    if (this.rows.size === 0) this.stop();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Renews the rows this process is running, by id: a row of ours that was released for re-drive
   * (its caller aborted) or finished is not in the set, and must not be leased again.
   */
  private async beat(): Promise<void> {
    const ids = [...this.rows];
    try {
      for (let i = 0; i < ids.length; i += BEAT_CHUNK) {
        const chunk = ids.slice(i, i + BEAT_CHUNK);
        await this.db.run(
          `UPDATE journal SET lease_until_ms = ${clockMsSql(this.db.dialect)} + ?
            WHERE id IN (${chunk.map(() => "?").join(",")}) AND lease_owner = ? AND status = 'pending'`,
          [this.leaseMs, ...chunk, this.owner],
        );
      }
    } catch {
      // The database is unreachable or closing: the rows keep their leases until they run out.
    }
  }
}
