/**
 * The SQL seam between our tables and a database engine. Journal, audit and outbox code is
 * written against this interface only, with portable SQL (`?` placeholders, no engine-specific
 * functions); sqlite-db.ts and postgres-db.ts implement it. It is async because PostgreSQL is;
 * the SQLite driver simply resolves at once.
 */

export type SqlValue = string | number | null;
export type SqlRow = Record<string, SqlValue>;

export interface SqlRunResult {
  changes: number;
}

/** Statements usable inside and outside a transaction. */
export interface SqlExecutor {
  /** For the few statements whose spelling differs (row locks: `FOR UPDATE` on PostgreSQL only). */
  readonly dialect: SqlDialect;
  all<T extends object = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T extends object = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /**
   * Rows as arrays, the columns in the statement's order: for a hot read of many rows, where
   * naming each row's fields cost more than the search (compliance check's touches).
   */
  values<T extends readonly SqlValue[] = SqlValue[]>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  run(sql: string, params?: readonly SqlValue[]): Promise<SqlRunResult>;
}

export type SqlDialect = "sqlite" | "postgres";

export interface TransactionOptions {
  /**
   * `relaxed`: the commit may be lost on power failure (never on a process crash). Only for
   * bookkeeping whose loss is harmless, e.g. delivery leases and results (the worst case is one
   * more delivery, which at-least-once allows). SQLite: synchronous=NORMAL for that commit;
   * PostgreSQL: SET LOCAL synchronous_commit = off.
   */
  durability?: "full" | "relaxed";
}

export interface SqlDb extends SqlExecutor {
  /**
   * Runs `fn` in one write transaction: commit when it resolves, roll back when it throws.
   * Statements issued through `db` (not `tx`) while it runs wait for it, so nothing unrelated
   * ends up inside the transaction.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Schema statements (migrations): several `;`-separated statements, no parameters. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The database's own clock in epoch milliseconds, as an SQL expression. Leases compare against
 * it rather than each instance's clock, so instances on hosts whose clocks disagree still agree
 * on when a lease has run out (on PostgreSQL the server's clock is the one clock).
 */
export function clockMsSql(dialect: SqlDialect): string {
  return dialect === "postgres"
    ? "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
    : "CAST(unixepoch('subsec') * 1000 AS INTEGER)";
}

/** `FOR UPDATE` (or another row-lock clause) on PostgreSQL; SQLite's write lock already covers it. */
export function rowLock(dialect: SqlDialect, clause = "FOR UPDATE"): string {
  return dialect === "postgres" ? ` ${clause}` : "";
}

/** The distinct keys of `values`, less the empty one (a lookup's keys: "" names no account). */
export function distinctKeys(values: Iterable<string>): string[] {
  return [...new Set(values)].filter((key) => key !== "");
}

/** `?, ?, …`: a placeholder for each of `values` (an `IN (…)` list). */
export function placeholders(values: readonly unknown[]): string {
  return values.map(() => "?").join(", ");
}

/**
 * The rows `select` gives for `keys`, asked `per` keys a query (an `IN (…)` list kept well under
 * SQLite's and PostgreSQL's parameter limits): `select` is given each batch's placeholders, and
 * the rows come batch after batch, each as the database returned it.
 */
export async function allInBatches<T extends object>(
  db: SqlExecutor,
  keys: readonly string[],
  per: number,
  select: (marks: string) => string,
): Promise<T[]> {
  const rows: T[] = [];
  for (let i = 0; i < keys.length; i += per) {
    const part = keys.slice(i, i + per);
    for (const row of await db.all<T>(select(placeholders(part)), part)) rows.push(row);
  }
  return rows;
}

/** Each key's values, in the order of `rows` (keys in the order first met). */
export function groupRows<R, V>(
  rows: readonly R[],
  keyOf: (row: R) => string,
  value: (row: R) => V,
): Map<string, V[]> {
  const found = new Map<string, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = found.get(key);
    if (list) list.push(value(row));
    else found.set(key, [value(row)]);
  }
  return found;
}
