import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { clientOptionsFromSettings, createInternalClient } from "../src/client.ts";
import { settingsSchema } from "../src/core/config/schema.ts";
import { openStore } from "../src/core/store/index.ts";
import type { CxoneFixtures, Fixtures } from "../src/emulator/index.ts";
import { exportOutcomes } from "../src/outcomes/export.ts";
import { parseExportQuery } from "../src/outcomes/query.ts";
import type { BenchRow } from "./types.ts";

/**
 * Outcome export of 1,000,000 records (and 100,000 for the memory comparison), against the
 * emulator in its own process, each run in its own child process so peak RSS is that run's
 * alone. Baseline in the same run: the seed's way (every page body and record kept in memory,
 * hashed at the end). Targets: 1M peak RSS < 1.2 × the 100k run's; ≥ 100,000 records/s.
 * Beside them, the same export through the production-API adapter against the production
 * API's emulator (`/contacts/completed`, ~100k contacts of one skill), compared with the seed
 * adapter's 100k run of this same bench run.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const CXO = path.resolve(here, "../bin/cxo.js");
const SELF = fileURLToPath(import.meta.url);
const run = promisify(execFile);

interface RunResult {
  records: number;
  seconds: number;
  recordsPerSec: number;
  peakRssMb: number;
  /** The export's size (file, or all parts of a dataset). */
  bytes: number;
}

async function startEmulator(
  calls: number,
  extra: string[] = ["--rate-limit-scale", "1000"],
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [CXO, "--json", "emulator", "start", "--port", "0", "--calls", String(calls), ...extra],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const match = /"url":\s*"([^"]+)"/.exec(text);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("error", reject);
  });
  return { url, child };
}

/** ~100k completed contacts of one skill (a quarter of the contacts), warehoused at once. */
const CXONE_CONTACTS = 400_000;

async function measureCxone(): Promise<RunResult> {
  const emu = await startEmulator(CXONE_CONTACTS, ["--platform", "cxone", "--knob", "warehouseLagS=0"]);
  try {
    const f = (await (await fetch(`${emu.url}/_emulator/fixtures`)).json()) as CxoneFixtures;
    const key = f.accessKeys.find((k) => !k.readOnly)!;
    const skill = f.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isActive)!;
    const { stdout } = await run(
      process.execPath,
      [
        SELF,
        "--child",
        "cxone",
        emu.url,
        `${f.client.clientId} ${key.accessKeyId}`,
        `${f.client.clientSecret} ${key.accessKeySecret}`,
        String(skill.skillId),
        f.completed.windowStart,
        new Date().toISOString(),
      ],
      { maxBuffer: 1 << 20 },
    );
    return JSON.parse(stdout) as RunResult;
  } finally {
    emu.child.kill("SIGTERM");
  }
}

export default async function outcomesBench(): Promise<BenchRow[]> {
  const probe = await startEmulator(6);
  const campaigns = ((await (await fetch(`${probe.url}/_emulator/fixtures`)).json()) as Fixtures).campaigns
    .length;
  probe.child.kill("SIGTERM");
  const emu = await startEmulator(1_000_000 * campaigns);
  try {
    const fixtures = (await (await fetch(`${emu.url}/_emulator/fixtures`)).json()) as Fixtures;
    const admin = fixtures.clients[0]!;
    const campaign = fixtures.campaigns[0]!;
    const to = new Date().toISOString();
    const from1m = fixtures.callWindow.start;
    // The last ~9 days hold about 100k of the campaign's 1M calls (calls are spread evenly).
    const from100k = new Date(Date.now() - 9 * 86_400_000).toISOString();
    const keep = mkdtempSync(path.join(tmpdir(), "cxo-outcomes-bench-keep-"));
    const measure = async (mode: string, from: string, out?: string): Promise<RunResult> => {
      const { stdout } = await run(
        process.execPath,
        [SELF, "--child", mode, emu.url, admin.clientId, admin.clientSecret, campaign.id, from, to],
        { maxBuffer: 1 << 20, env: { ...process.env, ...(out ? { CXO_BENCH_OUT: out } : {}) } },
      );
      return JSON.parse(stdout) as RunResult;
    };
    const ours100k = await measure("ours", from100k);
    const ndjsonFile = path.join(keep, "outcomes.ndjson");
    const datasetDir = path.join(keep, "dataset");
    const ours1m = await measure("ours", from1m, ndjsonFile);
    const parquet1m = await measure("parquet", from1m, datasetDir);
    const duck = await duckdbTimes(ndjsonFile, datasetDir);
    rmSync(keep, { recursive: true, force: true });
    const base100k = await measure("baseline", from100k);
    const base1m = await measure("baseline", from1m);
    const ratio = ours1m.peakRssMb / ours100k.peakRssMb;
    const cxone = await measureCxone();
    return [
      {
        suite: "outcomes",
        metric: `export ${cxone.records} records on the production API (cxone adapter, /contacts/completed)`,
        unit: "records/s",
        ours: cxone.recordsPerSec,
        baseline: ours100k.recordsPerSec,
        baselineLabel: `seed adapter, ${ours100k.records} records, same run`,
        // Issue 29: the production adapter at ≥ 0.8 × the seed adapter's records/s.
        target: "≥ 0.8 × seed adapter",
        met: cxone.recordsPerSec >= 0.8 * ours100k.recordsPerSec,
      },
      {
        // The same two exports per byte: a production record's line is about twice a seed one's
        // (CXone's unmodelled fields are kept under extra), and parsing and writing JSON cost by the byte.
        suite: "outcomes",
        metric: `export on the production API, in NDJSON bytes written (${Math.round(cxone.bytes / cxone.records)} B a record)`,
        unit: "MB/s",
        ours: cxone.bytes / cxone.seconds / 1e6,
        baseline: ours100k.bytes / ours100k.seconds / 1e6,
        baselineLabel: `seed adapter, ${Math.round(ours100k.bytes / ours100k.records)} B a record, same run`,
      },
      {
        suite: "outcomes",
        metric: `peak RSS, ${cxone.records} records on the production API`,
        unit: "MB",
        ours: cxone.peakRssMb,
        baseline: ours100k.peakRssMb,
        baselineLabel: `seed adapter, ${ours100k.records} records, same run`,
      },
      {
        suite: "outcomes",
        metric: `export ${ours1m.records} records (NDJSON, hash, analysis, checkpoints)`,
        unit: "records/s",
        ours: ours1m.recordsPerSec,
        baseline: base1m.recordsPerSec,
        baselineLabel: "seed: all in memory, hash at the end",
        target: "≥ 100000",
        met: ours1m.recordsPerSec >= 100_000,
      },
      {
        suite: "outcomes",
        metric: `export ${parquet1m.records} records to a Parquet dataset (hyparquet-writer, zstd)`,
        unit: "records/s",
        ours: parquet1m.recordsPerSec,
        baseline: ours1m.recordsPerSec,
        baselineLabel: "NDJSON export, same run",
        target: "≥ 0.7 × NDJSON",
        met: parquet1m.recordsPerSec >= 0.7 * ours1m.recordsPerSec,
      },
      {
        suite: "outcomes",
        metric: `peak RSS, Parquet dataset of ${parquet1m.records} records`,
        unit: "MB",
        ours: parquet1m.peakRssMb,
        baseline: ours1m.peakRssMb,
        baselineLabel: "NDJSON export, same run",
        target: "≤ 1.2 × NDJSON",
        met: parquet1m.peakRssMb <= 1.2 * ours1m.peakRssMb,
      },
      {
        suite: "outcomes",
        metric: `Parquet dataset size, ${parquet1m.records} records`,
        unit: "MB",
        ours: parquet1m.bytes / 1e6,
        baseline: ours1m.bytes / 1e6,
        baselineLabel: `NDJSON file (dataset = ${(parquet1m.bytes / ours1m.bytes).toFixed(3)} of it)`,
      },
      {
        suite: "outcomes",
        metric: "DuckDB count(*) group by disposition_code, over the Parquet dataset",
        unit: "ms",
        ours: duck.parquetMs,
        baseline: duck.ndjsonMs,
        baselineLabel: "same query over the NDJSON file (read_ndjson)",
      },
      {
        suite: "outcomes",
        metric: `peak RSS, ${ours1m.records} records`,
        unit: "MB",
        ours: ours1m.peakRssMb,
        baseline: base1m.peakRssMb,
        baselineLabel: "seed way",
      },
      {
        suite: "outcomes",
        metric: `peak RSS, ${ours100k.records} records`,
        unit: "MB",
        ours: ours100k.peakRssMb,
        baseline: base100k.peakRssMb,
        baselineLabel: "seed way",
      },
      {
        suite: "outcomes",
        metric: "peak RSS 1M / 100k",
        unit: "×",
        ours: ratio,
        baseline: base1m.peakRssMb / base100k.peakRssMb,
        baselineLabel: "seed way",
        target: "< 1.2",
        met: ratio < 1.2,
      },
    ];
  } finally {
    emu.child.kill("SIGTERM");
  }
}

/** DuckDB's `count(*) … group by` over the NDJSON file and over the dataset: the median of 3 runs each. */
async function duckdbTimes(
  ndjson: string,
  dataset: string,
): Promise<{ ndjsonMs: number; parquetMs: number }> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:");
  const connection = await db.connect();
  const time = async (from: string): Promise<number> => {
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await connection.runAndReadAll(
        `SELECT disposition_code, count(*) AS n FROM ${from} GROUP BY disposition_code ORDER BY n DESC`,
      );
      runs.push(performance.now() - started);
    }
    return runs.sort((a, b) => a - b)[1] as number;
  };
  try {
    // The NDJSON's field is dispositionCode: aliased so both run the same query text.
    const ndjsonMs = await time(
      `(SELECT dispositionCode AS disposition_code FROM read_ndjson('${ndjson}', columns = {dispositionCode: 'VARCHAR'}))`,
    );
    const parquetMs = await time(`read_parquet('${dataset}/*/*.parquet', hive_partitioning = true)`);
    return { ndjsonMs, parquetMs };
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

/**
 * The child side: one measured export in its own process (so peak RSS is this run's alone).
 * `ours` is exportOutcomes; `baseline` does what the seed does: keep every page body and every
 * record in memory and hash them all at the end. Prints {records, seconds, recordsPerSec, peakRssMb}.
 */
async function childRun(): Promise<void> {
  const [, mode, url, clientId, secret, campaign, from, to] = process.argv.slice(2) as string[];
  const settings = settingsSchema.parse({
    cxone: { baseUrl: url, clientId, clientSecret: secret },
    http: { rateLimitScale: 1000 },
    log: { level: "silent" },
  });
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-outcomes-bench-"));
  let peak = 0;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const started = performance.now();
  let records = 0;
  const keepOut = process.env.CXO_BENCH_OUT;
  let bytes = 0;
  if (mode === "ours" || mode === "cxone" || mode === "parquet") {
    // cxone: the ids and secrets carry the app's and the access key's, space-separated.
    const [appId = "", keyId] = clientId!.split(" ");
    const [appSecret = "", keySecret] = secret!.split(" ");
    const client = createInternalClient(
      clientOptionsFromSettings(
        mode === "ours" || mode === "parquet"
          ? settings
          : settingsSchema.parse({
              cxone: {
                platform: "cxone",
                issuer: url,
                clientId: appId,
                clientSecret: appSecret,
                accessKeyId: keyId,
                accessKeySecret: keySecret,
              },
              http: { rateLimitScale: 1000 },
              log: { level: "silent" },
            }),
      ),
    );
    const store = await openStore(path.join(dir, ".cxo"));
    const summary = await exportOutcomes({
      client: client.port,
      store,
      query: parseExportQuery({ campaign, from, to, pageSize: 5000 }),
      out: keepOut ?? path.join(dir, mode === "parquet" ? "dataset" : "out.ndjson"),
      ...(mode === "parquet" ? { format: "parquet" as const } : {}),
    });
    records = summary.totalRecords;
    bytes = summary.bytes;
    await store.close();
    await client.close();
  } else {
    const { createHash } = await import("node:crypto");
    const { writeFileSync } = await import("node:fs");
    const token = (await (
      await fetch(`${url}/oauth/token`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`,
        },
        body: "grant_type=client_credentials",
      })
    ).json()) as { access_token: string };
    const all: unknown[] = [];
    let next: string | null = null;
    do {
      const params = new URLSearchParams({
        campaignId: campaign!,
        startDateTime: from!,
        endDateTime: to!,
        limit: "5000",
      });
      if (next) params.set("nextPageToken", next);
      const response = await fetch(`${url}/api/v2/outbound/calls?${params}`, {
        headers: { authorization: `Bearer ${token.access_token}` },
      });
      let raw = "";
      for await (const chunk of response.body as AsyncIterable<Uint8Array>)
        raw += Buffer.from(chunk).toString();
      const page = JSON.parse(raw) as { calls: unknown[]; nextPageToken: string | null };
      all.push(...page.calls);
      next = page.nextPageToken;
    } while (next);
    const text = JSON.stringify(all);
    createHash("sha256").update(text).digest("hex");
    writeFileSync(path.join(dir, "out.json"), text);
    records = all.length;
  }
  const seconds = (performance.now() - started) / 1000;
  peak = Math.max(peak, process.memoryUsage.rss());
  clearInterval(sample);
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(
    `${JSON.stringify({ records, seconds, recordsPerSec: records / seconds, peakRssMb: peak / 1048576, bytes })}\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === "--child") {
  await childRun();
  process.exit(0);
}
