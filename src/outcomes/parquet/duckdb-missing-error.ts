import { CxoError } from "../../core/cxo-error.ts";

/** DuckDB is an optional dependency: absent, learning from a dataset says so (exit 1). */
export class DuckDbMissingError extends CxoError {
  override readonly name = "DuckDbMissingError";
  readonly code = "duckdb_missing" as const;
}
