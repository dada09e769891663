import path from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { isDiskFull, StoreFullError, spaceLeft } from "./errors.ts";
import { Mutex } from "./mutex.ts";
import type { SqlDb, SqlExecutor, SqlRunResult, SqlValue, TransactionOptions } from "./sql.ts";

/**
 * The SQLite driver, on Node's built-in `node:sqlite` (no native add-on to build).
 *
 * - WAL: readers (`cxo audit tail --follow`, `cxo outbox status`) never block the writer.
 * - synchronous=FULL by default: every commit is fsynced before it returns. The journal and
 *   the audit log record side effects already made on CXone, which cannot be rolled back, so a
 *   power cut must not lose them; NORMAL would survive `kill -9` but could lose the last
 *   commits on power loss. FULL costs one fsync per commit, which is why appends are batched.
 * - busy timeout: another process (the CLI next to `cxo serve`) may hold the write lock for a
 *   moment; wait for it instead of failing.
 * - BEGIN IMMEDIATE: a transaction takes the write lock up front, so the read of the audit
 *   chain head and the append after it cannot interleave with another process.
 */
export interface SqliteOptions {
  synchronous?: "full" | "normal";
  busyTimeoutMs?: number;
}

/**
 * How long a statement waits for another process's write lock. Several processes opening a new
 * store at once take turns at its migrations (a transaction each, fsynced): seven `cxo` commands
 * started together on a fresh data dir beside a busy test suite waited past 5 s and one failed
 * with "database is locked". Waiting longer costs nothing when nobody holds the lock.
 */
const DEFAULT_BUSY_TIMEOUT_MS = 30_000;

/** SQLite's SQLITE_BUSY result code, as node:sqlite reports it (`errcode`). */
const SQLITE_BUSY = 5;

/**
 * Runs `step`, waiting while SQLite refuses it as busy, up to `timeoutMs`. For the one case the
 * busy timeout does not cover: a new file is in rollback-journal mode until its first opener
 * switches it to WAL, and while another process holds that file's write lock the switch is
 * refused at once (SQLite sees a possible deadlock and skips the busy handler). Four `cxo`
 * commands started together on a fresh data dir failed that way with "database is locked".
 */
function waitWhileBusy(step: () => void, timeoutMs: number): void {
  // performance.now(): a simulated clock (CXO_CLOCK @xN) must not shorten a real wait.
  const deadline = performance.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; ; attempt++) {
    try {
      step();
      return;
    } catch (error) {
      if ((error as { errcode?: number }).errcode !== SQLITE_BUSY || performance.now() >= deadline)
        throw error;
      // The open is synchronous (so is node:sqlite): a short blocking pause, growing to 50 ms.
      Atomics.wait(pause, 0, 0, Math.min(50, 5 * (attempt + 1)));
    }
  }
}

export function openSqliteDb(file: string, options: SqliteOptions = {}): SqlDb {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const db = new DatabaseSync(file, { timeout: busyTimeoutMs });
  // Takes effect only when the file is created (before WAL mode); an existing store keeps its
  // size. Every commit writes each B-tree page it changed to the WAL, and a group commit
  // changes the last page of about a dozen trees (journal, audit log, outbox, checkpoints and
  // their indexes) for a few hundred bytes each: half the page size is about a third less
  // written per journaled row (bench tag-commit), for one more B-tree level on large indexes.
  db.exec("PRAGMA page_size = 2048");
  try {
    waitWhileBusy(() => db.exec("PRAGMA journal_mode = WAL"), busyTimeoutMs);
  } catch (error) {
    db.close();
    throw error;
  }
  const durableMode = options.synchronous === "normal" ? "NORMAL" : "FULL";
  db.exec(`PRAGMA synchronous = ${durableMode}`);
  db.exec("PRAGMA foreign_keys = ON");
  // Deleted and overwritten content is zeroed, not left in free pages (a removed user's hash).
  db.exec("PRAGMA secure_delete = ON");
  // Each unit of a group commit runs in a SAVEPOINT, for which SQLite keeps a statement journal;
  // on disk that was a temp file per group (strace: ~18 KB of writes per tagged row, deleted
  // before they reach the disk but still a write syscall each). In memory it is at most one
  // group's changed pages.
  db.exec("PRAGMA temp_store = MEMORY");

  // Prepared once per SQL text: our statements are a small fixed set.
  const statements = new Map<string, StatementSync>();
  const prepare = (sql: string): StatementSync => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  // The same texts returning rows as arrays (`values`): a statement's mode is its own setting.
  const arrayStatements = new Map<string, StatementSync>();
  const prepareArrays = (sql: string): StatementSync => {
    let statement = arrayStatements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statement.setReturnArrays(true);
      arrayStatements.set(sql, statement);
    }
    return statement;
  };

  // Direct (unlocked) execution; used inside a transaction, which already holds the lock.
  const direct: SqlExecutor = {
    dialect: "sqlite",
    all: async <T extends object>(sql: string, params: readonly SqlValue[] = []) =>
      prepare(sql).all(...params) as T[],
    get: async <T extends object>(sql: string, params: readonly SqlValue[] = []) =>
      prepare(sql).get(...params) as T | undefined,
    values: async <T extends readonly SqlValue[]>(sql: string, params: readonly SqlValue[] = []) =>
      prepareArrays(sql).all(...params) as unknown as T[],
    run: async (sql: string, params: readonly SqlValue[] = []): Promise<SqlRunResult> => {
      const result = prepare(sql).run(...params);
      return { changes: Number(result.changes) };
    },
  };

  const mutex = new Mutex();
  let closed = false;
  // A full disk is said as such, naming the data dir (issue 88 L14), whichever statement hit it:
  // a transaction's own statements throw through it, so every entry point below is covered.
  const full = { location: file, dataDir: path.dirname(file) };
  const locked = <T>(step: () => Promise<T> | T): Promise<T> =>
    mutex.lock(step).catch((error: unknown) => {
      throw isDiskFull(error, () => spaceLeft(full.dataDir))
        ? new StoreFullError({ ...full, cause: error })
        : error;
    });

  return {
    dialect: "sqlite",
    all: (sql, params) => locked(() => direct.all(sql, params)),
    get: (sql, params) => locked(() => direct.get(sql, params)),
    values: (sql, params) => locked(() => direct.values(sql, params)),
    run: (sql, params) => locked(() => direct.run(sql, params)),
    exec: (sql) =>
      locked(() => {
        db.exec(sql);
      }),
    transaction: <T>(fn: (tx: SqlExecutor) => Promise<T>, txOptions: TransactionOptions = {}) =>
      locked(async () => {
        // WAL frames are written in order, so a relaxed commit followed by a full one is made
        // durable by the latter's fsync: mixing the two never reorders history.
        const relaxed = txOptions.durability === "relaxed" && durableMode === "FULL";
        if (relaxed) db.exec("PRAGMA synchronous = NORMAL");
        try {
          db.exec("BEGIN IMMEDIATE");
          try {
            const result = await fn(direct);
            db.exec("COMMIT");
            return result;
          } catch (error) {
            if (db.isTransaction) db.exec("ROLLBACK");
            throw error;
          }
        } finally {
          if (relaxed) db.exec(`PRAGMA synchronous = ${durableMode}`);
        }
      }),
    close: () =>
      mutex.lock(() => {
        if (closed) return;
        closed = true;
        statements.clear();
        arrayStatements.clear();
        db.close();
      }),
  };
}
