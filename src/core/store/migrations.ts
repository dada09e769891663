import { clockNowDate } from "../clock/now.ts";
import { StoreSchemaTooNewError } from "./errors.ts";
import type { SqlDb, SqlDialect, SqlExecutor } from "./sql.ts";

/**
 * Every schema change, in order, in one place. A migration is applied once, in its own
 * transaction, and recorded in `schema_migrations`; never edit one that has shipped, add the
 * next. The SQL is portable: the few type spellings that differ between SQLite and PostgreSQL
 * come from `types(dialect)`.
 *
 * Times that are compared (due dates, leases) are integer epoch milliseconds; times shown to
 * people are ISO-8601 text.
 */

interface DialectTypes {
  /** An auto-assigned, increasing integer key (the outbox's delivery order). */
  autoId: string;
  bigint: string;
  /** SQLite: a table stored in its primary key's B-tree (no second copy in an index); "" elsewhere. */
  withoutRowid: string;
}

function types(dialect: SqlDialect): DialectTypes {
  return dialect === "sqlite"
    ? { autoId: "INTEGER PRIMARY KEY", bigint: "INTEGER", withoutRowid: " WITHOUT ROWID" }
    : { autoId: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", bigint: "BIGINT", withoutRowid: "" };
}

export const GENESIS_HASH = "0".repeat(64);

interface Migration {
  version: number;
  name: string;
  statements: (t: DialectTypes) => string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "journal, audit log, outbox, key/value",
    statements: (t) => [
      // One row per side effect on CXone: written `pending` before it, finished after it.
      `CREATE TABLE journal (
        seq ${t.autoId},
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        actor TEXT,
        idempotency_key TEXT NOT NULL,
        payload TEXT NOT NULL,
        payload_digest TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        error TEXT
      )`,
      "CREATE INDEX journal_by_status ON journal (status, seq)",
      "CREATE INDEX journal_by_key ON journal (idempotency_key)",
      // Append-only, hash-chained. `seq` is assigned by us (head + 1), not by the engine, so a
      // deleted row leaves a visible gap.
      `CREATE TABLE audit_log (
        seq ${t.bigint} PRIMARY KEY,
        recorded_at TEXT NOT NULL,
        actor TEXT,
        operation TEXT NOT NULL,
        target TEXT,
        outcome TEXT NOT NULL,
        status_code INTEGER,
        latency_ms INTEGER,
        idempotency_key TEXT,
        before_json TEXT,
        after_json TEXT,
        details_json TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      )`,
      // The chain head: one row, updated with every append. On PostgreSQL its row lock is what
      // serialises appenders; it also lets verify notice records cut from the end.
      `CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY,
        seq ${t.bigint} NOT NULL,
        hash TEXT NOT NULL
      )`,
      `INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}')`,
      `CREATE TABLE outbox (
        seq ${t.autoId},
        id TEXT NOT NULL UNIQUE,
        destination TEXT NOT NULL,
        type TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        data TEXT NOT NULL,
        order_key TEXT,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_ms ${t.bigint} NOT NULL,
        lease_until_ms ${t.bigint} NOT NULL DEFAULT 0,
        lease_owner TEXT,
        last_status INTEGER,
        last_error TEXT,
        created_ms ${t.bigint} NOT NULL,
        finished_ms ${t.bigint}
      )`,
      "CREATE INDEX outbox_due ON outbox (destination, status, next_attempt_ms)",
      "CREATE INDEX outbox_order ON outbox (destination, order_key, status, seq)",
      // Small checkpoints: export resume tokens, bulk-job progress.
      `CREATE TABLE kv (
        namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (namespace, key)
      )`,
    ],
  },
  {
    version: 2,
    name: "compliance: call attempts and the internal do-not-call list",
    statements: (t) => [
      // Every dial attempt, so frequency caps (state 3-per-24h, campaign per day/week) are
      // counted from what was actually dialled. `at_ms` is the instant compared in windows.
      `CREATE TABLE call_attempts (
        seq ${t.autoId},
        phone TEXT NOT NULL,
        contact_id TEXT,
        campaign_id TEXT NOT NULL,
        at_ms ${t.bigint} NOT NULL,
        at TEXT NOT NULL,
        outcome TEXT,
        recorded_at TEXT NOT NULL
      )`,
      "CREATE INDEX call_attempts_by_phone ON call_attempts (phone, at_ms)",
      "CREATE INDEX call_attempts_by_campaign ON call_attempts (campaign_id, phone, at_ms)",
      // The internal do-not-call list (47 CFR 64.1200(d)): one row per E.164 number.
      `CREATE TABLE dnc_numbers (
        phone TEXT PRIMARY KEY,
        reason TEXT,
        source TEXT NOT NULL,
        added_at TEXT NOT NULL
      )`,
    ],
  },
  {
    version: 3,
    name: "webhook ids seen by the service's receiver (replay protection across restarts)",
    statements: (t) => [
      // One row per accepted webhook id, per receiver (`scope`); old rows are pruned by time.
      `CREATE TABLE webhook_ids (
        scope TEXT NOT NULL,
        id TEXT NOT NULL,
        seen_ms ${t.bigint} NOT NULL,
        PRIMARY KEY (scope, id)
      )`,
      "CREATE INDEX webhook_ids_by_age ON webhook_ids (seen_ms)",
    ],
  },
  {
    version: 4,
    name: "several instances: journal row leases, named leases with fencing tokens",
    statements: (t) => [
      // The process running a pending row, and until when (database clock, epoch ms): another
      // process re-drives it only after that (or once that process has died on this host).
      "ALTER TABLE journal ADD COLUMN lease_owner TEXT",
      `ALTER TABLE journal ADD COLUMN lease_until_ms ${t.bigint} NOT NULL DEFAULT 0`,
      // Leader election: one row per singleton role; `token` grows with every new holder and
      // fences writes made on the role's behalf.
      `CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        token ${t.bigint} NOT NULL,
        expires_ms ${t.bigint} NOT NULL,
        acquired_at TEXT NOT NULL
      )`,
    ],
  },
  {
    version: 5,
    name: "rate budget shared by the processes of one data dir or database",
    statements: (t) => [
      // One row per process using an endpoint group of a tenant, renewed while it runs: the
      // number of live rows is how many ways the tenant's limit is split.
      `CREATE TABLE rate_shares (
        tenant TEXT NOT NULL,
        grp TEXT NOT NULL,
        holder TEXT NOT NULL,
        expires_ms ${t.bigint} NOT NULL,
        PRIMARY KEY (tenant, grp, holder)
      )`,
    ],
  },
  {
    version: 6,
    name: "journal: index only the idempotency keys callers chose, and only pending rows",
    statements: () => [
      // A derived key is a content hash nobody looks up; indexing it put every journal row on
      // a random page of that index, one more 4 KB page per row in each group commit's WAL
      // and checkpoint (a third of a bulk tagging run's disk writes). Keys a caller chose (a
      // watchdog step, an SDK write given `idempotencyKey`) are what `findByKey` looks for.
      "ALTER TABLE journal ADD COLUMN caller_key INTEGER NOT NULL DEFAULT 0",
      "UPDATE journal SET caller_key = 1 WHERE substr(idempotency_key, 1, 4) <> 'idk_'",
      "DROP INDEX journal_by_key",
      "CREATE INDEX journal_by_caller_key ON journal (idempotency_key) WHERE caller_key = 1",
      // Every status query looks for pending rows (re-drive, leases); indexing done rows too
      // grew the index with the journal and moved an entry across it on every finish.
      "DROP INDEX journal_by_status",
      "CREATE INDEX journal_pending ON journal (seq) WHERE status = 'pending'",
    ],
  },
  {
    version: 7,
    name: "kv: one B-tree on SQLite",
    statements: (t) =>
      // A rowid table with a composite primary key is two B-trees (the rows, and the key's
      // index holding namespace and key again): every checkpoint wrote both. PostgreSQL's
      // table and its key index are unchanged.
      t.withoutRowid
        ? [
            `CREATE TABLE kv_by_key (
              namespace TEXT NOT NULL,
              key TEXT NOT NULL,
              value TEXT NOT NULL,
              updated_at TEXT NOT NULL,
              PRIMARY KEY (namespace, key)
            )${t.withoutRowid}`,
            "INSERT INTO kv_by_key (namespace, key, value, updated_at) SELECT namespace, key, value, updated_at FROM kv",
            "DROP TABLE kv",
            "ALTER TABLE kv_by_key RENAME TO kv",
          ]
        : [],
  },
  {
    version: 8,
    name: "consent ledger; the tenant's CXone DNC groups, synced",
    statements: (t) => [
      // Issue 62 §1: every revocation of consent, whatever channel it came by. `id` is a digest
      // of what the revocation says (phone, instant, channel, scope), so importing the same file
      // again adds nothing. `cxone_status`: 'none' (no CXone group to honour it in), 'pending'
      // (journaled, not yet confirmed in the group), 'done'.
      `CREATE TABLE consent_ledger (
        id TEXT PRIMARY KEY,
        phone TEXT NOT NULL,
        received_at TEXT NOT NULL,
        received_ms ${t.bigint} NOT NULL,
        channel TEXT NOT NULL,
        source TEXT,
        scope TEXT NOT NULL,
        recorded_by TEXT,
        recorded_at TEXT NOT NULL,
        honoured_at TEXT NOT NULL,
        cxone_status TEXT NOT NULL,
        cxone_group_id TEXT,
        cxone_at TEXT
      )`,
      "CREATE INDEX consent_ledger_by_phone ON consent_ledger (phone)",
      "CREATE INDEX consent_ledger_cxone_pending ON consent_ledger (recorded_at) WHERE cxone_status = 'pending'",
      // Issue 62 §2: a local copy of the tenant's DNC groups (`cxo compliance dnc sync`), read by
      // every check; `synced_at` says how old it is.
      `CREATE TABLE cxone_dnc_groups (
        group_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        active INTEGER NOT NULL,
        scrubbed_skills TEXT NOT NULL,
        records INTEGER NOT NULL,
        synced_at TEXT NOT NULL
      )`,
      `CREATE TABLE cxone_dnc_records (
        group_id TEXT NOT NULL,
        phone TEXT NOT NULL,
        expires_at TEXT,
        PRIMARY KEY (group_id, phone)
      )${t.withoutRowid}`,
      "CREATE INDEX cxone_dnc_records_by_phone ON cxone_dnc_records (phone)",
    ],
  },
  {
    version: 9,
    name: "revocations of an account; the accounts' numbers cxo has read",
    statements: () => [
      // Issue 77 §2: a revocation may name the debtor's account; it then covers every number the
      // account has. `phone` is '' on an entry that names the account alone.
      "ALTER TABLE consent_ledger ADD COLUMN account_id TEXT",
      "CREATE INDEX consent_ledger_by_account ON consent_ledger (account_id)",
      // Every (account, number) pair cxo has read in a list, a history or a plan: a check looks
      // the account up here, so a number the account gains later is covered when it is read.
      `CREATE TABLE consent_accounts (
        account_id TEXT NOT NULL,
        phone TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        source TEXT NOT NULL,
        PRIMARY KEY (account_id, phone)
      )`,
      "CREATE INDEX consent_accounts_by_phone ON consent_accounts (phone)",
    ],
  },
  {
    version: 10,
    name: "the consent ledger's queue for CXone, read in order",
    statements: () => [
      // `honourInCxone` takes the queue 500 entries at a time, oldest first (recorded_at, id).
      // The old index of pending rows had recorded_at alone, and nothing served 'removed' or
      // 'sending': each batch scanned the ledger and sorted what it found (an import of 100,000
      // revocations: 200 whole-ledger scans, ~10 s). One partial index per state the queue
      // reads, in the order it reads it; 'done' rows (nearly all of them) are in none.
      "DROP INDEX consent_ledger_cxone_pending",
      "CREATE INDEX consent_ledger_queue_pending ON consent_ledger (recorded_at, id) WHERE cxone_status = 'pending'",
      "CREATE INDEX consent_ledger_queue_removed ON consent_ledger (recorded_at, id) WHERE cxone_status = 'removed'",
      "CREATE INDEX consent_ledger_queue_sending ON consent_ledger (recorded_at, id) WHERE cxone_status = 'sending'",
    ],
  },
  {
    // Issue 79 §3.
    version: 11,
    name: "reassigned numbers database: queries and their answers kept as evidence",
    statements: (t) => [
      // One row per RND query, written `pending` (with its questions) before it is sent and
      // `done` in the transaction that stores its answers: a run killed mid-query re-sends the
      // same query under the same key (`id`, the idempotency key) before asking anything new.
      `CREATE TABLE rnd_queries (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        questions TEXT NOT NULL,
        numbers INTEGER NOT NULL,
        source TEXT NOT NULL,
        created_at TEXT NOT NULL,
        finished_at TEXT,
        query_id TEXT,
        data_as_of TEXT
      )`,
      "CREATE INDEX rnd_queries_pending ON rnd_queries (created_at) WHERE status = 'pending'",
      // Every answer, kept (never replaced): the safe harbor's proof is the caller's, so what
      // was asked (number, consent date), when, of which database (its date) and what it said.
      `CREATE TABLE rnd_evidence (
        seq ${t.autoId},
        phone TEXT NOT NULL,
        consent_date TEXT NOT NULL,
        answer TEXT NOT NULL,
        asked_at TEXT NOT NULL,
        asked_ms ${t.bigint} NOT NULL,
        data_as_of TEXT NOT NULL,
        query_ref TEXT NOT NULL,
        query_id TEXT,
        source TEXT NOT NULL
      )`,
      "CREATE INDEX rnd_evidence_by_phone ON rnd_evidence (phone, consent_date, asked_ms)",
    ],
  },
  {
    // Issue 79 §1.
    version: 12,
    name: "touches: contact attempts on every channel (cxo touches import), counted by the caps",
    statements: (t) => [
      // `id` is a digest of what the touch is (number, instant, channel, account, campaign,
      // seller): importing the same file again adds nothing.
      `CREATE TABLE touches (
        id TEXT NOT NULL PRIMARY KEY,
        phone TEXT NOT NULL,
        at_ms ${t.bigint} NOT NULL,
        at TEXT NOT NULL,
        channel TEXT NOT NULL,
        account_id TEXT,
        campaign_id TEXT,
        seller TEXT,
        answered INTEGER,
        source TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      )`,
      // Covering: a check reads a number's (and an account's) touches from the index alone.
      "CREATE INDEX touches_by_phone ON touches (phone, at_ms, channel, account_id, seller, campaign_id)",
      "CREATE INDEX touches_by_account ON touches (account_id, at_ms, phone, channel, seller, campaign_id)",
    ],
  },
  {
    version: 13,
    name: "the consent ledger's entries CXone was never told of, found by index",
    statements: () => [
      // Each honour run (the service's, every minute) sends entries recorded while no consent
      // group was named (consent/ledger.ts reopenUnsentEntries): without this it read the whole
      // ledger each time; with a group named there are few such rows.
      "CREATE INDEX consent_ledger_unsent ON consent_ledger (id) WHERE cxone_status = 'none'",
    ],
  },
  {
    version: 14,
    name: "the kind of list an account was read from: an account read in a collections list is a debt",
    statements: () => [
      // NULL: read where no kind was declared (a touches file, a sales list). A check naming an
      // account judges it as a debt (Regulation F) when a collections list or plan named it.
      "ALTER TABLE consent_accounts ADD COLUMN kind TEXT",
    ],
  },
  {
    // Issue 92 §2, §3.
    version: 15,
    name: "touches: the voice a call used and what a touch was for (the confirmation of a revocation by text)",
    statements: () => [
      // NULL: not said (a live voice; an ordinary contact attempt).
      "ALTER TABLE touches ADD COLUMN voice TEXT",
      "ALTER TABLE touches ADD COLUMN purpose TEXT",
    ],
  },
  {
    version: 16,
    name: "consent ledger: a revocation's scope as its kind and its campaign",
    statements: () => [
      // `scope` held `tenant`, `all` or `campaign:<id>` as one text, which every reader took apart
      // again (the campaign cut out of it in SQL and in code). Two columns: the kind (tenant, all,
      // campaign) and the campaign of a campaign scope (NULL otherwise); consent/scope.ts maps
      // them. The default only fills the rows this migration converts next.
      "ALTER TABLE consent_ledger ADD COLUMN scope_kind TEXT NOT NULL DEFAULT 'tenant'",
      "ALTER TABLE consent_ledger ADD COLUMN scope_campaign TEXT",
      `UPDATE consent_ledger SET
        scope_kind = CASE WHEN scope LIKE 'campaign:%' THEN 'campaign' ELSE scope END,
        scope_campaign = CASE WHEN scope LIKE 'campaign:%' THEN substr(scope, length('campaign:') + 1) END`,
      "ALTER TABLE consent_ledger DROP COLUMN scope",
    ],
  },
  {
    // Issue 100 §3.
    version: 17,
    name: "CXone's completed contacts, read once and incrementally, for every count of a debt's calls",
    statements: (t) => [
      // One row per completed outbound contact of the business unit, as the tenant-wide
      // incremental read (consent/cxone-dispositions.ts) met it; a contact read again (a changed
      // disposition, the warehouse overlap) replaces its row. `conversation`: an agent was on it.
      `CREATE TABLE cxone_completed_calls (
        contact_id TEXT PRIMARY KEY,
        phone TEXT NOT NULL,
        start_ms ${t.bigint} NOT NULL,
        skill_id TEXT NOT NULL,
        conversation INTEGER NOT NULL
      )`,
      // A count asks a window of some skills (a plan, a push), or a number's calls (a check).
      "CREATE INDEX cxone_completed_calls_by_start ON cxone_completed_calls (start_ms, skill_id)",
      "CREATE INDEX cxone_completed_calls_by_phone ON cxone_completed_calls (phone, start_ms)",
    ],
  },
  {
    // Issue 102 §1.
    version: 18,
    name: "the CXone DNC copy as it was at any instant: each record's added and removed instants, each sync's groups",
    statements: () => [
      // Evidence judges a past attempt by the copy in force at its instant, never by a later one
      // (a number revoked on Tuesday made Monday's lawful dial "not allowed"). `added_at`: the
      // instant the sync that first copied the record came into force (consent/dnc-group-copy.ts).
      // The copy kept before this migration is taken as added when it was synced: instants
      // before that are ones the copy cannot answer for.
      "ALTER TABLE cxone_dnc_records ADD COLUMN added_at TEXT",
      `UPDATE cxone_dnc_records SET added_at = (SELECT MIN(g.synced_at) FROM cxone_dnc_groups g)
        WHERE group_id NOT LIKE '~sync:%'`,
      // A record a later sync no longer found (or found with another expiry), with both instants.
      `CREATE TABLE cxone_dnc_removed (
        group_id TEXT NOT NULL,
        phone TEXT NOT NULL,
        expires_at TEXT,
        added_at TEXT NOT NULL,
        removed_at TEXT NOT NULL
      )`,
      "CREATE INDEX cxone_dnc_removed_by_phone ON cxone_dnc_removed (phone, removed_at)",
      // Every sync: when it started (`synced_at`: how fresh its records are), when its copy came
      // into force (`in_force_at`: swapped in), and its groups as they were (a row with
      // group_id '' marks the sync itself, so that a sync of no group is one too).
      `CREATE TABLE cxone_dnc_syncs (
        in_force_at TEXT NOT NULL,
        synced_at TEXT NOT NULL,
        group_id TEXT NOT NULL,
        name TEXT NOT NULL,
        active INTEGER NOT NULL,
        scrubbed_skills TEXT NOT NULL,
        PRIMARY KEY (in_force_at, group_id)
      )`,
      `INSERT INTO cxone_dnc_syncs (in_force_at, synced_at, group_id, name, active, scrubbed_skills)
        SELECT DISTINCT synced_at, synced_at, '', '', 0, '[]' FROM cxone_dnc_groups`,
      `INSERT INTO cxone_dnc_syncs (in_force_at, synced_at, group_id, name, active, scrubbed_skills)
        SELECT synced_at, synced_at, group_id, name, active, scrubbed_skills FROM cxone_dnc_groups`,
    ],
  },
];

// Any fixed number: the PostgreSQL advisory lock that makes instances starting together
// create a schema and migrate one after the other (SQLite's BEGIN IMMEDIATE already does).
const MIGRATION_LOCK = 7_411_803;

/**
 * Creates the PostgreSQL schema a store lives in (a tenant's `cxo_NAME`) unless it exists; safe
 * when several processes open a fresh database at once. `CREATE SCHEMA IF NOT EXISTS` alone is
 * not: two sessions that both find the name free both insert it, and the second fails on
 * `pg_namespace`'s unique index (issue 88 L11: the second `cxo serve` exited). So the creation
 * runs under the migration lock, and a duplicate that still slips through (a process of an
 * older build, which creates without the lock) is read as "made by the other", then re-checked.
 * `schema` is a checked identifier (the settings validate it).
 */
export async function ensureSchema(db: SqlDb, schema: string): Promise<void> {
  const exists = async (tx: SqlExecutor) =>
    (await tx.get("SELECT 1 AS ok FROM pg_namespace WHERE nspname = ?", [schema])) !== undefined;
  // The usual open finds it: one read, no lock, no CREATE privilege needed.
  if (await exists(db)) return;
  try {
    await db.transaction(async (tx) => {
      await tx.get("SELECT pg_advisory_xact_lock(?)", [MIGRATION_LOCK]);
      if (!(await exists(tx))) await tx.run(`CREATE SCHEMA ${schema}`);
    });
  } catch (error) {
    if (!isDuplicateSchema(error) || !(await exists(db))) throw error;
  }
}

/** 42P06 duplicate_schema, or 23505 unique_violation on pg_namespace (the race's two spellings). */
function isDuplicateSchema(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "42P06" || code === "23505";
}

/**
 * Applies the migrations this database has not seen yet; safe when two processes race. A
 * database that records a migration this build does not know (a newer build migrated it) is
 * refused before anything is written: StoreSchemaTooNewError.
 */
export async function migrate(db: SqlDb, location = "(this database)"): Promise<number> {
  // The usual open finds every migration of this build recorded and no other: one read, no
  // write transaction per migration (a store recording a newer migration, or lacking one,
  // takes the path below, under the lock).
  if (isCurrent(await appliedMigrations(db))) return 0;
  const lock = async (tx: SqlExecutor) => {
    if (tx.dialect === "postgres") await tx.get("SELECT pg_advisory_xact_lock(?)", [MIGRATION_LOCK]);
  };
  await db.transaction(async (tx) => {
    await lock(tx);
    // Under the lock: a newer build migrating at this moment has either finished a migration
    // (and we see it) or not started it.
    await refuseNewerSchema(tx, location);
    await tx.run(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    );
  });
  const t = types(db.dialect);
  let applied = 0;
  for (const migration of MIGRATIONS) {
    await db.transaction(async (tx) => {
      await lock(tx);
      // Re-checked inside the write transaction: another process may have just applied it.
      const seen = await tx.get("SELECT version FROM schema_migrations WHERE version = ?", [
        migration.version,
      ]);
      if (seen) return;
      for (const statement of migration.statements(t)) await tx.run(statement);
      await tx.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [
        migration.version,
        migration.name,
        clockNowDate().toISOString(),
      ]);
      applied += 1;
    });
  }
  return applied;
}

/** The migrations recorded in this database (none when it has no schema yet). */
export async function appliedMigrations(tx: SqlExecutor): Promise<number[]> {
  const exists =
    tx.dialect === "postgres"
      ? await tx.get<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t")
      : await tx.get<{ t: string | null }>(
          "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
        );
  if (!exists?.t) return [];
  const rows = await tx.all<{ version: number }>("SELECT version FROM schema_migrations ORDER BY version");
  return rows.map((row) => Number(row.version));
}

/** The newest migration recorded in this (migrated) database, 0 when none is. */
export async function newestMigration(db: SqlExecutor): Promise<number> {
  const row = await db.get<{ v: number | null }>("SELECT MAX(version) AS v FROM schema_migrations");
  return Number(row?.v ?? 0);
}

/** Throws StoreSchemaTooNewError when the database records a migration this build lacks. */
export async function refuseNewerSchema(tx: SqlExecutor, location: string): Promise<void> {
  const known = new Set(MIGRATIONS.map((migration) => migration.version));
  const unknown = (await appliedMigrations(tx)).filter((version) => !known.has(version));
  if (unknown.length > 0)
    throw new StoreSchemaTooNewError({
      storeVersion: Math.max(...unknown),
      buildVersion: SCHEMA_VERSION,
      location,
    });
}

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** True when `applied` is exactly this build's migrations (the store needs nothing done). */
function isCurrent(applied: readonly number[]): boolean {
  return (
    applied.length === MIGRATIONS.length &&
    MIGRATIONS.every((migration, index) => applied[index] === migration.version)
  );
}
