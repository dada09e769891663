import { existsSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../core/input-error.ts";
import { SignalSlices } from "../core/signal-slices.ts";
import { sqlText as quote, withDuckDb } from "../outcomes/parquet/duckdb-session.ts";
import { nanpE164Sql } from "../strategy/place.ts";
import { E164, NO_CALLER_ID_RULE, type ReadOptions } from "./records.ts";
import type { CallTally } from "./tally.ts";

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Counts a Parquet outcomes dataset (`cxo outcomes export --out DIR/`, or any Parquet files with
 * `caller_id`, `campaign_id`, `start_time`, `agent_id`) into the tally with DuckDB: one GROUP BY
 * number × campaign × carrier × hour, so 25 million records come back as a few hundred thousand
 * counts (bench/callerid.bench.ts). The carrier is a column of that name, else `extra->>name`.
 */
export async function tallyDataset(
  dir: string,
  tally: CallTally,
  options: ReadOptions,
  /** The call's signal (issue 80 §2): a running query is interrupted, and the call rejects with its reason. */
  signal?: AbortSignal,
): Promise<{ records: number; withoutCallerId: number }> {
  if (!existsSync(dir)) throw new InputError({ field: "dataset", rule: `directory ${dir} does not exist` });
  return withDuckDb("use `history` FILE.ndjson", signal, async (db) => {
    const files = `read_parquet(${quote(join(dir, "**", "*.parquet"))}, hive_partitioning = true, union_by_name = true)`;
    let present: Set<string>;
    try {
      present = new Set(
        (await db.runAndReadAll(`DESCRIBE SELECT * FROM ${files}`))
          .getRowObjects()
          .map((r) => String(r.column_name)),
      );
    } catch (cause) {
      throw new InputError({ field: "dataset", rule: `no readable Parquet files under ${dir}` }, { cause });
    }
    if (!present.has("caller_id")) throw new InputError({ field: "caller_id", rule: NO_CALLER_ID_RULE });
    let carrierSql = "NULL::VARCHAR";
    if (options.carrierColumn !== undefined) {
      if (present.has(options.carrierColumn)) carrierSql = `${ident(options.carrierColumn)}::VARCHAR`;
      else if (present.has("extra")) carrierSql = `extra->>${quote(options.carrierColumn)}`;
      else
        throw new InputError({
          field: "carrierColumn",
          rule: `the dataset has no column ${JSON.stringify(options.carrierColumn)} (columns: ${[...present].join(", ")})`,
        });
    }
    const where = [
      options.campaign === undefined ? "" : `campaign_id = ${quote(options.campaign)}`,
      options.fromMs === undefined ? "" : `start_time >= epoch_ms(${options.fromMs})`,
      options.toMs === undefined ? "" : `start_time < epoch_ms(${options.toMs})`,
    ].filter(Boolean);
    const whereSql = where.length ? `WHERE ${where.join(" AND ")}` : "";
    // With a model: the called number's exchange too (its zone gives the call's local slot).
    const exchangeSql =
      options.shapeOf && present.has("phone_number")
        ? `substr(${nanpE164Sql("phone_number::VARCHAR")}, 1, 8)`
        : "NULL::VARCHAR";
    const reader = await db.runAndReadAll(
      `SELECT caller_id, campaign_id, ${carrierSql} AS carrier, ${exchangeSql} AS ex,
            epoch_ms(date_trunc('hour', start_time))::BIGINT AS h,
            count(*)::BIGINT AS calls,
            count(*) FILTER (WHERE agent_id IS NOT NULL AND agent_id <> '')::BIGINT AS answered
     FROM ${files} ${whereSql} GROUP BY ALL`,
    );
    let records = 0;
    let withoutCallerId = 0;
    let carriers = 0;
    const slices = new SignalSlices(signal);
    for (const row of reader.getRowObjects()) {
      await slices.tick();
      const calls = Number(row.calls);
      records += calls;
      if (row.caller_id === null) {
        withoutCallerId += calls;
        continue;
      }
      if (!E164.test(String(row.caller_id)))
        throw new InputError({
          field: "caller_id",
          rule: `must be E.164 (+ and 8 to 15 digits), got ${JSON.stringify(row.caller_id)}`,
        });
      const carrier = row.carrier === null ? undefined : String(row.carrier);
      if (carrier !== undefined) carriers += calls;
      tally.addCount(
        String(row.caller_id),
        String(row.campaign_id),
        options.carrierColumn === undefined ? undefined : (carrier ?? "unknown"),
        Number(row.h),
        calls,
        Number(row.answered),
        options.shapeOf
          ? calls * options.shapeOf(Number(row.h), row.ex === null ? undefined : `${String(row.ex)}0000`)
          : undefined,
      );
    }
    if (records > 0 && withoutCallerId === records)
      throw new InputError({ field: "caller_id", rule: NO_CALLER_ID_RULE });
    if (options.carrierColumn !== undefined && records > withoutCallerId && carriers === 0)
      throw new InputError({
        field: "carrierColumn",
        rule: `no record has a value in ${JSON.stringify(options.carrierColumn)}`,
      });
    return { records, withoutCallerId };
  });
}
