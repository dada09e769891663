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
import { exportChanges } from "../src/outcomes/changes.ts";
import { exportOutcomes } from "../src/outcomes/export.ts";
import { parseExportQuery } from "../src/outcomes/query.ts";
import { PAGES_AHEAD } from "../src/platform/cxone/outcomes.ts";
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

/** Each figure's median over runs of the same export (`records` and `bytes` are the same in each). */
function medianRun(runs: readonly RunResult[]): RunResult {
  const median = (key: "seconds" | "recordsPerSec" | "peakRssMb") => {
    const sorted = runs.map((r) => r[key]).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] as number;
  };
  const first = runs[0] as RunResult;
  return {
    ...first,
    seconds: median("seconds"),
    recordsPerSec: median("recordsPerSec"),
    peakRssMb: median("peakRssMb"),
  };
}

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

/**
 * Latency the production emulator adds to every `/contacts/completed` page (issue 39 §5: 200 ms
 * a 10,000-record page): the window export asks 5,000 at a time (its query's cap), the
 * incremental one 10,000.
 */
const WINDOW_PAGE = { size: 5000, latencyMs: 100 };
const KEYED_PAGE = { size: 10_000, latencyMs: 200 };

/**
 * One export on the production API: a window export (`cxone`) or an incremental one
 * (`cxone-changes`, keyed, one page at a time), with `latencyMs` added to every page.
 */
async function measureCxone(
  mode: "cxone" | "cxone-changes" | "raw-window" | "raw-keyed" = "cxone",
  latencyMs = 0,
  pageSize = 5000,
  contacts = CXONE_CONTACTS,
  runs = 1,
): Promise<RunResult> {
  const emu = await startEmulator(contacts, ["--platform", "cxone", "--knob", "warehouseLagS=0"]);
  try {
    if (latencyMs > 0)
      await fetch(`${emu.url}/_emulator/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ group: "completed", latencyMs }),
      });
    const f = (await (await fetch(`${emu.url}/_emulator/fixtures`)).json()) as CxoneFixtures;
    const key = f.accessKeys.find((k) => !k.readOnly)!;
    const skill = f.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isActive)!;
    // The median of `runs` exports against the same emulator (these runs are seconds long and
    // vary by about ±10% on this 2-core machine).
    const results: RunResult[] = [];
    for (let i = 0; i < runs; i++) {
      const { stdout } = await run(
        process.execPath,
        [
          SELF,
          "--child",
          mode,
          emu.url,
          `${f.client.clientId} ${key.accessKeyId}`,
          `${f.client.clientSecret} ${key.accessKeySecret}`,
          String(skill.skillId),
          f.completed.windowStart,
          new Date().toISOString(),
        ],
        { maxBuffer: 1 << 20, env: { ...process.env, CXO_BENCH_PAGE_SIZE: String(pageSize) } },
      );
      results.push(JSON.parse(stdout) as RunResult);
    }
    results.sort((x, y) => x.recordsPerSec - y.recordsPerSec);
    return results[Math.floor(results.length / 2)] as RunResult;
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
    // The 1M NDJSON and Parquet exports three times each, alternating, and the median of each
    // figure: one run's peak RSS moves by ±10 % with when V8 and zlib's engines are collected
    // (the Parquet ÷ NDJSON ratio read 1.10, 1.17, 1.22 and 1.42 from single runs on 2026-11-2x).
    const ndjsonRuns: RunResult[] = [];
    const parquetRuns: RunResult[] = [];
    for (let i = 0; i < 3; i++) {
      ndjsonRuns.push(
        await measure("ours", from1m, i === 0 ? ndjsonFile : path.join(keep, `again-${i}.ndjson`)),
      );
      parquetRuns.push(
        await measure("parquet", from1m, i === 0 ? datasetDir : path.join(keep, `again-${i}`)),
      );
    }
    const ours1m = medianRun(ndjsonRuns);
    const parquet1m = medianRun(parquetRuns);
    const duck = await duckdbTimes(ndjsonFile, datasetDir);
    rmSync(keep, { recursive: true, force: true });
    const base100k = await measure("baseline", from100k);
    const base1m = await measure("baseline", from1m);
    const ratio = ours1m.peakRssMb / ours100k.peakRssMb;
    const cxone = await measureCxone();
    // Issue 39 §5: with a page latency, the window export keeps its pages in flight busy, and
    // the incremental one (keyed: the next page's start is the last record of this one) keeps
    // one page in flight while it works. The bound each is held to is the lower of: the same
    // pages fetched as bytes alone with as many in flight (what the latency and the server
    // allow), and the same export with no latency (what its own work allows on this machine).
    // ~200k records of one skill: 40 window pages, 20 keyed ones (a start and an end that
    // cannot overlap anything weigh less than on 100k).
    const many = 2 * CXONE_CONTACTS;
    const { size: ws, latencyMs: wl } = WINDOW_PAGE;
    const { size: ks, latencyMs: kl } = KEYED_PAGE;
    const windowed = await measureCxone("cxone", wl, ws, many, 3);
    const windowRaw = await measureCxone("raw-window", wl, ws, many, 3);
    const windowFree = await measureCxone("cxone", 0, ws, many, 3);
    const keyed = await measureCxone("cxone-changes", kl, ks, many, 3);
    const keyedRaw = await measureCxone("raw-keyed", kl, ks, many, 3);
    const keyedFree = await measureCxone("cxone-changes", 0, ks, many, 3);
    const windowBound = Math.min(windowRaw.recordsPerSec, windowFree.recordsPerSec);
    const keyedBound = Math.min(keyedRaw.recordsPerSec, keyedFree.recordsPerSec);
    const boundOf = (raw: RunResult, free: RunResult, inFlight: string) =>
      raw.recordsPerSec <= free.recordsPerSec
        ? `bound: the pages as bytes, ${inFlight} (${Math.round(raw.recordsPerSec)}/s; no latency: ${Math.round(free.recordsPerSec)}/s)`
        : `bound: the export with no latency (${Math.round(free.recordsPerSec)}/s; the pages as bytes, ${inFlight}: ${Math.round(raw.recordsPerSec)}/s)`;
    return [
      {
        suite: "outcomes",
        metric: `window export, ${windowed.records} records on the production API, ${WINDOW_PAGE.latencyMs} ms a ${WINDOW_PAGE.size}-record page`,
        unit: "records/s",
        ours: windowed.recordsPerSec,
        baseline: windowBound,
        baselineLabel: boundOf(windowRaw, windowFree, `${PAGES_AHEAD + 1} in flight`),
        target: "≥ 0.9 × bound",
        met: windowed.recordsPerSec >= 0.9 * windowBound,
      },
      {
        suite: "outcomes",
        metric: `incremental export (keyed), ${keyed.records} records, ${KEYED_PAGE.latencyMs} ms a ${KEYED_PAGE.size}-record page`,
        unit: "records/s",
        ours: keyed.recordsPerSec,
        baseline: keyedBound,
        baselineLabel: boundOf(keyedRaw, keyedFree, "one at a time"),
        target: "≥ 0.9 × bound",
        met: keyed.recordsPerSec >= 0.9 * keyedBound,
      },
      {
        // No longer a target (issue 39 §5): a production record is ~1.9× a seed one's bytes and
        // the emulator alone takes about the seed adapter's whole export time to serve them.
        suite: "outcomes",
        metric: `export ${cxone.records} records on the production API (cxone adapter, /contacts/completed)`,
        unit: "records/s",
        ours: cxone.recordsPerSec,
        baseline: ours100k.recordsPerSec,
        baselineLabel: `seed adapter, ${ours100k.records} records, same run (for reference)`,
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
    // campaign=…/date=…/part-….parquet (docs/outcomes.md).
    const parquetMs = await time(`read_parquet('${dataset}/*/*/*.parquet', hive_partitioning = true)`);
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
  if (mode === "raw-window" || mode === "raw-keyed") {
    // The bound: the same pages fetched as bytes only (no decoding, hashing or writing), with as
    // many in flight as the adapter keeps: what the latency and the server allow.
    const [, keyId] = clientId!.split(" ");
    const [, keySecret] = secret!.split(" ");
    const pageSize = Number(process.env.CXO_BENCH_PAGE_SIZE ?? 5000);
    const { access_token: token } = (await (
      await fetch(`${url}/authentication/v1/token/access-key`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ accessKeyId: keyId, accessKeySecret: keySecret }),
      })
    ).json()) as { access_token: string };
    const page = async (params: Record<string, string>) => {
      const query = new URLSearchParams({
        skillId: campaign!,
        mediaTypeId: "4",
        top: String(pageSize),
        ...params,
      });
      const response = await fetch(`${url}/inContactAPI/services/v33.0/contacts/completed?${query}`, {
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      });
      const body = response.status === 200 ? await response.text() : "";
      bytes += body.length;
      return { body, count: body.split('"contactId":').length - 1 };
    };
    if (mode === "raw-window") {
      const first = await page({
        startDate: from!,
        endDate: to!,
        orderBy: "contactStartDate asc",
        skip: "0",
      });
      const total = Number(/"totalRecords":\s*(\d+)/.exec(first.body)?.[1] ?? first.count);
      records = first.count;
      const skips: number[] = [];
      for (let skip = pageSize; skip < total; skip += pageSize) skips.push(skip);
      const inFlight = PAGES_AHEAD + 1;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          for (let skip = skips.shift(); skip !== undefined; skip = skips.shift()) {
            // Awaited first, then added: `records += await …` would read `records` before the wait.
            const { count } = await page({
              startDate: from!,
              endDate: to!,
              orderBy: "contactStartDate asc",
              skip: String(skip),
            });
            records += count;
          }
        }),
      );
    } else {
      let since = from!;
      for (;;) {
        const { body, count } = await page({ updatedSince: since, orderBy: "lastUpdateTime asc", skip: "0" });
        records += count;
        const last = [...body.matchAll(/"lastUpdateTime":\s*"([^"]+)"/g)].at(-1)?.[1];
        if (count < pageSize || !last) break;
        since = last;
      }
    }
  } else if (mode === "ours" || mode === "cxone" || mode === "cxone-changes" || mode === "parquet") {
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
    const pageSize = Number(process.env.CXO_BENCH_PAGE_SIZE ?? 5000);
    if (mode === "cxone-changes") {
      const summary = await exportChanges({
        client: client.port,
        store,
        campaignId: campaign!,
        updatedSince: from!,
        out: path.join(dir, "changes.ndjson"),
        pageSize,
      });
      records = summary.totalRecords;
      bytes = summary.bytes;
    } else {
      const summary = await exportOutcomes({
        client: client.port,
        store,
        query: parseExportQuery({ campaign, from, to, pageSize }),
        out: keepOut ?? path.join(dir, mode === "parquet" ? "dataset" : "out.ndjson"),
        ...(mode === "parquet" ? { format: "parquet" as const } : {}),
      });
      records = summary.totalRecords;
      bytes = summary.bytes;
    }
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
