import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CampaignSpecInput } from "../../src/campaigns/spec.ts";
import { createInternalClient, type InternalClient } from "../../src/client.ts";
import { InputError } from "../../src/core/input-error.ts";
import { openStore } from "../../src/core/store/index.ts";
import { type CampaignHarness, campaignHarness, validSpec } from "../campaigns/lifecycle/harness.ts";
import { until } from "../support/virtual-clock.ts";

/**
 * Per-request options of the SDK (`signal`, `deadlineMs`, `idempotencyKey`) on journaled writes,
 * against the emulator over real HTTP: an abort or a deadline stops a write stuck behind 429s
 * without losing its journal record, and a caller's idempotency key is the intent CXone sees.
 */
let h: CampaignHarness;
const clients: InternalClient[] = [];
beforeAll(async () => {
  h = await campaignHarness(7);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await h.close();
});

const clientOn = (dataDir: string) => {
  const client = createInternalClient({
    connection: { baseUrl: h.url, clientId: h.admin.clientId, clientSecret: h.admin.clientSecret },
    dataDir,
    http: { backoffBaseMs: 5, backoffCapMs: 40, rateLimitScale: 1000 },
  });
  clients.push(client);
  return client;
};

/**
 * A long 429 burst on the campaign endpoints: a write waits (Retry-After 2 s, again and again)
 * until it is stopped. The pause is the whole group's in this process (every client of the
 * tenant shares it), so later steps wait out at most one Retry-After.
 */
const throttleCampaigns = () =>
  h.admin$("POST", "/faults", { group: "campaigns", burst429: 50, retryAfter: 2 });
const clearFaults = () => h.admin$("DELETE", "/faults");

const throttledOn = async (campaignId: string) =>
  (await h.requests()).filter(
    (r) => r.path === `/api/v2/omnichannel/campaigns/${campaignId}` && r.status === 429,
  ).length;

describe("SDK per-request options on writes", () => {
  it("an aborted pause rejects with the signal's reason; its journal row stays pending and the next run re-drives it once", async () => {
    const dataDir = path.join(h.dir(), ".cxo");
    const campaignId = h.pair.backupId;
    const before = await h.campaignStatus(campaignId);
    const target = before === "paused" ? "resume" : "pause";
    const throttledBefore = await throttledOn(campaignId);
    await throttleCampaigns();
    const controller = new AbortController();
    const cxo = clientOn(dataDir);
    try {
      const pending = cxo.campaigns[target](campaignId, { signal: controller.signal });
      // Abort once the operation has been answered 429 (it is now waiting on Retry-After).
      await until(async () => (await throttledOn(campaignId)) > throttledBefore);
      controller.abort(new Error("operator stopped it"));
      await expect(pending).rejects.toThrow("operator stopped it");
    } finally {
      await clearFaults();
    }
    await cxo.close();
    const store = await openStore(dataDir);
    const rows = await store.journal.pending();
    await store.close();
    expect(rows.map((r) => [r.kind, r.target])).toEqual([["campaigns.set-status", campaignId]]);

    const next = clientOn(dataDir);
    await next.campaigns.list().toArray(); // a campaigns call: the pending row is re-driven first
    const after = await openStore(dataDir);
    expect(await after.journal.pending()).toEqual([]);
    await after.close();
    expect(await h.campaignStatus(campaignId)).toBe(target === "pause" ? "paused" : "active");
  });

  it("a deadline bounds a write stuck behind 429s (Retry-After 2 s, 50 times): it rejects, nothing is lost", async () => {
    const dataDir = path.join(h.dir(), ".cxo");
    const campaignId = h.pair.primaryId;
    const target = (await h.campaignStatus(campaignId)) === "paused" ? "resume" : "pause";
    await throttleCampaigns();
    try {
      const cxo = clientOn(dataDir);
      await expect(cxo.campaigns[target](campaignId, { deadlineMs: 200 })).rejects.toThrow();
    } finally {
      await clearFaults();
    }
  });

  it("a caller's idempotency key is the intent: two data dirs, one campaign; another body with the key is refused", async () => {
    const key = `ops-ticket-4711-${Date.now()}`;
    const spec = { ...validSpec(h.contactListId), name: "Keyed by the caller" } as CampaignSpecInput;
    const first = await clientOn(path.join(h.dir(), ".cxo")).campaigns.create(
      { spec },
      { idempotencyKey: key },
    );
    const second = await clientOn(path.join(h.dir(), ".cxo")).campaigns.create(
      { spec },
      { idempotencyKey: key },
    );
    expect(first.idempotencyKey).toBe(key);
    expect(first.source).toBe("created");
    expect(second.source).toBe("cxone-replay");
    expect(second.campaign.id).toBe(first.campaign.id);

    const other = { ...spec, name: "Another body, same key" };
    await expect(
      clientOn(path.join(h.dir(), ".cxo")).campaigns.create({ spec: other }, { idempotencyKey: key }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it("a malformed idempotency key is bad input naming the field; nothing is sent", async () => {
    const before = (await h.campaignRequests()).length;
    const cxo = clientOn(path.join(h.dir(), ".cxo"));
    await expect(cxo.campaigns.pause(h.pair.primaryId, { idempotencyKey: "has spaces" })).rejects.toSatisfy(
      (error: unknown) =>
        error instanceof InputError && error.problems.some((p) => p.field === "idempotencyKey"),
    );
    expect((await h.campaignRequests()).length).toBe(before);
  });
});
