import { statfsSync } from "node:fs";
import { CxoError } from "../cxo-error.ts";
/**
 * The store was migrated by a newer build: it records migrations this build does not know (a
 * rolling upgrade's first new instance ran them). This build refuses to read or write it: the
 * newer schema may have a column this build would leave empty (a NOT NULL column fails every
 * insert; a defaulted one is filled with a value the newer code does not expect). Nothing was
 * written; the fix is to upgrade this binary, never to downgrade the store. The CLI exits 2.
 */
export class StoreSchemaTooNewError extends CxoError {
  override readonly name = "StoreSchemaTooNewError";
  /** Stable, to switch on. */
  readonly code = "store_schema_too_new";
  /** The highest migration the store records. */
  readonly storeVersion: number;
  /** The highest migration this build knows. */
  readonly buildVersion: number;
  /** Where the store is (file path, or the URL without its password). */
  readonly location: string;

  constructor(options: { storeVersion: number; buildVersion: number; location: string }) {
    super(
      `the store at ${options.location} has schema version ${options.storeVersion}, newer than this cxo build knows (${options.buildVersion}): a newer cxo migrated it; upgrade this cxo binary to the version the other instances run (nothing was written)`,
    );
    this.storeVersion = options.storeVersion;
    this.buildVersion = options.buildVersion;
    this.location = options.location;
  }
}

/** Thrown when the configured database cannot be reached or opened; says which and why. */
export class StoreUnavailableError extends CxoError {
  override readonly name = "StoreUnavailableError";
  readonly code = "store_unavailable" as const;
}

/**
 * The disk holding the store is full (SQLite: `SQLITE_FULL`, "database or disk is full"; a file of
 * the data dir: ENOSPC): the step that needed the space was not recorded (its transaction rolled
 * back), what was committed before it stays. Said in the user's terms, naming where the store is,
 * never as the operation's own failure.
 * The CLI exits 1.
 */
export class StoreFullError extends CxoError {
  override readonly name = "StoreFullError";
  readonly code = "store_full" as const;
  /** The store's file (SQLite) or where it is. */
  readonly location: string;
  /** The data dir the store is in (SQLite), when known. */
  readonly dataDir: string | undefined;

  constructor(options: { location: string; dataDir?: string | undefined; cause?: unknown }) {
    const where = options.dataDir === undefined ? options.location : `the data dir ${options.dataDir}`;
    super(
      `the disk holding ${where} is full: the store (${options.location}) could not be written, and what this step would have recorded was not; free space on that disk (or set \`dataDir\`, CXO_DATA_DIR or dataDir in the config file to a directory on another disk), then run the command again`,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.location = options.location;
    this.dataDir = options.dataDir;
  }
}

/**
 * SQLite's SQLITE_FULL (13; node:sqlite's `errcode`, extended or not) or ENOSPC from a file write;
 * or SQLite's SQLITE_IOERR (10) on a file system with no room left (`spaceLeft` in bytes): on a
 * disk filled to the last block SQLite cannot size its WAL index (`-shm`) and says only "disk I/O
 * error" (SQLITE_IOERR_SHMSIZE), its errno not exposed by node:sqlite.
 */
export function isDiskFull(error: unknown, spaceLeft?: () => number | undefined): boolean {
  const { errcode, code } = (error ?? {}) as { errcode?: unknown; code?: unknown };
  if ((typeof errcode === "number" && (errcode & 0xff) === 13) || code === "ENOSPC") return true;
  if (typeof errcode !== "number" || (errcode & 0xff) !== 10 || !spaceLeft) return false;
  const left = spaceLeft();
  return left !== undefined && left < NEARLY_FULL_BYTES;
}

/** Less room than this on the store's file system, an I/O error is read as the disk being full. */
const NEARLY_FULL_BYTES = 1 << 20;

/** Bytes this user may still write on the file system of `dir` (undefined when it cannot be read). */
export function spaceLeft(dir: string): number | undefined {
  try {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}
