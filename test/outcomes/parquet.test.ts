import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { DEFAULT_DISPOSITION_MAP } from "../../src/outcomes/disposition-map.ts";
import { ExportInterruptedError, type ExportSummary, exportOutcomes } from "../../src/outcomes/export.ts";
import { listParts, readDataset } from "../../src/outcomes/parquet/dataset.ts";
import { type DatasetTuning, exportDataset } from "../../src/outcomes/parquet/export-dataset.ts";
import { parseExportQuery } from "../../src/outcomes/query.ts";
import { canonicalLine } from "../../src/outcomes/record-format.ts";
import { verifyExport } from "../../src/outcomes/verify.ts";
import { exportHostOf } from "../../src/sdk/export-host.ts";
import { exportDays } from "../../src/service/scheduled-exports.ts";
import { runCli } from "../support/run-cli.ts";
import { waitUntil } from "../support/wait-until.ts";
import { type OutcomesHarness, outcomesHarness } from "./helpers.ts";

const CXO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/cxo.js");
const DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/outcomes.md");
const DAY = 86_400_000;

/** The Parquet dataset export: read back by DuckDB and by hyparquet, resume, kill -9, verify. */
describe("outcomes export to a Parquet dataset", () => {
  let h: OutcomesHarness;
  let window: { from: string; to: string };
  let ndjson: { file: string; lines: string[]; summary: ExportSummary };
  let dataset: { dir: string; summary: ExportSummary };

  const run = async (
    dataDir: string,
    out: string,
    extra: Partial<Parameters<typeof exportOutcomes>[0]> = {},
    tuning?: DatasetTuning,
    span = window,
  ): Promise<ExportSummary> => {
    const client = h.client(dataDir);
    const store = await openStore(dataDir, { actor: "test" });
    try {
      const options = {
        client: client.port,
        store,
        query: parseExportQuery({ campaign: h.campaignId, ...span, pageSize: 2000 }),
        out,
        ...extra,
      };
      return tuning
        ? await exportDataset({ ...options, format: "parquet" }, tuning)
        : await exportOutcomes(options);
    } finally {
      await store.close();
      await client.close();
    }
  };

  const duck = async <T = Record<string, unknown>>(sql: string): Promise<T[]> => {
    const db = await DuckDBInstance.create(":memory:");
    const connection = await db.connect();
    try {
      return (await connection.runAndReadAll(sql)).getRowObjectsJson() as T[];
    } finally {
      connection.closeSync();
      db.closeSync();
    }
  };
  const scan = (dir: string) => `read_parquet('${dir}/*/*.parquet', hive_partitioning = true)`;
  /** The campaign's own dataset under an export's `out` directory. */
  const own = (out: string) => path.join(out, `campaign=${h.campaignId}`);
  const linesOf = async (dir: string): Promise<string[]> => {
    const lines: string[] = [];
    for await (const record of readDataset(dir)) lines.push(canonicalLine(record));
    return lines;
  };

  beforeAll(async () => {
    h = await outcomesHarness(100_000);
    // ~12 days (~13k records, 13 daily partitions) ending at a day boundary.
    const end = Math.floor(Date.now() / DAY) * DAY;
    window = {
      from: new Date(end - 12 * DAY - 7 * 3_600_000).toISOString(),
      to: new Date(end).toISOString(),
    };
    const dir = h.dir();
    const file = path.join(dir, "outcomes.ndjson");
    const summary = await run(path.join(dir, ".cxo"), file);
    ndjson = { file, lines: readFileSync(file, "utf8").trimEnd().split("\n"), summary };
    const out = path.join(dir, "dataset");
    // The campaign's own dataset under the directory given (campaign=ID/date=…/part-….parquet).
    dataset = {
      dir: path.join(out, `campaign=${h.campaignId}`),
      summary: await run(path.join(dir, ".cxo"), out, { format: "parquet" }),
    };
  }, 120_000);
  afterAll(() => h.close());

  it("has the NDJSON export's hash and analysis, and verify accepts either", async () => {
    const { summary } = dataset;
    expect(ndjson.summary.totalRecords).toBeGreaterThan(10_000);
    expect(summary.complianceHash).toBe(ndjson.summary.complianceHash);
    const { elapsedMs: _a, recordsPerSec: _b, extractionLatencyMs: _c, ...same } = ndjson.summary;
    expect(summary).toMatchObject({
      ...same,
      format: "parquet",
      out: dataset.dir,
      bytes: expect.any(Number),
      retries: expect.any(Number),
      throttled: expect.any(Number),
    });
    expect(summary.bytes).toBeLessThan(statBytes(ndjson.file) / 5);
    expect((await verifyExport(dataset.dir, summary.complianceHash)).ok).toBe(true);
    expect((await verifyExport(ndjson.file, summary.complianceHash)).ok).toBe(true);
    const bad = await verifyExport(dataset.dir, "0".repeat(64));
    expect(bad).toMatchObject({ ok: false, format: "parquet", records: summary.totalRecords });
  });

  it("reads back with hyparquet as the very records exported, in order (timestamps exact)", async () => {
    expect(await linesOf(dataset.dir)).toEqual(ndjson.lines);
    const parts = await listParts(dataset.dir);
    expect(parts.map((p) => p.number)).toEqual(parts.map((_, i) => i));
    for (const part of parts) expect(part.path).toMatch(/^date=\d{4}-\d{2}-\d{2}\/part-\d{5}\.parquet$/);
    expect(dataset.summary.parts).toBe(parts.length);
    // One partition per UTC day with calls (the emulator calls on weekdays only).
    const days = new Set(ndjson.lines.map((line) => (JSON.parse(line).startTime as string).slice(0, 10)));
    expect(days.size).toBeGreaterThan(5);
    expect(new Set(parts.map((p) => p.day))).toEqual(days);
  });

  it("reads back with DuckDB: rows, durations, categories, conversion, timestamps, partitions", async () => {
    const records = ndjson.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const [totals] = await duck<Record<string, string>>(
      `SELECT count(*) AS n, sum(duration_seconds) AS duration, sum(epoch_ms(start_time)) AS starts,
              sum(epoch_ms(end_time)) AS ends, count(*) FILTER (WHERE category = 'success') AS converted,
              count(*) FILTER (WHERE strftime(start_time AT TIME ZONE 'UTC', '%Y-%m-%d') <> CAST(date AS VARCHAR)) AS misplaced
       FROM ${scan(dataset.dir)}`,
    );
    const sum = (field: string) =>
      records.reduce((total, r) => total + BigInt(Date.parse(r[field] as string)), 0n).toString();
    expect(totals).toEqual({
      n: String(dataset.summary.totalRecords),
      duration: String(records.reduce((total, r) => total + (r.durationSeconds as number), 0)),
      starts: sum("startTime"),
      ends: sum("endTime"),
      converted: String(dataset.summary.converted),
      misplaced: "0",
    });
    expect(Number(totals?.converted) / Number(totals?.n)).toBe(dataset.summary.conversionRate);
    const byCategory = await duck<{ category: string; n: string }>(
      `SELECT category, count(*) AS n FROM ${scan(dataset.dir)} WHERE category IS NOT NULL GROUP BY ALL`,
    );
    expect(Object.fromEntries(byCategory.map((r) => [r.category, Number(r.n)]))).toEqual(
      Object.fromEntries(Object.entries(dataset.summary.categories).filter(([, n]) => n > 0)),
    );
    const [first] = await duck<{ id: string; start: string }>(
      `SELECT id, strftime(start_time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS start FROM ${scan(dataset.dir)} ORDER BY start_time, id LIMIT 1`,
    );
    expect(first).toEqual({ id: records[0]?.id, start: records[0]?.startTime });
  });

  it("runs the three DuckDB queries of docs/outcomes.md, matching the export's analysis", async () => {
    const blocks = [...readFileSync(DOC, "utf8").matchAll(/```sql\n([\s\S]*?)```/g)].map((m) =>
      (m[1] as string).replaceAll("'outcomes/*/*/*.parquet'", `'${path.dirname(dataset.dir)}/*/*/*.parquet'`),
    );
    expect(blocks).toHaveLength(3);
    const [byDay, percentiles, unmapped] = await Promise.all(
      blocks.map((sql) => duck<Record<string, string | number | null>>(sql)),
    );
    const s = dataset.summary;
    expect(byDay?.reduce((n, r) => n + Number(r.calls), 0)).toBe(s.totalRecords);
    expect(byDay?.reduce((n, r) => n + Number(r.converted), 0)).toBe(s.converted);
    expect(byDay?.map((r) => r.date)).toEqual(s.byDay.map((d) => d.day)); // UTC export: same days
    expect(byDay?.map((r) => Number(r.calls))).toEqual(s.byDay.map((d) => d.records));
    const success = percentiles?.find((r) => r.category === "success");
    expect(Number(success?.calls)).toBe(s.categories.success);
    expect(Number(success?.talk_p50_s)).toBeGreaterThan(0);
    expect(Number(percentiles?.find((r) => r.category === "neutral")?.abandon_rate)).toBeGreaterThan(0);
    expect(Object.fromEntries((unmapped ?? []).map((r) => [r.disposition_code, Number(r.calls)]))).toEqual(
      s.unknownCodes,
    );
  });

  it("parts that end mid-page and mid-day, an abort and --resume: the same records and hash", async () => {
    const dir = h.dir();
    const out = path.join(dir, "small");
    const tuning = { partRows: 1_500, rowGroupRows: 700 };
    const controller = new AbortController();
    let pages = 0;
    await expect(
      run(
        path.join(dir, ".cxo"),
        out,
        {
          signal: controller.signal,
          onProgress: () => {
            pages += 1;
            if (pages === 4) controller.abort(new Error("stop"));
          },
        },
        tuning,
      ),
    ).rejects.toBeInstanceOf(ExportInterruptedError);
    const partial = await linesOf(out);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(ndjson.lines.length);
    expect(partial).toEqual(ndjson.lines.slice(0, partial.length));
    const resumed = await run(path.join(dir, ".cxo"), out, { resume: true }, tuning);
    expect(resumed).toMatchObject({
      resumed: true,
      resumedFromRecords: partial.length,
      complianceHash: ndjson.summary.complianceHash,
      totalRecords: ndjson.summary.totalRecords,
      categories: ndjson.summary.categories,
    });
    expect(await linesOf(out)).toEqual(ndjson.lines);
    expect((await listParts(own(out))).length).toBeGreaterThan(ndjson.lines.length / 1_500);
    const again = await run(path.join(dir, ".cxo"), out, { resume: true }, tuning);
    expect(again).toMatchObject({ alreadyComplete: true, complianceHash: ndjson.summary.complianceHash });
  });

  it("two campaigns exported into one directory keep their own datasets: both verify, DuckDB reads both", async () => {
    const dir = h.dir();
    const out = path.join(dir, "shared");
    const other = h.fixtures.campaigns[1]!.id;
    const span = { from: new Date(Date.parse(window.to) - 2 * DAY).toISOString(), to: window.to };
    const exportOf = async (campaign: string) => {
      const client = h.client(path.join(dir, ".cxo"));
      const store = await openStore(path.join(dir, ".cxo"), { actor: "test" });
      try {
        return await exportOutcomes({
          client: client.port,
          store,
          query: parseExportQuery({ campaign, ...span, pageSize: 2000 }),
          out,
          format: "parquet",
        });
      } finally {
        await store.close();
        await client.close();
      }
    };
    const first = await exportOf(h.campaignId);
    const second = await exportOf(other);
    expect(first.totalRecords).toBeGreaterThan(0);
    expect(second.totalRecords).toBeGreaterThan(0);
    expect(first.out).toBe(own(out));
    expect((await verifyExport(first.out, first.complianceHash)).ok).toBe(true);
    expect((await verifyExport(second.out, second.complianceHash)).ok).toBe(true);
    // The shared directory names two datasets: verify says which to name, it never mixes them.
    await expect(verifyExport(out, first.complianceHash)).rejects.toThrow(
      /holds the datasets of 2 campaigns/,
    );
    // The first campaign's resume still finds its parts untouched.
    const client = h.client(path.join(dir, ".cxo"));
    const store = await openStore(path.join(dir, ".cxo"), { actor: "test" });
    try {
      const again = await exportOutcomes({
        client: client.port,
        store,
        query: parseExportQuery({ campaign: h.campaignId, ...span, pageSize: 2000 }),
        out,
        format: "parquet",
        resume: true,
      });
      expect(again).toMatchObject({ alreadyComplete: true, complianceHash: first.complianceHash });
    } finally {
      await store.close();
      await client.close();
    }
    const rows = await duck<{ campaign: string; n: string }>(
      `SELECT CAST(campaign AS VARCHAR) AS campaign, count(*) AS n FROM read_parquet('${out}/*/*/*.parquet', hive_partitioning = true) GROUP BY 1 ORDER BY 1`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.campaign, Number(r.n)]))).toEqual({
      [h.campaignId]: first.totalRecords,
      [other]: second.totalRecords,
    });
  });

  it("a fresh export replaces only its window's days: appending day by day is idempotent", async () => {
    const dir = h.dir();
    const out = path.join(dir, "daily");
    const days = [
      ...new Set(ndjson.lines.map((line) => (JSON.parse(line).startTime as string).slice(0, 10))),
    ];
    // The last two days with calls, each as a scheduled daily export would ask for it.
    const day = (n: number) => {
      const start = Date.parse(`${days[days.length - n]}T00:00:00Z`);
      return { from: new Date(start).toISOString(), to: new Date(start + DAY).toISOString() };
    };
    const first = await run(path.join(dir, ".cxo"), out, { format: "parquet" }, undefined, day(2));
    const second = await run(path.join(dir, ".cxo"), out, { format: "parquet" }, undefined, day(1));
    const listing = () => readdirSync(own(out)).sort();
    expect(listing()).toHaveLength(2);
    const before = await linesOf(out);
    const rerun = await run(path.join(dir, ".cxo"), out, { format: "parquet" }, undefined, day(1));
    expect(rerun.complianceHash).toBe(second.complianceHash);
    expect(listing()).toHaveLength(2);
    expect(await linesOf(out)).toEqual(before);
    for (const [summary, partition] of [
      [first, listing()[0]],
      [second, listing()[1]],
    ] as const)
      expect((await verifyExport(path.join(own(out), partition as string), summary.complianceHash)).ok).toBe(
        true,
      );
  });

  it("serve's scheduled Parquet export appends one partition per day, once (a re-run fetches nothing)", async () => {
    const dir = h.dir();
    const out = path.join(dir, "scheduled");
    const days = [
      ...new Set(ndjson.lines.map((line) => (JSON.parse(line).startTime as string).slice(0, 10))),
    ];
    const last = days[days.length - 1] as string;
    const now = Date.parse(`${last}T00:00:00Z`) + DAY + 3_600_000; // 01:00 the day after the last day with calls
    const client = h.client(path.join(dir, ".cxo"));
    const store = await openStore(path.join(dir, ".cxo"), { actor: "test" });
    const logger = { info() {}, warn() {}, error() {} } as unknown as Parameters<typeof exportDays>[3];
    const config = {
      campaign: h.campaignId,
      everyMinutes: 60,
      lookbackMinutes: 3 * 1440,
      format: "parquet" as const,
      outDir: out,
    };
    try {
      await exportDays(config, exportHostOf(client), store, logger, new AbortController().signal, now);
      const partitions = readdirSync(own(out)).sort();
      const expected = days.filter(
        (d) => Date.parse(`${d}T00:00:00Z`) >= Date.parse(`${last}T00:00:00Z`) - 2 * DAY,
      );
      expect(partitions).toEqual(expected.map((d) => `date=${d}`));
      const lines = await linesOf(out);
      expect(lines).toEqual(
        ndjson.lines.filter((l) => expected.includes((JSON.parse(l).startTime as string).slice(0, 10))),
      );
      await h.admin("DELETE", "/requests");
      await exportDays(config, exportHostOf(client), store, logger, new AbortController().signal, now);
      expect(await h.listingRequests()).toEqual([]);
      expect(await linesOf(out)).toEqual(lines);
    } finally {
      await store.close();
      await client.close();
    }
  });

  it("cxo: --out DIR/ implies parquet; kill -9 mid-export, then --resume: the dataset of an uninterrupted run", async () => {
    const dir = h.dir();
    const base = [
      "--json",
      "--config",
      h.configFile(dir),
      "outcomes",
      "export",
      "--campaign",
      h.campaignId,
      "--from",
      window.from,
      "--to",
      window.to,
      "--page-size",
      "1000",
    ];
    const out = path.join(dir, "killed");
    const env = h.env(path.join(dir, ".cxo"));
    // Pages slowed so the run is still going when the kill lands, even on a loaded machine.
    await h.admin("POST", "/faults", { group: "outcomes", latencyMs: 120 });
    try {
      const child = spawn(process.execPath, [CXO, ...base, "--out", `${out}/`], {
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
        stdio: "ignore",
      });
      const parts = () => (existsSync(own(out)) ? readdirSync(own(out)).length : 0);
      // A few days' partitions in (a part is committed where the day changes), not all.
      await waitUntil(() => parts() >= 4, {
        what: "4 partitions written",
        timeoutMs: 30_000,
        intervalMs: 20,
      });
      child.kill("SIGKILL");
      const [, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
      expect(signal, "the export ended before the kill: nothing was tested").toBe("SIGKILL");
    } finally {
      await h.admin("DELETE", "/faults");
    }
    const partial = await linesOf(out);
    expect(partial.length).toBeLessThan(ndjson.lines.length);
    const resumed = await runCli([...base, "--out", `${out}/`, "--resume"], env, { timeoutMs: 90_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout);
    expect(summary).toMatchObject({
      format: "parquet",
      resumed: true,
      complianceHash: ndjson.summary.complianceHash,
      totalRecords: ndjson.summary.totalRecords,
    });
    expect(await linesOf(out)).toEqual(ndjson.lines);
    const files = (d: string) =>
      readdirSync(d, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".parquet") || f.endsWith(".tmp"))
        .sort();
    expect(files(own(out))).toEqual(files(dataset.dir));
    const verified = await runCli(
      ["--json", "outcomes", "verify", out, "--hash", summary.complianceHash],
      env,
      { timeoutMs: 60_000 },
    );
    expect(verified.code, verified.stderr).toBe(0);
    expect(DEFAULT_DISPOSITION_MAP.conversionCategories).toEqual(["success"]); // the doc queries assume it
  }, 240_000);
});

function statBytes(file: string): number {
  return readFileSync(file).length;
}
