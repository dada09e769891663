import pg from "pg";
import type { SqlDb, SqlExecutor, SqlRunResult, SqlValue, TransactionOptions } from "./sql.ts";

/**
 * The PostgreSQL driver, on node-postgres (`pg`) with its connection pool.
 *
 * - Our SQL is written once with `?` placeholders; they become `$1…$n` here (outside quoted
 *   text), so journal, audit and outbox code stays engine-neutral.
 * - BIGINT/COUNT come back as JS numbers: every integer we store (epoch ms, sequence numbers)
 *   is far below 2^53, and the SQLite driver returns numbers too.
 * - A transaction holds one pooled client from BEGIN to COMMIT; statements through the db
 *   itself go to any other free client, so several transactions run at once. Where ordering
 *   matters the SQL says so (row locks: `FOR UPDATE`, `SKIP LOCKED`), not a process mutex.
 * - `relaxed` commits use `SET LOCAL synchronous_commit = off`: the commit may be lost on a
 *   server crash, never half-applied; for delivery bookkeeping only (see sql.ts).
 */
export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  max?: number;
  /** How long to wait for a connection before failing (default 10 s). */
  connectionTimeoutMs?: number;
  /** Called when an idle pooled connection breaks (server restart, network): not fatal. */
  onIdleError?: (error: Error) => void;
  /** The schema the store's tables live in (a lowercase SQL identifier, validated by the settings). */
  schema?: string;
  /**
   * The database ends a session left idle inside a transaction this long (default 15 s;
   * `idle_in_transaction_session_timeout`). A fenced write holds its lease row FOR SHARE from
   * its check to its commit: a process paused there (SIGSTOP, a long GC, a frozen VM) would
   * otherwise keep that lock while its connection stays open, and no other instance could take
   * the lease over, however long ago it expired. Ended, the paused write is rolled back and the
   * takeover waits at most this long past the lease. Our transactions run their statements
   * back to back: 15 s idle inside one is a stalled process, not work.
   */
  idleInTransactionMs?: number;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const numberTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID || oid === NUMERIC_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** `?` → `$n`, leaving quoted strings and identifiers alone. Cached per SQL text. */
const converted = new Map<string, string>();
export function toPositional(sql: string): string {
  const cached = converted.get(sql);
  if (cached !== undefined) return cached;
  let out = "";
  let n = 0;
  let quote: string | null = null;
  for (const char of sql) {
    if (quote) {
      if (char === quote) quote = null;
      out += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      out += char;
    } else if (char === "?") {
      n += 1;
      out += `$${n}`;
    } else out += char;
  }
  if (converted.size < 2000) converted.set(sql, out);
  return out;
}

type Query = (
  config: pg.QueryConfig<SqlValue[]> | pg.QueryArrayConfig<SqlValue[]>,
) => Promise<pg.QueryResult>;

function executor(query: Query): SqlExecutor {
  const text = (sql: string, params: readonly SqlValue[]) => ({
    text: toPositional(sql),
    values: [...params],
  });
  return {
    dialect: "postgres",
    all: async <T extends object>(sql: string, params: readonly SqlValue[] = []) =>
      (await query(text(sql, params))).rows as T[],
    get: async <T extends object>(sql: string, params: readonly SqlValue[] = []) =>
      (await query(text(sql, params))).rows[0] as T | undefined,
    values: async <T extends readonly SqlValue[]>(sql: string, params: readonly SqlValue[] = []) =>
      (await query({ ...text(sql, params), rowMode: "array" })).rows as unknown as T[],
    run: async (sql: string, params: readonly SqlValue[] = []): Promise<SqlRunResult> => ({
      changes: (await query(text(sql, params))).rowCount ?? 0,
    }),
  };
}

export function openPostgresDb(url: string, options: PostgresOptions = {}): SqlDb {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    idle_in_transaction_session_timeout: options.idleInTransactionMs ?? 15_000,
    types: numberTypes,
    application_name: "cxone-outbound",
    // A tenant's store is its own schema: every statement of every pooled connection resolves
    // the store's tables there, so no query can reach another business unit's rows.
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client whose connection dies emits on the pool; without a listener Node would
  // crash the process. The next query gets a fresh connection (or fails, and says so).
  pool.on("error", (error) => options.onIdleError?.(error));
  const direct = executor((config) => pool.query(config));
  let closed = false;

  return {
    ...direct,
    dialect: "postgres",
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async <T>(fn: (tx: SqlExecutor) => Promise<T>, txOptions: TransactionOptions = {}) => {
      const client = await pool.connect();
      let broken: Error | undefined;
      // A checked-out client whose connection dies emits 'error' on itself (the pool only
      // listens to idle ones): without this listener a database outage would crash the process.
      const onError = (error: Error) => {
        broken = error;
      };
      client.on("error", onError);
      try {
        // One round trip for both statements of a relaxed transaction.
        await client.query(
          txOptions.durability === "relaxed" ? "BEGIN; SET LOCAL synchronous_commit = off" : "BEGIN",
        );
        const result = await fn(executor((config) => client.query(config)));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        try {
          await client.query("ROLLBACK");
        } catch (rollbackError) {
          broken = rollbackError as Error; // the connection is gone: do not reuse it
        }
        throw error;
      } finally {
        client.off("error", onError);
        client.release(broken);
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/** The URL without its password, for messages and `/api/health`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres://(unparsable url)";
  }
}

export function passwordOf(url: string): string | undefined {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password.length >= 4 ? password : undefined;
  } catch {
    return undefined;
  }
}
