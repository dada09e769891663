import { createHash } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { DEFAULT_DISPOSITION_MAP } from "../../src/outcomes/disposition-map.ts";
import { ExportInterruptedError, type ExportSummary, exportOutcomes } from "../../src/outcomes/export.ts";
import { parseExportQuery } from "../../src/outcomes/query.ts";
import { verifyExport } from "../../src/outcomes/verify.ts";
import { type OutcomesHarness, outcomesHarness } from "./helpers.ts";

// 25,000 records in 40 pages: every path (resume, faults, cut-off answers) crosses many pages;
// the size itself is measured by `npm run bench -- outcomes` (1M records), not here. (50,000 in
// pages of 1,250 until 2026-11-27: the same pages, twice the records to encode, hash and check;
// issue 80.)
const RECORDS = 25_000;
const PAGE = 625;

/** exportOutcomes against the emulator over HTTP: 25,000 records, resume, faults. */
describe("outcomes export (25,000 records)", () => {
  let h: OutcomesHarness;
  let reference: { file: string; dataDir: string; bytes: Buffer; summary: ExportSummary };

  const run = async (
    dataDir: string,
    out: string,
    extra: Partial<Parameters<typeof exportOutcomes>[0]> = {},
    window: { from: string; to: string } = { from: h.from, to: h.to },
  ): Promise<ExportSummary> => {
    const client = h.client(dataDir);
    const store = await openStore(dataDir, { actor: "test" });
    try {
      return await exportOutcomes({
        client: client.port,
        store,
        query: parseExportQuery({ campaign: h.campaignId, ...window, pageSize: PAGE }),
        out,
        ...extra,
      });
    } finally {
      await store.close();
      await client.close();
    }
  };

  beforeAll(async () => {
    h = await outcomesHarness(RECORDS);
    const dir = h.dir();
    const file = path.join(dir, "reference.ndjson");
    const dataDir = path.join(dir, ".cxo");
    const summary = await run(dataDir, file);
    reference = { file, dataDir, bytes: readFileSync(file), summary };
  });
  afterAll(() => h.close());

  /** The reference records from `from` on (a suffix of its bytes: records come in startTime order). */
  const expectedSince = (from: string): { hash: string; records: number; bytes: Buffer } => {
    const lines = reference.bytes.toString("utf8").trimEnd().split("\n");
    const first = lines.findIndex((line) => Date.parse(JSON.parse(line).startTime) >= Date.parse(from));
    const bytes = Buffer.from(`${lines.slice(first).join("\n")}\n`, "utf8");
    return { hash: createHash("sha256").update(bytes).digest("hex"), records: lines.length - first, bytes };
  };

  it("exports every record once, and the categories equal the emulator's own per-code counts", async () => {
    const { summary, bytes } = reference;
    const counts = await h.countsByCode();
    expect(counts.total).toBe(RECORDS);
    expect(summary.totalRecords).toBe(RECORDS);
    expect(summary.pages).toBe(RECORDS / PAGE);
    const expected: Record<string, number> = Object.fromEntries(
      Object.keys(DEFAULT_DISPOSITION_MAP.categories).map((c) => [c, 0]),
    );
    const unknown: Record<string, number> = {};
    for (const [code, n] of Object.entries(counts.byCode)) {
      const category = Object.entries(DEFAULT_DISPOSITION_MAP.categories).find(([, codes]) =>
        codes.includes(code),
      )?.[0];
      if (category) expected[category] = (expected[category] ?? 0) + n;
      else unknown[code] = n;
    }
    expect(summary.categories).toEqual(expected);
    expect(summary.unknownCodes).toEqual(unknown);
    expect(Object.keys(unknown).length).toBeGreaterThan(0); // campaign-specific codes are listed, not folded
    expect(summary.conversionRate).toBeCloseTo((expected.success ?? 0) / RECORDS, 12);
    const lines = bytes.toString("utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(RECORDS);
    expect(new Set(lines.map((l) => JSON.parse(l).id)).size).toBe(RECORDS);
    expect(summary.byHour.reduce((s, r) => s + r.records, 0)).toBe(RECORDS);
    expect(summary.byDay.reduce((s, r) => s + r.records, 0)).toBe(RECORDS);
    expect(summary.durationSeconds.count).toBe(RECORDS);
    const verified = await verifyExport(reference.file, summary.complianceHash);
    expect(verified).toMatchObject({ ok: true, records: RECORDS });
  });

  it("records the compliance hash and the query in the audit log", async () => {
    const store = await openStore(reference.dataDir);
    const [record] = await store.audit.tail(1);
    expect(await store.audit.verify()).toMatchObject({ ok: true });
    await store.close();
    expect(record).toMatchObject({
      operation: "outcomes.export",
      outcome: "done",
      target: h.campaignId,
      details: {
        complianceHash: reference.summary.complianceHash,
        totalRecords: RECORDS,
        query: { campaignId: h.campaignId, pageSize: PAGE },
      },
    });
  });

  it("an aborted export, resumed, gives the same bytes and hash; bytes written after the last checkpoint are dropped", async () => {
    // The last 30 days (~8k records, 13 pages).
    const window = { from: new Date(Date.now() - 30 * 86_400_000).toISOString(), to: h.to };
    const expected = expectedSince(window.from);
    const dir = h.dir();
    const dataDir = path.join(dir, ".cxo");
    const out = path.join(dir, "resumed.ndjson");
    const abort = new AbortController();
    const error = await run(
      dataDir,
      out,
      {
        signal: abort.signal,
        onProgress: (p) => {
          if (p.pages === 5) abort.abort(new Error("test abort"));
        },
      },
      window,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportInterruptedError);
    const stopped = (error as ExportInterruptedError).progress.records;
    expect(stopped).toBeGreaterThanOrEqual(5 * PAGE);
    expect(stopped).toBeLessThan(expected.records);
    // Until it completes, the export is written beside `out`, and the message speaks the SDK's words.
    expect(existsSync(out)).toBe(false);
    expect((error as Error).message).toContain("`resume: true`");
    expect((error as Error).message).not.toContain("--resume");
    const partial = `${out}.partial`;
    // A crash after part of the next page's bytes reached the file, before its checkpoint.
    const size = statSync(partial).size;
    expect(expected.bytes.subarray(0, size).equals(readFileSync(partial))).toBe(true);
    appendFileSync(partial, expected.bytes.subarray(size, size + 100_000));
    const summary = await run(dataDir, out, { resume: true }, window);
    expect(summary).toMatchObject({
      resumed: true,
      resumedFromRecords: stopped,
      totalRecords: expected.records,
    });
    expect(summary.recordsThisRun).toBe(expected.records - stopped);
    expect(summary.complianceHash).toBe(expected.hash);
    expect(readFileSync(out).equals(expected.bytes)).toBe(true);
    expect(existsSync(partial)).toBe(false);
    const whole = await run(path.join(dir, "whole"), path.join(dir, "whole.ndjson"), {}, window);
    expect(summary.categories).toEqual(whole.categories);
    expect(summary.durationSeconds).toEqual(whole.durationSeconds);

    // Resuming a finished export fetches nothing and reports the same figures.
    const before = (await h.listingRequests()).length;
    const again = await run(dataDir, out, { resume: true }, window);
    expect(again).toMatchObject({ alreadyComplete: true, complianceHash: expected.hash });
    expect((await h.listingRequests()).length).toBe(before);
  });

  it("refuses to resume onto a file changed since the checkpoint", async () => {
    const dir = h.dir();
    const dataDir = path.join(dir, ".cxo");
    const out = path.join(dir, "tampered.ndjson");
    const abort = new AbortController();
    await run(dataDir, out, {
      signal: abort.signal,
      onProgress: (p) => p.pages === 2 && abort.abort(new Error("stop")),
    }).catch(() => {});
    const partial = `${out}.partial`;
    const text = readFileSync(partial, "utf8").replace("NOT_INTERESTED", "CONVERTED");
    writeFileSync(partial, text);
    await expect(run(dataDir, out, { resume: true })).rejects.toThrow(/not the ones exported/);
  });

  it("a later run to the same file that is stopped (no resume) leaves the finished export whole", async () => {
    const dir = h.dir();
    const out = path.join(dir, "finished.ndjson");
    const window = { from: new Date(Date.now() - 10 * 86_400_000).toISOString(), to: h.to };
    const first = await run(path.join(dir, ".cxo"), out, {}, window);
    const finished = readFileSync(out);
    expect(finished.length).toBe(first.bytes);
    const abort = new AbortController();
    const error = await run(
      path.join(dir, ".cxo"),
      out,
      { signal: abort.signal, onProgress: (p) => p.pages === 1 && abort.abort(new Error("deadline")) },
      window,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportInterruptedError);
    expect(readFileSync(out).equals(finished)).toBe(true);
  });

  it("429 bursts, 5xx and connection resets do not change the result", async () => {
    await h.admin("POST", "/faults", { group: "outcomes", burst429: 3, retryAfter: 0 });
    await h.admin("POST", "/faults", { group: "outcomes", errorRate: 0.15, errorStatus: 503 });
    await h.admin("POST", "/faults", { group: "outcomes", resetRate: 0.05 });
    const dir = h.dir();
    const before = await h.listingRequests();
    const window = { from: new Date(Date.now() - 25 * 86_400_000).toISOString(), to: h.to };
    try {
      const summary = await run(path.join(dir, ".cxo"), path.join(dir, "faulty.ndjson"), {}, window);
      const expected = expectedSince(window.from);
      expect(expected.records).toBeGreaterThan(5_000);
      expect(summary.totalRecords).toBe(expected.records);
      expect(summary.complianceHash).toBe(expected.hash);
      const requests = (await h.listingRequests()).slice(before.length);
      expect(requests.filter((r) => r.status === 429).length).toBe(3);
      expect(requests.filter((r) => r.status >= 500 || r.status === 0).length).toBeGreaterThan(0);
      expect(summary.retries + summary.throttled).toBeGreaterThan(0);
    } finally {
      await h.admin("DELETE", "/faults");
    }
  });

  it("answers cut off mid-body are fetched again whole: no partial page reaches the file", async () => {
    await h.admin("POST", "/faults", { group: "outcomes", truncateRate: 0.3 });
    const dir = h.dir();
    const before = await h.listingRequests();
    const window = { from: new Date(Date.now() - 20 * 86_400_000).toISOString(), to: h.to };
    try {
      const summary = await run(path.join(dir, ".cxo"), path.join(dir, "cut.ndjson"), {}, window);
      const expected = expectedSince(window.from);
      expect(summary.totalRecords).toBe(expected.records);
      expect(summary.complianceHash).toBe(expected.hash);
      expect(readFileSync(path.join(dir, "cut.ndjson")).equals(expected.bytes)).toBe(true);
      // Every truncated answer was asked for again; each page was taken whole exactly once.
      const requests = (await h.listingRequests()).slice(before.length);
      const cut = requests.filter((r) => r.truncated);
      expect(cut.length).toBeGreaterThan(0);
      expect(requests.filter((r) => r.status === 200 && !r.truncated).length).toBe(summary.pages);
      expect(summary.retries).toBe(cut.length);
    } finally {
      await h.admin("DELETE", "/faults");
    }
  });

  it("a CSV export holds the same records: its hash equals the NDJSON export's", async () => {
    const dir = h.dir();
    const window = { from: new Date(Date.now() - 12 * 86_400_000).toISOString(), to: h.to };
    const out = path.join(dir, "recent.csv");
    const csv = await run(path.join(dir, ".cxo"), out, { format: "csv" }, window);
    const expected = expectedSince(window.from);
    expect(csv.totalRecords).toBe(expected.records);
    expect(csv.complianceHash).toBe(expected.hash);
    expect(await verifyExport(out, expected.hash)).toMatchObject({ ok: true, records: expected.records });
  });
});
