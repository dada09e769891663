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
