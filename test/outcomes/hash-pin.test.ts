import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/core/audit/canonical-json.ts";
import type { HttpClient } from "../../src/core/http/http-client.ts";
import type { BodySink } from "../../src/core/http/transport.ts";
import { openStore } from "../../src/core/store/index.ts";
import { resolveOptions } from "../../src/emulator/options.ts";
import { EmulatorState } from "../../src/emulator/state.ts";
import { type ExportSummary, exportOutcomes } from "../../src/outcomes/export.ts";
import { parseExportQuery } from "../../src/outcomes/query.ts";
import { verifyExport } from "../../src/outcomes/verify.ts";
import { seedOutcomes } from "../../src/platform/seed-api/outcomes.ts";

/**
 * Pins the exact output of an export, so a faster encoder cannot silently change what an
 * auditor's hash means. The records are the emulator's generator at a FIXED seed and a FIXED
 * start time (over HTTP the time window moves with the clock, so no value could be pinned),
 * plus tagged/annotated calls and odd hand-made records (unmodelled fields, nested objects,
 * numbers sent as strings, unicode, escapes, missing fields), served page by page through the
 * real seed-API adapter by a stand-in for the HTTP core that answers with JSON-decoded bodies.
 * The values below were computed by the first implementation (before any optimisation).
 */
const STARTED_AT = Date.UTC(2026, 0, 15, 12);
const NOW = new Date(STARTED_AT);
// Issue 66 added `callerId` to every record (the seed emulator's extension): the bytes changed
// by that field alone, which the first test proves by removing it and finding the hash pinned
// before it (PINNED_HASH_BEFORE_CALLER_ID).
const PINNED_HASH = "2ac932b743676d34f9eebecd6b39fbac7122a89ed8fa01c415096ec55e58e96d";
const PINNED_HASH_BEFORE_CALLER_ID = "68590e7fd0c9b353c29825a74cf5abb9c450f4965fd8c0a64c5593100969a3dc";
// The CSV bytes changed once on purpose: "+1 (555) 010-0000" is written as a neutralised cell
// (formula injection, core/csv-cell.ts); the records and their hash did not change.
// And once more for issue 66's `callerId` column, and for issue 79's three TSR columns after
// `extra` (seller, telemarketer, robocall: empty here, no record carries them). The records and
// their hash did not change: a record without TSR fields is the bytes it was
// (PINNED_CSV_SHA256_BEFORE_TSR is these bytes without the three columns, and still verifies).
const PINNED_CSV_SHA256 = "2eea56e9e92119c74ad495a4a1b1c74ae50585c4ecfa29e617fe0f658c503390";
const PINNED_CSV_SHA256_BEFORE_TSR = "ea931e883af1ba6a80387afb634e33dd96b9d5cd26b988baabf550842de46a7a";
// Issue 66: the analysis counts the export's bytes, which the `callerId` field lengthened.
const PINNED_ANALYSIS_SHA256 = "383e4131f5848266ac4ade0fd747d8374d60f7e19abf594e63c5b218a2194b82";

const ODD_RECORDS: Array<Record<string, unknown>> = [
  {
    id: 77,
    campaignId: "odd",
    startTime: "2025-12-01T10:00:00.000Z",
    endTime: null,
    durationSeconds: 42.5,
    dispositionCode: "SALE",
    reasonCodeId: 5,
    tags: ["vip", "ünïcødé ✓", 'quote " and \\ backslash', "line\nbreak"],
    notes: "",
    surprise: { z: [1, { b: 2, a: null }], a: "x\u2028y" },
    another: 1.5e-7,
  },
  {
    id: "odd-2",
    campaignId: "odd",
    startTime: "2025-12-01T11:00:00+02:00",
    endTime: "2025-12-01T11:00:30+02:00",
    dispositionCode: null,
    agentId: "agent,with,commas",
    phoneNumber: "+1 (555) 010-0000",
    direction: "OUTBOUND",
    tags: [],
    dispositionUpdatedAt: "2025-12-02T00:00:00Z",
    "weird key \t": true,
  },
  { id: "odd-3", campaignId: "odd", startTime: "not a date", durationSeconds: -1, tags: null },
];

/** The fixed data set: about 12,000 calls of one campaign, some tagged, then the odd ones. */
function fixedRecords(): unknown[] {
  const state = new EmulatorState(resolveOptions({ seed: 4242, calls: 72_000 }), STARTED_AT);
  const calls = state.calls;
  for (const index of [0, 6, 600, 6006, 60_000])
    calls.overrides.set(index, {
      dispositionCode: "CALLBACK_REQUESTED",
      reasonCodeId: null,
      tags: ["follow-up", "q1"],
      notes: `tagged ${index}: "quoted", comma`,
      updatedAt: "2026-01-10T09:00:00.000Z",
    });
  const page = calls.page({
    slot: 0,
    fromMs: STARTED_AT - 90 * 86_400_000,
    toMs: STARTED_AT,
    codes: null,
    limit: 100_000,
    cursor: null,
  });
  return JSON.parse(JSON.stringify([...page.records, ...ODD_RECORDS])) as unknown[];
}

/** Answers GET /api/v2/outbound/calls from a fixed list, `limit` per page, offset tokens. */
function fakeHttp(records: unknown[]): HttpClient {
  return {
    async request(options: { query?: Record<string, unknown>; bodySink?: BodySink }) {
      const limit = Number(options.query?.limit);
      const start = Number(options.query?.nextPageToken ?? 0);
      const end = Math.min(records.length, start + limit);
      const body = JSON.stringify({
        calls: records.slice(start, end),
        nextPageToken: end < records.length ? String(end) : null,
      });
      // Like the real core: a request with a sink gets the body's bytes there (a few chunks).
      if (options.bodySink) {
        const bytes = Buffer.from(body);
        options.bodySink.begin();
        for (let at = 0; at < bytes.length; at += 65_536)
          options.bodySink.write(bytes.subarray(at, at + 65_536));
        return { status: 200, headers: {}, body: undefined };
      }
      return { status: 200, headers: {}, body: JSON.parse(body) };
    },
  } as unknown as HttpClient;
}

async function exportFixed(format: "ndjson" | "csv"): Promise<{ summary: ExportSummary; bytes: Buffer }> {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-outcomes-pin-"));
  const store = await openStore(path.join(dir, ".cxo"), { actor: "test" });
  const out = path.join(dir, `pinned.${format}`);
  try {
    const summary = await exportOutcomes({
      client: { outcomes: seedOutcomes(fakeHttp(fixedRecords())) },
      store,
      query: parseExportQuery(
        {
          campaign: "pinned",
          from: new Date(STARTED_AT - 89 * 86_400_000).toISOString(),
          to: NOW.toISOString(),
          pageSize: 1000,
        },
        NOW,
      ),
      out,
      format,
    });
    return { summary, bytes: readFileSync(out) };
  } finally {
    await store.close();
  }
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

describe("pinned export output (fixed seed, fixed clock)", () => {
  it("the NDJSON export's compliance hash and bytes are exactly the pinned ones", async () => {
    const { summary, bytes } = await exportFixed("ndjson");
    expect(summary.totalRecords).toBeGreaterThan(10_000);
    expect(summary.complianceHash).toBe(sha256(bytes)); // the hash IS the NDJSON bytes' SHA-256
    expect(summary.complianceHash).toBe(PINNED_HASH);
    // Byte-compatible but for the new field: without it, the bytes pinned before issue 66.
    const text = bytes.toString("utf8");
    expect(text).toContain('"callerId":"+1800555');
    expect(sha256(text.replace(/,"callerId":(null|"[^"]*")/g, ""))).toBe(PINNED_HASH_BEFORE_CALLER_ID);
    const {
      complianceHash: _h,
      elapsedMs: _e,
      recordsPerSec: _r,
      extractionLatencyMs: _l,
      out: _o,
      ...rest
    } = summary;
    const analysis = {
      totalRecords: rest.totalRecords,
      converted: rest.converted,
      conversionRate: rest.conversionRate,
      categories: rest.categories,
      unknownCodes: rest.unknownCodes,
      durationSeconds: rest.durationSeconds,
      byDay: rest.byDay,
      byHour: rest.byHour,
      byCampaign: rest.byCampaign,
      pages: rest.pages,
      bytes: rest.bytes,
    };
    expect(sha256(canonicalJson(analysis))).toBe(PINNED_ANALYSIS_SHA256);
  });

  it("the adapter refuses a malformed record (wrong type of a field it reads), naming the listing", async () => {
    for (const bad of [
      { id: "x", campaignId: "c", startTime: "2026-01-01T00:00:00Z", durationSeconds: "42" },
      { id: "x", campaignId: "c", startTime: 5 },
      { id: "x", campaignId: "c", startTime: "2026-01-01T00:00:00Z", tags: [1] },
      { id: "x", campaignId: "c", startTime: "2026-01-01T00:00:00Z", dispositionCode: 3 },
      "not an object",
    ]) {
      const listing = seedOutcomes(fakeHttp([bad])).listCalls({
        campaignId: "c",
        from: "2026-03-01T00:00:00Z",
        to: "2026-03-02T00:00:00Z",
      });
      await expect(listing.toArray()).rejects.toThrow(
        /outbound\/calls: the seed API answered without a call record in the shape it documents/,
      );
    }
  });

  it("the CSV export has the same hash, its bytes are the pinned ones, and verify agrees", async () => {
    const { summary, bytes } = await exportFixed("csv");
    expect(summary.complianceHash).toBe(PINNED_HASH);
    expect(sha256(bytes)).toBe(PINNED_CSV_SHA256);
    expect(await verifyExport(summary.out, PINNED_HASH)).toMatchObject({ ok: true });
    // Without the TSR columns (the header's three names and every row's three empty cells):
    // the bytes pinned before issue 79, and an export written then still verifies.
    const before = bytes
      .toString("utf8")
      .replace(/^(.*),seller,telemarketer,robocall\r?\n/, "$1\n")
      .replace(/,,,(\r?\n)/g, "$1");
    expect(sha256(before)).toBe(PINNED_CSV_SHA256_BEFORE_TSR);
    const old = `${summary.out}.before-tsr.csv`;
    writeFileSync(old, before);
    expect(await verifyExport(old, PINNED_HASH)).toMatchObject({ ok: true });
  });
});
