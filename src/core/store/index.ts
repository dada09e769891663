export { actingAs } from "./acting-as.ts";
export { StoreSchemaTooNewError } from "./errors.ts";
export { type InstanceIdentity, newInstanceIdentity } from "./instance.ts";
export {
  type EffectContext,
  type Finish,
  failureFinish,
  Journal,
  type JournalEntry,
  type JournalStatus,
  type Operation,
  type OperationRequest,
  type RedriveReport,
  type Settled,
} from "./journal.ts";
export { type Checkpoint, KeyValueStore, readKvMap } from "./kv.ts";
export { type Lease, LeaseLostError, LeaseTable } from "./leases.ts";
export { localOperation } from "./local-operation.ts";
export { MIGRATIONS, SCHEMA_VERSION } from "./migrations.ts";
export {
  fencedStore,
  isPostgresUrl,
  type OpenStoreOptions,
  openStore,
  STORE_FILE,
  type Store,
  type StoreTarget,
  StoreUnavailableError,
} from "./open-store.ts";
export { RateShares } from "./rate-shares.ts";
export { SeenIds } from "./seen-ids.ts";
export type { SqlDb, SqlDialect, SqlExecutor, SqlValue, TransactionOptions } from "./sql.ts";
