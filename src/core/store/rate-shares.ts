import { holderIsDeadHere, type InstanceIdentity } from "./instance.ts";
import { clockMsSql, type SqlDb } from "./sql.ts";

/**
 * Who is using which endpoint group of a tenant right now, across the processes that share a
 * data dir (or a PostgreSQL store): one row per process and group, with an expiry renewed while
 * the process runs. A process that dies stops renewing, and its share returns to the others when
 * its row expires (at once when it died on this host). Expiry is judged by the database's clock.
 */
export class RateShares {
  private readonly db: SqlDb;
  private readonly instance: InstanceIdentity;

  constructor(db: SqlDb, instance: InstanceIdentity) {
    this.db = db;
    this.instance = instance;
  }

  /**
   * Renews this process's rows for `groups` and returns, for every group of the tenant that
   * some live process uses, how many processes use it (this one included when it is in `groups`).
   */
  async renew(tenant: string, groups: readonly string[], ttlMs: number): Promise<Map<string, number>> {
    const now = clockMsSql(this.db.dialect);
    // Four times a second, every group: one commit, and a relaxed one (no wait on the disk). A
    // renewal lost to a power cut is nothing to lose (the row expires in seconds); a synced commit
    // per group blocked the process's one thread ~10 ms each (a serve day: 861 of them, 9 s).
    await this.db.transaction(
      async (tx) => {
        for (const group of groups)
          await tx.run(
            `INSERT INTO rate_shares (tenant, grp, holder, expires_ms) VALUES (?, ?, ?, ${now} + ?)
          ON CONFLICT (tenant, grp, holder) DO UPDATE SET expires_ms = excluded.expires_ms`,
            [tenant, group, this.instance.id, ttlMs],
          );
      },
      { durability: "relaxed" },
    );
    const rows = await this.db.all<{ grp: string; holder: string }>(
      `SELECT grp, holder FROM rate_shares WHERE tenant = ? AND expires_ms > ${now}`,
      [tenant],
    );
    const counts = new Map<string, number>();
    for (const row of rows) {
      if (row.holder !== this.instance.id && holderIsDeadHere(row.holder)) continue;
      counts.set(row.grp, (counts.get(row.grp) ?? 0) + 1);
    }
    return counts;
  }

  /**
   * Gives back every share this process holds, whatever the tenant: the store is closing, and
   * the others' budgets should grow now rather than when these rows would have expired.
   */
  async releaseAll(): Promise<void> {
    await this.db.run("DELETE FROM rate_shares WHERE holder = ?", [this.instance.id]);
  }

  /**
   * Gives this process's shares of `groups` (every group when absent) back at once (clean exit),
   * leaving its other groups' rows to the calls that still use them.
   */
  async release(tenant: string, groups?: readonly string[]): Promise<void> {
    if (groups === undefined)
      await this.db.run("DELETE FROM rate_shares WHERE tenant = ? AND holder = ?", [
        tenant,
        this.instance.id,
      ]);
    for (const group of groups ?? [])
      await this.db.run("DELETE FROM rate_shares WHERE tenant = ? AND grp = ? AND holder = ?", [
        tenant,
        group,
        this.instance.id,
      ]);
    // Rows of processes long gone are of no use to anyone.
    await this.db.run(`DELETE FROM rate_shares WHERE expires_ms < ${clockMsSql(this.db.dialect)} - 60000`);
  }
}
