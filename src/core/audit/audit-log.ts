import { clockNowDate } from "../clock/now.ts";
import { rowLock, type SqlDb, type SqlExecutor, type SqlValue } from "../store/sql.ts";
import { type AuditEntry, type AuditRecord, sealRecord } from "./record.ts";
import { type AuditRow, jsonColumn, rowToRecord } from "./rows.ts";
import { type AuditVerification, genesisHash, verifyAuditChain } from "./verify.ts";

/**
 * The append-only audit log. Appends read the chain head, seal each record onto it and move
 * the head, all inside the caller's write transaction; there is no update or delete.
 */

const INSERT = `INSERT INTO audit_log (seq, recorded_at, actor, operation, target, outcome, status_code,
  latency_ms, idempotency_key, before_json, after_json, details_json, prev_hash, hash)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Appends inside an open write transaction (the journal's finish uses this). */
export async function appendAuditRecords(
  tx: SqlExecutor,
  entries: readonly AuditEntry[],
): Promise<AuditRecord[]> {
  if (entries.length === 0) return [];
  // The head row's lock is what makes concurrent appenders (several instances on PostgreSQL)
  // queue up: each reads the head another has just moved, so the chain stays one line.
  const head = await tx.get<{ seq: number; hash: string }>(
    `SELECT seq, hash FROM audit_head WHERE id = 1${rowLock(tx.dialect)}`,
  );
  if (!head) throw new Error("audit_head is missing: the store was not migrated");
  let seq = Number(head.seq);
  let prevHash = head.hash;
  const now = clockNowDate();
  const records: AuditRecord[] = [];
  for (const entry of entries) {
    seq += 1;
    const record = sealRecord(entry, seq, prevHash, now);
    const params: SqlValue[] = [
      record.seq,
      record.time,
      record.actor,
      record.operation,
      record.target,
      record.outcome,
      record.status,
      record.latencyMs,
      record.idempotencyKey,
      jsonColumn(record.before),
      jsonColumn(record.after),
      jsonColumn(record.details),
      record.prevHash,
      record.hash,
    ];
    await tx.run(INSERT, params);
    prevHash = record.hash;
    records.push(record);
  }
  await tx.run("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", [seq, prevHash]);
  return records;
}

export class AuditLog {
  private readonly db: SqlDb;
  /** The business unit whose chain this is (its genesis and anchors name it), when tenants are configured. */
  readonly tenant: string | undefined;

  constructor(db: SqlDb, tenant?: string) {
    this.db = db;
    this.tenant = tenant;
  }

  /**
   * A tenant's empty log starts from the tenant's genesis (verify.ts): set once, before the
   * first record, so every record after is chained to the tenant's name.
   */
  async bindGenesis(): Promise<void> {
    if (this.tenant === undefined) return;
    await this.db.run("UPDATE audit_head SET hash = ? WHERE id = 1 AND seq = 0 AND hash = ?", [
      genesisHash(this.tenant),
      genesisHash(undefined),
    ]);
  }

  async append(entry: AuditEntry): Promise<AuditRecord> {
    const [record] = await this.appendBatch([entry]);
    return record!;
  }

  /** Many records, one transaction (one fsync): how bulk jobs reach thousands of records/s. */
  appendBatch(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    return this.db.transaction((tx) => appendAuditRecords(tx, entries));
  }

  /** The last `n` records, oldest first. */
  async tail(n: number): Promise<AuditRecord[]> {
    const rows = await this.db.all<AuditRow>("SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?", [n]);
    return rows.reverse().map(rowToRecord);
  }

  /** Records after `seq`, oldest first: paging for export and `tail --follow`. */
  async after(seq: number, limit = 1000): Promise<AuditRecord[]> {
    const rows = await this.db.all<AuditRow>("SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?", [
      seq,
      limit,
    ]);
    return rows.map(rowToRecord);
  }

  /** Every record, oldest first, one page at a time (constant memory). */
  async *records(fromSeq = 0, pageSize = 1000): AsyncGenerator<AuditRecord> {
    let last = fromSeq;
    for (;;) {
      const page = await this.after(last, pageSize);
      if (page.length === 0) return;
      yield* page;
      last = page[page.length - 1]!.seq;
    }
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const head = await this.db.get<{ seq: number; hash: string }>(
      "SELECT seq, hash FROM audit_head WHERE id = 1",
    );
    return { seq: Number(head?.seq ?? 0), hash: head?.hash ?? "" };
  }

  verify(): Promise<AuditVerification> {
    return verifyAuditChain(this.db, this.tenant);
  }
}
