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
export { type Checkpoint, KeyValueStore } from "./kv.ts";
export { MIGRATIONS, SCHEMA_VERSION } from "./migrations.ts";
export { type OpenStoreOptions, openStore, STORE_FILE, type Store } from "./open-store.ts";
export { SeenIds } from "./seen-ids.ts";
export type { SqlDb, SqlExecutor, SqlValue, TransactionOptions } from "./sql.ts";
