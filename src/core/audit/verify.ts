import { createHash } from "node:crypto";
import { GENESIS_HASH } from "../store/migrations.ts";
import type { SqlDb } from "../store/sql.ts";
import { hashRecord } from "./record.ts";
import { type AuditRow, rowToRecord } from "./rows.ts";

/**
 * Walks the chain from the first record and reports the first broken link:
 * - a seq gap: a record was deleted (firstBrokenAt is the missing seq);
 * - a prev-hash mismatch: a record was inserted, reordered or replaced;
 * - a hash mismatch: the record's own fields were edited;
 * - fewer records than the head says: records were cut from the end.
 * The head is read first and only records up to it are checked, so appends made while verify
 * runs do not look like damage.
 */
export interface AuditVerification {
  ok: boolean;
  /** Records checked. */
  records: number;
  /** Seq of the first record that fails, or null. */
  firstBrokenAt: number | null;
  reason: string | null;
  /** The chain head's hash: write it down somewhere else to anchor the log. */
  headHash: string;
}

const PAGE = 2000;

/**
 * Where a tenant's chain starts: a hash of its name, so that a chain made for one business unit
 * never verifies as another's (issue 63 N9: globex's store verified as acme's). A store of no
 * tenant starts from zeros, as every chain did before.
 */
export function genesisHash(tenant: string | undefined): string {
  return tenant === undefined
    ? GENESIS_HASH
    : createHash("sha256").update(`cxo.audit.genesis\u0000${tenant}`).digest("hex");
}

export async function verifyAuditChain(db: SqlDb, tenant?: string): Promise<AuditVerification> {
  const head = await db.get<{ seq: number; hash: string }>("SELECT seq, hash FROM audit_head WHERE id = 1");
  const headSeq = Number(head?.seq ?? 0);
  const headHash = head?.hash ?? GENESIS_HASH;
  let expectedSeq = 1;
  // A tenant's chain starts from its own genesis; one begun before chains named their tenant
  // starts from zeros and is still read (it is bound to nothing, as it always was). Read without
  // naming a tenant (a store opened by its path alone), any start is the chain's own.
  const starts = tenant === undefined ? undefined : new Set([genesisHash(tenant), GENESIS_HASH]);
  let prevHash = GENESIS_HASH;
  let records = 0;
  const broken = (at: number, reason: string): AuditVerification => ({
    ok: false,
    records,
    firstBrokenAt: at,
    reason,
    headHash,
  });

  while (expectedSeq <= headSeq) {
    const rows = await db.all<AuditRow>(
      "SELECT * FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?",
      [expectedSeq, headSeq, PAGE],
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const record = rowToRecord(row);
      if (record.seq !== expectedSeq) return broken(expectedSeq, `record ${expectedSeq} is missing`);
      if (record.seq === 1) {
        if (starts && !starts.has(record.prevHash))
          return broken(1, `record 1 starts another chain: it is not business unit ${tenant}'s chain`);
        prevHash = record.prevHash;
      }
      if (record.prevHash !== prevHash)
        return broken(
          record.seq,
          `record ${record.seq} does not follow record ${record.seq - 1} (prev hash differs)`,
        );
      const { hash, ...unsealed } = record;
      if (hashRecord(unsealed) !== hash)
        return broken(record.seq, `record ${record.seq} was altered (hash differs)`);
      records += 1;
      prevHash = hash;
      expectedSeq += 1;
    }
  }
  if (expectedSeq <= headSeq)
    return broken(expectedSeq, `records ${expectedSeq}..${headSeq} are missing (the log ends early)`);
  if (headSeq === 0 && starts && !starts.has(headHash))
    return broken(0, `the empty log's head is not business unit ${tenant ?? "(none)"}'s genesis`);
  if (headSeq > 0 && prevHash !== headHash)
    return broken(headSeq, `record ${headSeq} does not match the chain head`);
  return { ok: true, records, firstBrokenAt: null, reason: null, headHash };
}
