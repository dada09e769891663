/**
 * One owner per table: every table the migrations create (migrations.ts), with the source files
 * (under src/) that may name it in SQL. Every other module reads and writes a table through its
 * owner's functions, so a table's columns, indexes and invariants are known in one place (a
 * column changed, or a scope stored another way, touches its owner alone). An owner is one
 * concern; a few are split over files of the same folder (the journal and its lease heartbeat,
 * the audit log and its verifier, the consent ledger's recording, queue and lookups).
 *
 * Where a query must read another owner's table in the same statement (a join, for speed), the
 * owner gives an SQL fragment for it (attempts.ts `ownCallsOfListedSql`, dnc-group-copy.ts
 * `groupLostSql`), so the table is still named by its owner alone.
 *
 * test/store/table-owners.test.ts holds the source to this: a table named in SQL (`FROM`, `JOIN`,
 * `INTO`, `UPDATE`, `TABLE`, `EXISTS`) anywhere else fails it, and so does a table the
 * migrations create with no owner here.
 */
export const TABLE_OWNERS: Readonly<Record<string, readonly string[]>> = {
  schema_migrations: ["core/store/migrations.ts"],
  journal: ["core/store/journal.ts", "core/store/journal-heartbeat.ts"],
  audit_log: ["core/audit/audit-log.ts", "core/audit/verify.ts"],
  audit_head: ["core/audit/audit-log.ts", "core/audit/verify.ts"],
  outbox: ["core/outbox/queue.ts"],
  kv: ["core/store/kv.ts"],
  leases: ["core/store/leases.ts"],
  rate_shares: ["core/store/rate-shares.ts"],
  webhook_ids: ["core/store/seen-ids.ts"],
  call_attempts: ["compliance/attempts.ts"],
  dnc_numbers: ["compliance/dnc.ts"],
  touches: ["compliance/touches-store.ts"],
  cxone_completed_calls: ["consent/completed-calls.ts"],
  rnd_queries: ["compliance/rnd/evidence-store.ts"],
  rnd_evidence: ["compliance/rnd/evidence-store.ts"],
  consent_ledger: ["consent/ledger.ts", "consent/ledger-queue.ts", "consent/ledger-lookups.ts"],
  consent_accounts: ["consent/accounts.ts"],
  cxone_dnc_groups: ["consent/dnc-group-copy.ts"],
  cxone_dnc_records: ["consent/dnc-group-copy.ts"],
  cxone_dnc_removed: ["consent/dnc-group-copy.ts"],
  cxone_dnc_syncs: ["consent/dnc-group-copy.ts"],
};

/** The schema itself: it creates and alters every table. */
export const SCHEMA_FILE = "core/store/migrations.ts";
