import { existsSync } from "node:fs";
import { CxoError } from "../core/cxo-error.ts";
import { InputError } from "../core/input-error.ts";
import type { Model } from "./model-format.ts";
import type { LearnOptions } from "./types.ts";

/** DuckDB is an optional dependency: absent, learning from a dataset says so (exit 1). */
export class DuckDbMissingError extends CxoError {
  override readonly name = "DuckDbMissingError";
  readonly code = "duckdb_missing" as const;
}

/**
 * Learns from a Parquet outcomes dataset (`cxo outcomes export --out DIR/`) with DuckDB: the
 * aggregation (segment × hour of week in the called party's zone) runs in SQL. Not built yet in
 * this branch beyond the dependency check.
 */
export async function learnFromDataset(dir: string, options: LearnOptions): Promise<Model> {
  if (!existsSync(dir)) throw new InputError({ field: "--dataset", rule: `directory ${dir} does not exist` });
  void options;
  try {
    await import("@duckdb/node-api");
  } catch (cause) {
    throw new DuckDbMissingError(
      "reading a Parquet dataset needs the optional dependency @duckdb/node-api: npm install @duckdb/node-api (or learn from --history FILE.ndjson)",
      { cause },
    );
  }
  throw new DuckDbMissingError(
    "learning from a Parquet dataset is not built yet: learn from --history FILE.ndjson",
  );
}
