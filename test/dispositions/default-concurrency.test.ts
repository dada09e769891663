import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../src/client.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { RateLimitRegistry } from "../../src/core/http/endpoint-groups.ts";
import { defaultConcurrency } from "../../src/dispositions/bulk-tag.ts";
import { type TagHarness, tagHarness, validRows, writeCsv } from "./helpers.ts";

describe("rows in flight when the caller names no number", () => {
  let h: TagHarness;
  beforeAll(async () => {
    // Answers take 400 ms: every row the run may start is in flight before the first answer.
    h = await tagHarness({ calls: 20_000, latencyMs: 400 });
  });
  afterAll(() => h.close());

  it("are enough for the tagging limit: 32 at the documented 100/s, 128 at 1,000/s, at most 256", () => {
    expect(defaultConcurrency(100)).toBe(32);
    expect(defaultConcurrency(10)).toBe(32);
    expect(defaultConcurrency(1000)).toBe(128);
    expect(defaultConcurrency(100_000)).toBe(256);
  });

  it("client.dispositions.tagFile keeps 128 rows in flight for a tenant at 1,000 tagging requests/s", async () => {
    const dir = h.dir();
    const calls = await h.callsOf(h.campaign.id, 300);
    const file = writeCsv(path.join(dir, "rows.csv"), validRows(calls, h.campaign.matrix));
    const limits = new RateLimitRegistry({}, 10);
    const group = limits.get("dispositions");
    // Count the group's requests in flight (a slot is held from grant to answer).
    let inFlight = 0;
    let peak = 0;
    const acquire = group.acquire.bind(group);
    group.acquire = async (signal) => {
      const release = await acquire(signal);
      peak = Math.max(peak, ++inFlight);
      return () => {
        inFlight -= 1;
        release();
      };
    };
    const settings = settingsSchema.parse({
      cxone: { baseUrl: h.url, clientId: h.admin.clientId, clientSecret: h.admin.clientSecret },
      dataDir: path.join(dir, ".cxo"),
    });
    const client = createInternalClient({ ...clientOptionsFromSettings(settings), limits });
    try {
      const summary = await client.dispositions.tagFile(file, { campaignId: h.campaign.id });
      expect(summary).toMatchObject({ total: 300, succeeded: 300, failed: 0 });
      // 32 before (the old default, ~0.5 of a 1,000/s limit at two commits per row).
      expect(peak).toBeGreaterThan(100);
      expect(peak).toBeLessThanOrEqual(128);
    } finally {
      await client.close();
    }
  }, 120_000);
});
