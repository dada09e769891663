import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tagFile } from "../../src/dispositions/bulk-tag.ts";
import { openTaggingSession } from "../../src/dispositions/session.ts";
import { callOfPath, type TagHarness, tagHarness, validRows, writeCsv } from "./helpers.ts";

// 2,000 rows still draw every fault many times over (~200 503s, ~100 500s, ~60 resets, the
// 40-answer 429 burst) at 40% of the cost of 5,000: the run is CPU-bound on a loaded machine.
const ROWS = 2000;
const SCALE = 30; // 3,000 tagging requests/s on both sides: the run takes seconds

describe("bulk tagging under faults: 10% 5xx, connection resets, 429 bursts", () => {
  let h: TagHarness;
  beforeAll(async () => {
    h = await tagHarness({ calls: 100_000, rateLimitScale: SCALE });
  });
  afterAll(() => h.close());

  it("tags every valid row of a 2,000-row file", async () => {
    const dir = h.dir();
    const calls = await h.callsOf(h.campaign.id, ROWS);
    const file = writeCsv(path.join(dir, "rows.csv"), validRows(calls, h.campaign.matrix));

    const client = h.client(path.join(dir, ".cxo"), SCALE, {
      backoffBaseMs: 20,
      backoffCapMs: 500,
      maxAttempts: 12,
    });
    const session = await openTaggingSession(client.port.dispositions, path.join(dir, ".cxo"), {
      actor: h.admin.clientId,
    });
    try {
      // The matrix is read first (a 429 burst aimed at the PUTs should hit the PUTs).
      await session.matrices.get(h.campaign.id);
      await h.admin$("POST", "/faults", { group: "dispositions", errorRate: 0.1, errorStatus: 503 });
      await h.admin$("POST", "/faults", { group: "dispositions", errorRate: 0.05, errorStatus: 500 });
      await h.admin$("POST", "/faults", { group: "dispositions", resetRate: 0.03 });
      // The burst's 429s say `Retry-After: 0`: each still pauses and slows the group (a congestion
      // event) and is retried as a throttle, not an attempt; a wait of the header's length is
      // test/core/http/retries.test.ts's and concurrency.test.ts's (at 1 s it was over half of
      // this test's time, ~2.7 s of ~4.8).
      await h.admin$("POST", "/faults", { group: "dispositions", burst429: 40, retryAfter: 0 });
      await h.clearRequests();
      const summary = await tagFile(session, { campaignId: h.campaign.id, file, concurrency: 32 });
      expect(summary.failures.slice(0, 3)).toEqual([]);
      expect(summary).toMatchObject({ total: ROWS, invalid: 0, succeeded: ROWS, failed: 0 });
      expect(summary.latencyMs.p99).toBeGreaterThanOrEqual(summary.latencyMs.p50);

      const puts = await h.puts();
      const statuses = new Map<number, number>();
      for (const p of puts) statuses.set(p.status, (statuses.get(p.status) ?? 0) + 1);
      // The faults really fired, and every call ended with a 200.
      expect(statuses.get(503) ?? 0).toBeGreaterThan(ROWS * 0.05);
      expect(statuses.get(0) ?? 0).toBeGreaterThan(0);
      expect(statuses.get(429) ?? 0).toBeGreaterThanOrEqual(40);
      const ok = new Set(puts.filter((p) => p.status === 200).map((p) => callOfPath(p.path)));
      expect(ok.size).toBe(ROWS);
      expect(await session.store.journal.counts()).toEqual({ pending: 0, done: ROWS, failed: 0 });
    } finally {
      await session.close();
      await client.close();
      await h.admin$("DELETE", "/faults");
    }
  }, 120_000);
});
