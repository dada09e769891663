import { clockNowDate } from "../clock/now.ts";
import { CxoError } from "../cxo-error.ts";
import { holderIsDeadHere, type InstanceIdentity } from "./instance.ts";
import { clockMsSql, rowLock, type SqlDb, type SqlExecutor } from "./sql.ts";
/**
 * Named leases with fencing tokens, for work that must run on ONE instance at a time (the
 * leader's watchdogs, metrics poller, scheduled exports).
 *
 * - `acquire` takes a free or expired lease and increments its token; the holder renews it well
 *   before it runs out. Expiry is judged by the database's clock (sql.ts `clockMsSql`).
 * - The token is the fence: a write made on the lease's behalf checks, inside its own
 *   transaction, that the lease is still held with that token and unexpired (`assertHeld`). A
 *   holder that was paused (GC, SIGSTOP, a partition) past its expiry finds its token stale and
 *   cannot act, even though it still believes it leads.
 */
export interface Lease {
  name: string;
  holder: string;
  token: number;
  /** Database clock, epoch ms. */
  expiresMs: number;
  /** When its holder took it (the holder's clock, ISO; read by `get`). */
  acquiredAt?: string;
  /**
   * Set by `acquire` when the lease was just taken from another holder: who, with which token,
   * and why it could be taken (it released it, its lease ran out, or it died on this host).
   */
  takenFrom?: { holder: string; token: number; how: "released" | "expired" | "died-here" };
}

export class LeaseLostError extends CxoError {
  override readonly name = "LeaseLostError";
  readonly code = "lease_lost" as const;
  constructor(lease: Pick<Lease, "name" | "token">) {
    super(`lease ${lease.name} (token ${lease.token}) is no longer held by this instance: not acting`);
  }
}

interface LeaseRow {
  name: string;
  holder: string;
  token: number;
  expires_ms: number;
}

const toLease = (row: LeaseRow): Lease => ({
  name: row.name,
  holder: row.holder,
  token: Number(row.token),
  expiresMs: Number(row.expires_ms),
});

/** Inside a transaction: throws LeaseLostError unless `lease` is still held, unexpired, with its token. */
export async function assertLeaseHeld(tx: SqlExecutor, lease: Pick<Lease, "name" | "holder" | "token">) {
  const row = await tx.get(
    `SELECT token FROM leases WHERE name = ? AND holder = ? AND token = ? AND expires_ms > ${clockMsSql(tx.dialect)}${rowLock(tx.dialect, "FOR SHARE")}`,
    [lease.name, lease.holder, lease.token],
  );
  if (!row) throw new LeaseLostError(lease);
}

export class LeaseTable {
  private readonly db: SqlDb;
  private readonly instance: InstanceIdentity;

  constructor(db: SqlDb, instance: InstanceIdentity) {
    this.db = db;
    this.instance = instance;
  }

  /** Takes `name` if it is free, expired or already ours; the new lease, or null if another holds it. */
  acquire(name: string, ttlMs: number): Promise<Lease | null> {
    const now = clockMsSql(this.db.dialect);
    return this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO leases (name, holder, token, expires_ms, acquired_at) VALUES (?, ?, 0, 0, ?)
          ON CONFLICT (name) DO NOTHING`,
        [name, this.instance.id, clockNowDate().toISOString()],
      );
      // Who held it before, and whether it has run out (by the database's clock), for the log.
      const before = await tx.get<LeaseRow & { expired: number }>(
        `SELECT name, holder, token, expires_ms, CASE WHEN expires_ms <= ${now} THEN 1 ELSE 0 END AS expired
          FROM leases WHERE name = ?${rowLock(tx.dialect)}`,
        [name],
      );
      if (!before) return null;
      let how: "released" | "expired" | "died-here";
      if (before.holder === this.instance.id || Number(before.expired) === 1)
        how = Number(before.expires_ms) === 0 ? "released" : "expired";
      // Held by a process on this host that has died (kill -9): no need to wait for expiry.
      else if (holderIsDeadHere(before.holder)) how = "died-here";
      else return null;
      const taken = await tx.run(
        `UPDATE leases SET holder = ?, token = token + 1, expires_ms = ${now} + ?, acquired_at = ?
          WHERE name = ? AND holder = ? AND token = ?`,
        [this.instance.id, ttlMs, clockNowDate().toISOString(), name, before.holder, before.token],
      );
      if (taken.changes === 0) return null;
      const row = await tx.get<LeaseRow>(
        "SELECT name, holder, token, expires_ms FROM leases WHERE name = ?",
        [name],
      );
      if (!row) return null;
      const lease = toLease(row);
      // A first holder takes the placeholder row (token 0): nobody to take it from.
      if (before.holder !== this.instance.id && Number(before.token) > 0)
        lease.takenFrom = { holder: before.holder, token: Number(before.token), how };
      return lease;
    });
  }

  /**
   * Extends a held lease; null once it was lost (taken over: the token moved on, or released).
   * A lease that ran out while nobody took it is still ours: a holder whose
   * renewal came late — a clock step, a resumed VM, an event loop held by a long computation —
   * keeps its token, because no other instance acquired (which moves the token) and so none can
   * have acted; the fence still refused this holder's writes while it was expired. Stepping down
   * there left the only instance leaderless and aborted its work in flight, again and again.
   */
  async renew(lease: Lease, ttlMs: number): Promise<Lease | null> {
    const now = clockMsSql(this.db.dialect);
    const changed = await this.db.run(
      `UPDATE leases SET expires_ms = ${now} + ? WHERE name = ? AND holder = ? AND token = ? AND expires_ms <> 0`,
      [ttlMs, lease.name, lease.holder, lease.token],
    );
    if (changed.changes === 0) return null;
    const row = await this.db.get<LeaseRow>(
      "SELECT name, holder, token, expires_ms FROM leases WHERE name = ?",
      [lease.name],
    );
    return row && Number(row.token) === lease.token ? toLease(row) : null;
  }

  /** Gives a lease up at once (clean shutdown), so another instance need not wait for expiry. */
  async release(lease: Lease): Promise<void> {
    await this.db.run("UPDATE leases SET expires_ms = 0 WHERE name = ? AND holder = ? AND token = ?", [
      lease.name,
      lease.holder,
      lease.token,
    ]);
  }

  async get(name: string): Promise<Lease | undefined> {
    const row = await this.db.get<LeaseRow & { acquired_at: string | null }>(
      "SELECT name, holder, token, expires_ms, acquired_at FROM leases WHERE name = ?",
      [name],
    );
    if (!row) return undefined;
    return { ...toLease(row), ...(row.acquired_at ? { acquiredAt: row.acquired_at } : {}) };
  }

  /** Checks, in its own transaction, that `lease` still holds (see assertLeaseHeld). */
  assertHeld(lease: Lease): Promise<void> {
    return this.db.transaction((tx) => assertLeaseHeld(tx, lease));
  }
}
