import { existsSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../core/input-error.ts";
import { Categorizer } from "../outcomes/disposition-map.ts";
import { sqlText as quote, withDuckDb } from "../outcomes/parquet/duckdb-session.ts";
import { buildModel, learnSettings, SlotCounts } from "./learn.ts";
import { columnOfKey, type Model } from "./model-format.ts";
import { nanpE164Sql, placeOf } from "./place.ts";
import type { LearnOptions } from "./types.ts";

export { DuckDbMissingError } from "../outcomes/parquet/duckdb-missing-error.ts";

/**
 * Learns from a Parquet outcomes dataset (`cxo outcomes export --out DIR/`, docs/outcomes.md)
 * with DuckDB, the aggregation in SQL: the exchanges (+1NPANXX) present are placed once by the
 * compliance engine's phone data (zone, state), loaded as a small table, and DuckDB counts
 * attempts and RPCs per segment × hour of week in each number's zone (ICU's timezone()).
 * Supported keys: state, areaCode, attemptBucket (rank of the attempt among its phone's, by
 * start time; the window function runs only when it is a key), column:NAME (`extra->>'NAME'`).
 * RPC: the outcome map's codes of the RPC categories, matched exactly, else the disposition's name
 * (CXone's codes are ids), as for streamed records.
 */
export async function learnFromDataset(
  dir: string,
  options: LearnOptions,
  /** The call's signal (issue 80 §2): a running query is interrupted, and the call rejects with its reason. */
  signal?: AbortSignal,
): Promise<Model> {
  if (!existsSync(dir)) throw new InputError({ field: "dataset", rule: `directory ${dir} does not exist` });
  const settings = learnSettings(options);
  if (settings.keys.includes("list"))
    throw new InputError({ field: "keys", rule: "the list key is not available from a Parquet dataset" });
  return withDuckDb("learn from `history` FILE.ndjson", signal, async (db) => {
    const files = quote(join(dir, "**", "*.parquet"));
    const where = [
      `campaign_id = ${quote(options.campaign)}`,
      settings.fromMs === undefined ? "" : `start_time >= epoch_ms(${settings.fromMs})`,
      settings.toMs === undefined ? "" : `start_time < epoch_ms(${settings.toMs})`,
    ]
      .filter(Boolean)
      .join(" AND ");
    const columns = settings.keys.flatMap((key) => {
      const name = columnOfKey(key);
      return name === undefined ? [] : [{ key, sql: `coalesce(extra->>${quote(name)}, '')` }];
    });
    const columnSelect = columns.map((c, i) => `, ${c.sql} AS c${i}`).join("");
    const present = new Set(
      (await db.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${files}, hive_partitioning = true)`))
        .getRowObjects()
        .map((row) => String(row.column_name)),
    );
    // The disposition's name beside an id code (CXone's): the export's own column, else extra's.
    const nameSql = present.has("disposition_name")
      ? "disposition_name"
      : present.has("extra")
        ? "extra->>'dispositionName'"
        : "NULL::VARCHAR";
    await db.run(
      `CREATE TEMP VIEW r AS SELECT ${nanpE164Sql("phone_number")} AS phone_number, start_time::TIMESTAMPTZ AS t, agent_id, disposition_code, ${nameSql} AS disposition_name${columnSelect} FROM read_parquet(${files}, hive_partitioning = true) WHERE ${where}`,
    );
    const rpc = `(${await rpcSql(db, settings)}${settings.rpc.requireConversation ? " AND agent_id IS NOT NULL AND agent_id <> ''" : ""})`;
    const bucket = settings.attemptBuckets.length
      ? `CASE ${settings.attemptBuckets.map((b, i) => `WHEN n <= ${b} THEN ${quote(label(settings.attemptBuckets, i))}`).join(" ")} ELSE ${quote(`${(settings.attemptBuckets.at(-1) as number) + 1}+`)} END`
      : "'1+'";
    const rank = settings.keys.includes("attemptBucket")
      ? "row_number() OVER (PARTITION BY phone_number ORDER BY t)"
      : "1";
    const cs = columns.map((_, i) => `, c${i}`).join("");
    // One scan: counts per exchange × half hour (UTC) × bucket × columns; the zones later, on that.
    await db.run(`
    CREATE TEMP TABLE a AS
    SELECT substr(phone_number, 1, 8) AS ex, time_bucket(INTERVAL 30 MINUTE, t) AS h, ${bucket} AS bucket${cs},
           count(*) AS attempts, count(*) FILTER (WHERE is_rpc) AS rpcs
    FROM (SELECT phone_number, t${cs}, ${rpc} AS is_rpc, ${rank} AS n FROM r WHERE phone_number IS NOT NULL)
    GROUP BY ALL`);
    const exchanges = (await db.runAndReadAll("SELECT DISTINCT ex FROM a")).getRowObjects();
    const placed: string[] = [];
    for (const { ex } of exchanges) {
      // A NANP exchange (+1 NPA NXX), or a UK number's first digits (+44 and five: all in London).
      const place =
        typeof ex === "string" && (/^\+1\d{6}$/.test(ex) || /^\+44[1-9]\d{4}$/.test(ex))
          ? placeOf(`${ex}0000`)
          : null;
      const zone = place?.zones[0];
      if (place && zone)
        placed.push(`(${quote(ex as string)}, ${quote(zone)}, ${quote(place.state)}, ${quote(place.npa)})`);
    }
    await db.run("CREATE TEMP TABLE place (ex VARCHAR, zone VARCHAR, state VARCHAR, npa VARCHAR)");
    for (let i = 0; i < placed.length; i += 1000)
      await db.run(`INSERT INTO place VALUES ${placed.slice(i, i + 1000).join(", ")}`);
    const rows = (
      await db.runAndReadAll(`
      WITH z AS (
        SELECT p.state, p.npa, p.zone, a.h, a.bucket${cs.replaceAll(", c", ", a.c")}, sum(a.attempts) AS attempts, sum(a.rpcs) AS rpcs
        FROM a JOIN place p ON a.ex = p.ex GROUP BY ALL)
      SELECT state, npa${cs}, bucket, (isodow(timezone(zone, h)) - 1) * 24 + hour(timezone(zone, h)) AS slot,
             sum(attempts)::INTEGER AS attempts, sum(rpcs)::INTEGER AS rpcs
      FROM z GROUP BY ALL`)
    ).getRowObjects();
    const total = Number(
      (
        await db.runAndReadAll(`SELECT sum(num_rows) AS c FROM parquet_file_metadata(${files})`)
      ).getRowObjects()[0]?.c ?? 0,
    );
    const counts = new SlotCounts();
    for (const row of rows) {
      const values: Record<string, string> = {};
      for (const key of settings.keys)
        if (key === "state") values.state = String(row.state);
        else if (key === "areaCode") values.areaCode = String(row.npa);
        else if (key === "attemptBucket") values.attemptBucket = String(row.bucket);
        else {
          const i = columns.findIndex((c) => c.key === key);
          if (i >= 0) values[key] = String(row[`c${i}`] ?? "");
        }
      counts.add(settings.keys, values, Number(row.slot), Number(row.attempts), Number(row.rpcs));
    }
    counts.skipped = total - counts.records;
    signal?.throwIfAborted();
    return buildModel(counts, { ...options, source: "dataset" }, settings);
  });
}

/**
 * The RPC test in SQL, as `rpcTest` decides it for a record: a code the outcome map names is
 * categorised by its code (matched exactly); a record whose code the map does not name, by its
 * disposition's name (loosely, as the map's Categorizer does: the names present are few, read
 * once and categorised here).
 */
async function rpcSql(
  db: { runAndReadAll(sql: string): Promise<{ getRowObjects(): Record<string, unknown>[] }> },
  settings: ReturnType<typeof learnSettings>,
): Promise<string> {
  const counted = new Set(settings.rpc.categories);
  const mapCodes = Object.values(settings.map.categories).flat();
  const rpcCodes = settings.rpc.categories.flatMap((c) => settings.map.categories[c] ?? []);
  const categorizer = new Categorizer(settings.map);
  const names = (
    await db.runAndReadAll(
      "SELECT DISTINCT disposition_name AS name FROM r WHERE disposition_name IS NOT NULL",
    )
  )
    .getRowObjects()
    .map((row) => String(row.name))
    .filter((name) => {
      const category = categorizer.categoryOf(null, name);
      return category !== undefined && counted.has(category);
    });
  const list = (values: string[]) => values.map(quote).join(", ") || "NULL";
  const byName =
    names.length === 0
      ? ""
      : ` OR (coalesce(disposition_code NOT IN (${list(mapCodes)}), true) AND disposition_name IN (${list(names)}))`;
  return `(coalesce(disposition_code IN (${list(rpcCodes)}), false)${byName})`;
}

function label(bounds: readonly number[], i: number): string {
  const low = i === 0 ? 1 : (bounds[i - 1] as number) + 1;
  const high = bounds[i] as number;
  return low === high ? String(high) : `${low}-${high}`;
}
