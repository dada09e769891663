import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { type TimeV, timedCxo } from "./support/time-v.ts";
import type { BenchRow } from "./types.ts";

/**
 * Learn speed (issue 55 §1): `cxo strategy learn --dataset DIR` on a generated Parquet outcomes
 * dataset of 10,000,000 records (one campaign, 30 days, `DIR/campaign=C1/date=…/*.parquet` with
 * the export's column names, docs/outcomes.md; 2,000,000 phones in 10 area codes of 8 states),
 * run under `/usr/bin/time -v` for its wall time, CPU time and peak RSS. The dataset is written
 * once, by DuckDB itself (COPY … FROM range(N) … (FORMAT parquet)), into a temp dir. Baseline in
 * the same run: the NDJSON streaming learner (`--history`) on the first 1,000,000 of the same
 * records, scaled ×10. Both learn keys state and attemptBucket (the attempt's rank per phone).
 * `npm run bench -- strategy-learn`; LEARN_BENCH_RECORDS=N for another size.
 */
const SUITE = "strategy-learn";
const RECORDS = Number(process.env.LEARN_BENCH_RECORDS ?? 10_000_000);
const BASELINE = Math.min(RECORDS, 1_000_000);
const PHONES = Math.max(1, Math.floor(RECORDS / 5));
const AREA_CODES = ["212", "305", "312", "415", "713", "404", "602", "206", "303", "850"];
const CODES = ["CONVERTED", "NO_ANSWER", "INTERESTED", "BUSY", "NO_ANSWER", "NOT_INTERESTED", "BUSY"];
const FROM_MS = Date.parse("2026-03-01T00:00:00Z");
const SPAN_MS = 30 * 86_400_000;

/** The records as SQL over range(n): deterministic, phones spread, times scattered over 30 days. */
const recordsSql = (n: number) => `
  SELECT 'r' || i AS id, 'C1' AS campaign_id,
         epoch_ms(${FROM_MS} + (i * 2654435761) % ${SPAN_MS}) AS start_time,
         ${sqlList(CODES)}[(i * 7 + (i // 13)) % ${CODES.length} + 1] AS disposition_code,
         CASE WHEN i % 3 = 0 THEN NULL ELSE 'A' || (i % 40) END AS agent_id,
         '+1' || ${sqlList(AREA_CODES)}[(i % ${PHONES}) % ${AREA_CODES.length} + 1]
              || (200 + ((i % ${PHONES}) // ${AREA_CODES.length}) % 800)::VARCHAR
              || lpad((((i % ${PHONES}) // ${AREA_CODES.length * 800}) % 10000)::VARCHAR, 4, '0') AS phone_number,
         (i % 300)::INTEGER AS duration_seconds
  FROM range(${n}) t(i)`;

const sqlList = (items: readonly string[]) => `[${items.map((s) => `'${s}'`).join(", ")}]`;

export async function writeInputs(dir: string): Promise<{ dataset: string; ndjson: string }> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const db = await instance.connect();
  const dataset = path.join(dir, "dataset");
  const ndjson = path.join(dir, "history.ndjson");
  mkdirSync(dataset);
  try {
    await db.run("SET TimeZone = 'UTC'");
    await db.run(
      `COPY (SELECT *, strftime(start_time, '%Y-%m-%d') AS date FROM (${recordsSql(RECORDS)}))
       TO '${path.join(dataset, "campaign=C1")}' (FORMAT parquet, PARTITION_BY (date), COMPRESSION zstd, ROW_GROUP_SIZE 32768)`,
    );
    await db.run(
      `COPY (SELECT id, campaign_id AS campaignId, strftime(start_time, '%Y-%m-%dT%H:%M:%S.%gZ') AS startTime,
                    disposition_code AS dispositionCode, agent_id AS agentId, phone_number AS phoneNumber,
                    duration_seconds AS durationSeconds
             FROM (${recordsSql(BASELINE)}) ORDER BY start_time)
       TO '${ndjson}' (FORMAT json)`,
    );
  } finally {
    db.closeSync();
    instance.closeSync();
  }
  return { dataset, ndjson };
}

function timedLearn(source: string[], out: string): { time: TimeV; records: number } {
  const { time } = timedCxo([
    "strategy",
    "learn",
    "--campaign",
    "C1",
    ...source,
    "--keys",
    "state,attemptBucket",
    "--out",
    out,
  ]);
  const model = JSON.parse(readFileSync(out, "utf8")) as { learnedFrom: { records: number } };
  return { time, records: model.learnedFrom.records };
}

export default async function strategyLearnBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-bench-learn-"));
  try {
    const started = performance.now();
    const { dataset, ndjson } = await writeInputs(dir);
    const writeS = (performance.now() - started) / 1000;
    const loadBefore = loadavg()[0] as number;
    const ours = timedLearn(["--dataset", dataset], path.join(dir, "model-dataset.json"));
    const base = timedLearn(["--history", ndjson], path.join(dir, "model-history.json"));
    const loadAfter = loadavg()[0] as number;
    if (ours.records !== RECORDS) throw new Error(`learned from ${ours.records} records, not ${RECORDS}`);
    const scale = RECORDS / BASELINE;
    process.stderr.write(
      `  strategy-learn: dataset of ${RECORDS} records written in ${writeS.toFixed(1)} s; learn --dataset: wall ${ours.time.wallS.toFixed(1)} s, CPU ${ours.time.cpuS.toFixed(1)} s, peak RSS ${ours.time.rssMb.toFixed(0)} MB; learn --history ${base.records} records: wall ${base.time.wallS.toFixed(1)} s, CPU ${base.time.cpuS.toFixed(1)} s, peak RSS ${base.time.rssMb.toFixed(0)} MB; load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}\n`,
    );
    const size = RECORDS.toLocaleString("en-US");
    return [
      {
        suite: SUITE,
        metric: `cxo strategy learn --dataset, ${size} Parquet records (keys state, attemptBucket): wall time (CPU ${ours.time.cpuS.toFixed(1)} s; load average ${loadBefore.toFixed(1)}–${loadAfter.toFixed(1)} on 2 cores shared by other work)`,
        unit: "s",
        ours: ours.time.wallS,
        baseline: base.time.wallS * scale,
        baselineLabel: `NDJSON streaming learner, ${BASELINE.toLocaleString("en-US")} records ×${scale}`,
        target: "< 60 s",
        met: ours.time.wallS < 60,
      },
      {
        suite: SUITE,
        metric: `cxo strategy learn --dataset, ${size} records: peak RSS (/usr/bin/time -v)`,
        unit: "MB",
        ours: ours.time.rssMb,
        baseline: base.time.rssMb,
        baselineLabel: `NDJSON learner, ${BASELINE.toLocaleString("en-US")} records`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
