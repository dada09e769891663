import { writeFileSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORE_FILE } from "../../src/core/store/open-store.ts";
import { ClientClosedError } from "../../src/index.ts";
import { type TagHarness, tagHarness, validRows, writeCsv } from "../dispositions/helpers.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * Issue 68 §1: `close()` during running work. A bulk tag of 300 rows closed after a few rows
 * resolved with 14 succeeded and 286 "failed" ("database is not open"): the store was closed
 * before the requests in flight were stopped. Now close() fires the client's closing signal
 * first: the call rejects with ClientClosedError, nothing is recorded as failed, and the next run
 * re-drives the rows left in flight and sends the rest — every row tagged exactly once.
 */
let h: TagHarness;
beforeAll(async () => {
  h = await tagHarness({ calls: 3000 });
});
afterAll(() => h.close());

describe("close() while a bulk tag runs", () => {
  it("stops the call (ClientClosedError), records no failure, and the next run finishes the file", async () => {
    const dir = h.dir();
    const dataDir = path.join(dir, ".cxo");
    const calls = await h.callsOf(h.campaign.id, 300);
    const file = writeCsv(path.join(dir, "rows.csv"), validRows(calls, h.campaign.matrix));
    // Each PUT slow enough that close() surely comes mid-file; the next run goes at full speed.
    await h.admin$("POST", "/faults", { group: "dispositions", latencyMs: 30 });
    const first = h.client(dataDir, 1000);
    const running = first.dispositions.tagFile(file, { campaignId: h.campaign.id, concurrency: 4 });
    // The ceiling only bounds a hang: the default 10 s was missed on a loaded machine (issue 93 §4).
    await waitUntil(async () => (await h.puts()).length >= 20, {
      what: "20 PUTs of the bulk tag",
      timeoutMs: 60_000,
    });
    await first.close();
    const outcome = await running.then(
      (summary) => summary,
      (error: unknown) => error,
    );
    if (outcome instanceof Error) expect(outcome).toBeInstanceOf(ClientClosedError);
    else expect(outcome).toMatchObject({ failed: 0, interrupted: true });
    await h.admin$("DELETE", "/faults");

    const second = h.client(dataDir, 1000);
    try {
      const rest = await second.dispositions.tagFile(file, { campaignId: h.campaign.id });
      expect(rest.failed).toBe(0);
      expect(rest.succeeded + rest.skipped + rest.redrivenRows).toBe(300);
    } finally {
      await second.close();
    }
    const perCall = new Map<string, number>();
    for (const put of await h.puts()) perCall.set(put.path, (perCall.get(put.path) ?? 0) + 1);
    expect(perCall.size).toBe(300);
  });
});

const outcomePagesCount = async () =>
  ((await h.admin$("GET", "/requests")) as { requests: Array<{ path: string }> }).requests.filter(
    (r) => r.path === "/api/v2/outbound/calls",
  ).length;

describe("close() while an export runs", () => {
  it("stops it as an interruption (resumable), and the next run resumes it to the whole file", async () => {
    const dir = h.dir();
    const dataDir = path.join(dir, ".cxo");
    const out = path.join(dir, "calls.ndjson");
    const now = Date.now();
    const query = {
      campaignId: h.campaign.id,
      from: new Date(now - 89 * 86_400_000).toISOString(),
      to: new Date(now).toISOString(),
      pageSize: 20,
    };
    // Each page slow enough that the export is surely in the middle when close() comes.
    await h.admin$("POST", "/faults", { group: "outcomes", latencyMs: 150 });
    const first = h.client(dataDir, 1000);
    const startedAt = await outcomePagesCount();
    const running = first.outcomes.export(query, { out });
    let settled = false;
    void running
      .finally(() => {
        settled = true;
      })
      .catch(() => undefined);
    await waitUntil(async () => settled || (await outcomePagesCount()) - startedAt >= 2, {
      what: "two pages of the export read",
      timeoutMs: 60_000,
      intervalMs: 5,
    });
    await first.close();
    await h.admin$("DELETE", "/faults");
    const error = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    // Stopped before the end: an interruption (resumable), never a finished export of part of it.
    expect(error).toBeInstanceOf(Error);
    expect((error as { code?: string }).code).toMatch(/export_interrupted|client_closed/);
    const second = h.client(dataDir, 1000);
    try {
      const done = await second.outcomes.export(query, { out, resume: true });
      const whole = await second.outcomes.list(query).toArray({ limit: 100_000 });
      expect(done.totalRecords).toBe(whole.length);
    } finally {
      await second.close();
    }
  });
});

describe("close() while a consent import runs", () => {
  it("stops between batches (ClientClosedError): the committed batches are kept, the next run adds exactly the rest", async () => {
    const dir = h.dir();
    const dataDir = path.join(dir, ".cxo");
    const file = path.join(dir, "revocations.ndjson");
    // Four batches of 5,000: room to close after the first commit and before the last. (The
    // import now hears close() while it checks the file, too: closed at once, it commits none.)
    const rows = 20_000;
    writeFileSync(
      file,
      Array.from(
        { length: rows },
        (_, i) =>
          `{"phone":"+1212${String(5_000_000 + i).padStart(7, "0")}","at":"2026-11-20T15:00:00Z","channel":"sms"}`,
      ).join("\n"),
    );
    const first = h.client(dataDir, 1000);
    await first.consent.report(); // the store open: the import is the work in flight
    const running = first.consent.import({ file });
    // The ledger's rows as another reader of the store sees them (WAL: committed batches only).
    const db = new DatabaseSync(path.join(dataDir, STORE_FILE), { readOnly: true });
    const committed = () =>
      Number((db.prepare("SELECT count(*) AS n FROM consent_ledger").get() as { n: number }).n);
    try {
      await waitUntil(() => committed() >= 5000, {
        what: "the import's first batch committed",
        timeoutMs: 60_000,
        intervalMs: 1,
      });
    } finally {
      db.close();
    }
    await first.close();
    const error = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ClientClosedError);
    const second = h.client(dataDir, 1000);
    try {
      // Whole batches were committed before the signal was heard; nothing after them.
      const rest = await second.consent.import({ file });
      expect(rest.rows).toBe(rows);
      expect(rest.known % 5000).toBe(0);
      expect(rest.known).toBeGreaterThanOrEqual(5000);
      expect(rest.known).toBeLessThan(rows);
      expect(rest.added).toBe(rows - rest.known);
      expect(await second.consent.import({ file })).toMatchObject({ rows, added: 0, known: rows });
    } finally {
      await second.close();
    }
  });
});
