import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientClosedError } from "../../src/index.ts";
import { type TagHarness, tagHarness, validRows, writeCsv } from "../dispositions/helpers.ts";

/**
 * Issue 68 §1: `close()` during running work. A bulk tag of 300 rows closed after a few rows
 * resolved with 14 succeeded and 286 "failed" ("database is not open"): the store was closed
 * before the requests in flight were stopped. Now close() fires the client's closing signal
 * first: the call rejects with ClientClosedError, nothing is recorded as failed, and the next run
 * re-drives the rows left in flight and sends the rest — every row tagged exactly once.
 */
let h: TagHarness;
beforeAll(async () => {
  h = await tagHarness({ calls: 3000, latencyMs: 30 });
});
afterAll(() => h.close());

describe("close() while a bulk tag runs", () => {
  it("stops the call (ClientClosedError), records no failure, and the next run finishes the file", async () => {
    const dir = h.dir();
    const dataDir = path.join(dir, ".cxo");
    const calls = await h.callsOf(h.campaign.id, 300);
    const file = writeCsv(path.join(dir, "rows.csv"), validRows(calls, h.campaign.matrix));
    const first = h.client(dataDir, 1000);
    const running = first.dispositions.tagFile(file, { campaignId: h.campaign.id, concurrency: 4 });
    while ((await h.puts()).length < 20) await new Promise((r) => setTimeout(r, 10));
    await first.close();
    const outcome = await running.then(
      (summary) => summary,
      (error: unknown) => error,
    );
    if (outcome instanceof Error) expect(outcome).toBeInstanceOf(ClientClosedError);
    else expect(outcome).toMatchObject({ failed: 0, interrupted: true });

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
