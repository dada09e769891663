import { existsSync } from "node:fs";
import path from "node:path";
import { verifyAuditChain } from "../audit/verify.ts";
import { InputError } from "../input-error.ts";
import { openStore, STORE_FILE, type Store } from "./open-store.ts";
import type { SqlExecutor, SqlValue } from "./sql.ts";

/**
 * `cxo store migrate --to postgres://…`: copies the embedded SQLite store of a data dir into a
 * PostgreSQL database, table by table, every column as stored — the journal (pending rows
 * included), the audit log with its hashes (so the chain verifies unchanged), the outbox with
 * each event's state, attempts and schedule, checkpoints, leases, webhook ids, the DNC list,
 * call attempts and whatever tables later migrations add (they are listed from the source, not
 * named here). The whole copy is one PostgreSQL transaction: it lands entirely or not at all.
 * The target must be empty (freshly migrated); the copy then checks row counts and the chain.
 */
export interface CopyReport {
  from: string;
  to: string;
  tables: Record<string, number>;
  audit: { ok: boolean; records: number; headHash: string; reason: string | null };
}

const PAGE = 500;
// Tables whose rows the target's own migrations already wrote: replaced by the source's.
const SEEDED_TABLES = new Set(["audit_head"]);
const NOT_COPIED = new Set(["schema_migrations"]);

export async function copySqliteStoreToPostgres(dataDir: string, url: string): Promise<CopyReport> {
  if (!existsSync(path.join(dataDir, STORE_FILE)))
    throw new InputError({
      field: "dataDir",
      rule: `no store to migrate: ${path.join(dataDir, STORE_FILE)} does not exist`,
    });
  const source = await openStore(dataDir);
  let target: Store | undefined;
  try {
    target = await openStore({ dataDir, store: { url } });
    if (target.backend !== "postgres")
      throw new InputError({ field: "to", rule: "must be a postgres:// or postgresql:// URL" });
    await refuseUnlessEmpty(target);
    const tables = await sourceTables(source);
    const counts: Record<string, number> = {};
    const into = target;
    // The source's write lock for the whole copy: no process can add a row that would be missed.
    await source.db.transaction(async (from) => {
      await into.db.transaction(async (to) => {
        for (const table of tables) counts[table] = await copyTable(from, to, table);
        await resetIdentities(to);
      });
    });
    for (const table of tables) {
      const row = await target.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
      if (Number(row?.n) !== counts[table])
        throw new Error(
          `copy check failed: ${table} has ${row?.n} rows in PostgreSQL, ${counts[table]} in SQLite`,
        );
    }
    const audit = await verifyAuditChain(target.db, source.audit.tenant);
    return {
      from: source.location,
      to: target.location,
      tables: counts,
      audit: { ok: audit.ok, records: audit.records, headHash: audit.headHash, reason: audit.reason },
    };
  } finally {
    await target?.close();
    await source.close();
  }
}

/**
 * Every table of the target's schema must be empty (a lease, a webhook id or a DNC number
 * means an instance already used it): the copy would collide with those rows. Only what its own
 * migrations wrote is allowed: their record, and the audit chain's genesis head.
 */
async function refuseUnlessEmpty(target: Store): Promise<void> {
  const tables = await target.db.all<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  for (const { name: table } of tables) {
    if (NOT_COPIED.has(table) || !/^[a-z_][a-z0-9_]*$/.test(table)) continue;
    const where = table === "audit_head" ? " WHERE seq <> 0" : "";
    const row = await target.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}${where}`);
    const rows = Number(row?.n);
    if (rows > 0)
      throw new InputError({
        field: "to",
        rule: `the database already holds a store (${table} has ${rows} ${rows === 1 ? "row" : "rows"}); migrate into an empty database`,
      });
  }
}

async function sourceTables(source: Store): Promise<string[]> {
  const rows = await source.db.all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  return rows
    .map((row) => row.name)
    .filter((name) => !NOT_COPIED.has(name) && /^[a-z_][a-z0-9_]*$/.test(name));
}

async function copyTable(from: SqlExecutor, to: SqlExecutor, table: string): Promise<number> {
  const info = await from.all<{ name: string; pk: number }>(
    `SELECT name, pk FROM pragma_table_info('${table}')`,
  );
  const columns = info.map((column) => column.name);
  // Pages in key order: by rowid, or by the primary key of a WITHOUT ROWID table (kv).
  const listed = await from.get<{ wr: number }>("SELECT wr FROM pragma_table_list WHERE name = ?", [table]);
  const keys =
    Number(listed?.wr) === 1
      ? info
          .filter((column) => column.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((column) => column.name)
      : ["rowid"];
  if (SEEDED_TABLES.has(table)) await to.run(`DELETE FROM ${table}`);
  const list = columns.join(", ");
  const keyList = keys.map((key, i) => `${key} AS _k${i}`).join(", ");
  const order = keys.join(", ");
  let copied = 0;
  let after: SqlValue[] | undefined;
  for (;;) {
    const where = after ? `WHERE (${order}) > (${keys.map(() => "?").join(", ")})` : "";
    const rows = await from.all<Record<string, SqlValue>>(
      `SELECT ${keyList}, ${list} FROM ${table} ${where} ORDER BY ${order} LIMIT ?`,
      [...(after ?? []), PAGE],
    );
    if (rows.length === 0) return copied;
    const tuple = `(${columns.map(() => "?").join(", ")})`;
    // OVERRIDING SYSTEM VALUE: identity columns (journal.seq, outbox.seq…) keep their values,
    // so delivery order and the journal's order survive the move.
    await to.run(
      `INSERT INTO ${table} (${list}) OVERRIDING SYSTEM VALUE VALUES ${rows.map(() => tuple).join(", ")}`,
      rows.flatMap((row) => columns.map((column) => normalise(row[column]))),
    );
    copied += rows.length;
    const last = rows[rows.length - 1]!;
    after = keys.map((_, i) => last[`_k${i}`] as SqlValue);
  }
}

const normalise = (value: unknown): SqlValue =>
  typeof value === "bigint" ? Number(value) : ((value as SqlValue | undefined) ?? null);

/** Identity sequences continue after the copied values, or the next insert would collide. */
async function resetIdentities(to: SqlExecutor): Promise<void> {
  const identities = await to.all<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE is_identity = 'YES' AND table_schema = current_schema()`,
  );
  for (const { table_name: table, column_name: column } of identities)
    await to.get(
      `SELECT setval(pg_get_serial_sequence('${table}', '${column}'), COALESCE((SELECT MAX(${column}) FROM ${table}), 0) + 1, false)`,
    );
}
