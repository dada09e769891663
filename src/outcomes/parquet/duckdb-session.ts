import type { DuckDBConnection } from "@duckdb/node-api";
import { DuckDbMissingError } from "./duckdb-missing-error.ts";

/** DuckDB, imported on demand; absent, a DuckDbMissingError saying how to install it or what to use instead. */
export async function importDuckDb(instead: string): Promise<typeof import("@duckdb/node-api")> {
  try {
    return await import("@duckdb/node-api");
  } catch (cause) {
    throw new DuckDbMissingError(
      `reading a Parquet dataset needs the optional dependency @duckdb/node-api: npm install @duckdb/node-api (or ${instead})`,
      { cause },
    );
  }
}

/** A text as a SQL string literal. */
export const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * `work` on a connection to an in-memory DuckDB in UTC (the readers of an outcomes dataset:
 * learn, caller-ID health): the call's signal interrupts a running query (the work then rejects
 * with its reason), and the database is closed however the work ends. `instead` says what the
 * user can do without DuckDB installed.
 */
export async function withDuckDb<T>(
  instead: string,
  signal: AbortSignal | undefined,
  work: (db: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const duckdb = await importDuckDb(instead);
  const instance = await duckdb.DuckDBInstance.create(":memory:");
  const db = await instance.connect();
  const interrupt = () => db.interrupt();
  signal?.addEventListener("abort", interrupt, { once: true });
  try {
    signal?.throwIfAborted();
    await db.run("SET TimeZone = 'UTC'");
    return await work(db);
  } catch (error) {
    // An interrupted query fails with DuckDB's own words: the call's reason is the answer.
    signal?.throwIfAborted();
    throw error;
  } finally {
    signal?.removeEventListener("abort", interrupt);
    db.closeSync();
    instance.closeSync();
  }
}
