import { chmodSync, closeSync, constants, lstatSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import { AuditLog } from "../audit/audit-log.ts";
import { InputError } from "../input-error.ts";
import { registerSecret } from "../logging/secrets.ts";
import { Outbox } from "../outbox/queue.ts";
import { dataDirError } from "./data-dir-error.ts";
import { StoreSchemaTooNewError, StoreUnavailableError } from "./errors.ts";
import { type InstanceIdentity, newInstanceIdentity } from "./instance.ts";
import { Journal } from "./journal.ts";
import { KeyValueStore } from "./kv.ts";
import { type Lease, LeaseTable } from "./leases.ts";
import { ensureSchema, migrate, newestMigration, SCHEMA_VERSION } from "./migrations.ts";
import { RateShares } from "./rate-shares.ts";
import { SeenIds } from "./seen-ids.ts";
import type { SqlDb } from "./sql.ts";
import { openSqliteDb } from "./sqlite-db.ts";

/**
 * The durable store, as callers see it: the journal, the audit log, the outbox, checkpoints and
 * leases. The same tables and code run on SQLite (one host, the default) and PostgreSQL
 * (several instances); the parts are written against the `SqlDb` seam in sql.ts.
 */
export interface Store {
  /** Where the data lives: a file path for SQLite, the URL without password for PostgreSQL. */
  readonly location: string;
  readonly backend: "sqlite" | "postgres";
  /** This process's identity in leases (`host:pid:boot:pidns:random`), unique per open store. */
  readonly instance: InstanceIdentity;
  readonly journal: Journal;
  readonly audit: AuditLog;
  readonly outbox: Outbox;
  readonly kv: KeyValueStore;
  /** Webhook ids already received (replay protection that survives restarts). */
  readonly seenIds: SeenIds;
  readonly leases: LeaseTable;
  /** Shares of the tenant's rate limits held by the processes using this store. */
  readonly rateShares: RateShares;
  /** The SQL seam itself, for modules that keep their own tables (compliance, migrate). */
  readonly db: SqlDb;
  /** A cheap round trip: false when the database does not answer (readiness). */
  ping(): Promise<boolean>;
  /**
   * One round trip: the refusal when a newer build has migrated the store since it was opened
   * (a rolling upgrade's new instance), else null; rejects when the database does not answer.
   * A running instance reports itself not ready then (service readiness).
   */
  schemaTooNew(): Promise<StoreSchemaTooNewError | null>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Default actor (the CXone client id) for journaled operations. */
  actor?: string;
  /** `full` (default) fsyncs every commit; see sqlite-db.ts for why. */
  synchronous?: "full" | "normal";
  busyTimeoutMs?: number;
  /** A readable instance name for leases, health and metrics (default: the host name). */
  instanceName?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** PostgreSQL: a session idle inside a transaction this long is ended (default 15 s; postgres-db.ts says why). */
  idleInTransactionMs?: number;
  /** How long a journal row's lease lasts without renewal (default 30 s). */
  journalLeaseMs?: number;
  /**
   * Whether this instance renews the leases of the journal rows it is running (default true).
   * false: its rows keep the lease they were written with until it runs out, as a host that froze
   * would leave them (another instance then takes them over).
   */
  journalRenewsLeases?: boolean;
}

/** Where the store is: the data dir, or a PostgreSQL URL (settings.store.url) when set. */
export interface StoreTarget {
  dataDir: string;
  /** The business unit whose store this is (`tenants:`): its outbox events name it. */
  tenant?: string | undefined;
  store?:
    | { url?: string | undefined; groupCommitMs?: number | undefined; schema?: string | undefined }
    | undefined;
}

export const STORE_FILE = "cxo.sqlite";

// Defined beside the other store errors (a module that loads no driver: the SDK's front door
// exports it, and must load on a Node without node:sqlite to say which Node it needs).
export { StoreUnavailableError };

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens the store, creating its schema on first use: PostgreSQL when `target.store.url` is a
 * postgres:// URL, else SQLite in the data dir (created if missing). A plain string is a data dir.
 */
export async function openStore(
  target: string | StoreTarget,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const { dataDir, store: storeSettings } =
    typeof target === "string" ? { dataDir: target, store: undefined } : target;
  const url = storeSettings?.url;
  let db: SqlDb;
  let location: string;
  if (isPostgresUrl(url)) {
    // pg is loaded only for a PostgreSQL store: SQLite users (and `cxo --version`) never pay for it.
    const { openPostgresDb, passwordOf, redactUrl } = await import("./postgres-db.ts");
    const schema = storeSettings?.schema;
    location = schema ? `${redactUrl(url)} (schema ${schema})` : redactUrl(url);
    registerSecret(passwordOf(url)); // never in a log line, error or audit record
    db = openPostgresDb(url, {
      ...(options.poolSize ? { max: options.poolSize } : {}),
      ...(options.idleInTransactionMs ? { idleInTransactionMs: options.idleInTransactionMs } : {}),
      ...(schema ? { schema } : {}),
    });
  } else {
    location = path.join(dataDir, STORE_FILE);
    try {
      privateDataDir(dataDir, location);
      db = openSqliteDb(location, {
        ...(options.synchronous ? { synchronous: options.synchronous } : {}),
        ...(options.busyTimeoutMs ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
      });
    } catch (error) {
      throw dataDirError(dataDir, error);
    }
  }
  try {
    // A tenant's schema is made on first use, like the SQLite file (the name is a checked identifier).
    if (db.dialect === "postgres" && storeSettings?.schema) await ensureSchema(db, storeSettings.schema);
    await migrate(db, location);
  } catch (error) {
    await db.close().catch(() => undefined);
    if (error instanceof StoreSchemaTooNewError) throw error;
    if (db.dialect === "postgres")
      throw new StoreUnavailableError(
        `the PostgreSQL store at ${location} could not be opened: ${(error as Error).message || String(error)}`,
      );
    throw dataDirError(dataDir, error);
  }
  const instance = newInstanceIdentity(options.instanceName);
  const tenant = typeof target === "string" ? undefined : target.tenant;
  const audit = new AuditLog(db, tenant);
  await audit.bindGenesis();
  const outbox = new Outbox(db, tenant);
  const groupCommitMs = storeSettings?.groupCommitMs;
  const rateShares = new RateShares(db, instance);
  const journal = new Journal(
    db,
    outbox,
    options.actor ?? null,
    instance,
    options.journalLeaseMs,
    undefined,
    {
      groupCommit: groupCommitMs === undefined ? {} : { windowMs: groupCommitMs },
      ...(options.journalRenewsLeases === undefined ? {} : { renewLeases: options.journalRenewsLeases }),
    },
  );
  return {
    location,
    backend: db.dialect,
    instance,
    journal,
    audit,
    outbox,
    kv: new KeyValueStore(db),
    seenIds: new SeenIds(db),
    leases: new LeaseTable(db, instance),
    rateShares,
    db,
    ping: async () => {
      try {
        await db.get("SELECT 1 AS ok");
        return true;
      } catch {
        return false;
      }
    },
    schemaTooNew: async () => {
      const version = await newestMigration(db);
      return version > SCHEMA_VERSION
        ? new StoreSchemaTooNewError({ storeVersion: version, buildVersion: SCHEMA_VERSION, location })
        : null;
    },
    close: async () => {
      await journal.releaseLeases();
      await rateShares.releaseAll().catch(() => undefined);
      await db.close();
    },
  };
}

/**
 * The store as the holder of `lease` may use it: journal rows and checkpoints are written only
 * while the lease is still held with its token (the fence), everything else is shared.
 */
export function fencedStore(store: Store, lease: Lease): Store {
  return { ...store, journal: store.journal.withFence(lease), kv: store.kv.withFence(lease) };
}

/**
 * The data dir is the owner's alone (0700) and so is the store (0600): it holds the journal,
 * the audit log and the board users. SQLite gives its -wal and -shm files the database file's
 * mode, so the file is created 0600 before SQLite opens it. A data dir or store an earlier
 * version made 0755/0644 is narrowed (when this user owns it; otherwise it is left as it is).
 */
export function privateDataDir(dataDir: string, storeFile: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    // The directory the user named (a link to it is theirs to make): narrowed where it points.
    chmodSync(dataDir, 0o700);
  } catch {
    // not ours to change (another user's directory): leave it
  }
  // The store and its -wal and -shm are never opened or narrowed through a link (one planted
  // there would have SQLite create or write a file elsewhere, and the chmod below narrow that
  // file: issue 63 N18); the store is created exclusively, as this user's alone.
  const files = [storeFile, `${storeFile}-wal`, `${storeFile}-shm`];
  for (const file of files)
    if (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink())
      throw new InputError({
        field: "dataDir",
        rule: `"${file}" is a symbolic link: cxo opens its store only as regular files; remove the link, or set \`dataDir\`, CXO_DATA_DIR or dataDir in the config file to another directory`,
      });
  try {
    closeSync(
      openSync(
        storeFile,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o600,
      ),
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  for (const file of files) narrowFile(file, 0o600);
}

/**
 * Narrows a file of the store to `mode` without following a link and WITHOUT opening it: closing
 * any descriptor of a SQLite file releases every POSIX lock this process holds on it (fcntl
 * locks are per process), so an open-and-close here, while another connection of the same
 * process has the store open, let two writers in at once and corrupted the database ("database
 * disk image is malformed"). So: lstat (a link is left alone: refused above), and chmod only a
 * regular file that is not yet private. A link planted between the lstat and the chmod is the
 * remaining window; planting one needs write access to the 0700 data dir, i.e. to be this user.
 */
function narrowFile(file: string, mode: number): void {
  const stat = lstatSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile() || (stat.mode & 0o777) === mode) return;
  try {
    chmodSync(file, mode);
  } catch {
    // not ours to change (another user's file): leave it
  }
}
