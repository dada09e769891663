import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInternalClient, type InternalClient } from "../../src/client.ts";
import { ConflictError } from "../../src/core/http/errors.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import type { CampaignDefinition } from "../../src/platform/types.ts";
import { adminCall } from "../support/emulator-admin.ts";

/** The seed-002 adapter against the emulator: idempotent writes, metrics, contacts paging. */
let emulator: RunningEmulator;
let client: InternalClient;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 11, calls: 1000, rateLimitScale: 50 });
  const { clientId, clientSecret } = emulator.fixtures.clients[0]!;
  client = createInternalClient({
    connection: { baseUrl: emulator.url, clientId, clientSecret },
    http: { backoffBaseMs: 5, backoffCapMs: 50, rateLimitScale: 50 },
  });
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});

function definition(): CampaignDefinition {
  return {
    name: "Port test",
    contactListId: emulator.fixtures.contactLists[0]!.id,
    dialer: {
      type: "predictive",
      predictive: { answerRatio: 0.8, maxCallsInFlight: 50, callRate: 10, abandonmentThreshold: 0.03 },
    },
    compliance: {
      timeZone: "America/Chicago",
      windowStart: "09:00",
      windowEnd: "20:00",
      allowedDays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
      maxCallsPerContactPerDay: 2,
    },
    failover: { enabled: true, threshold: 0.15, evaluationWindowMinutes: 30 },
  };
}

describe("campaigns port over the seed API", () => {
  it("creates once per idempotency key, and replays the same campaign for a retry", async () => {
    const first = await client.port.campaigns.create(definition(), "create-key-1");
    const again = await client.port.campaigns.create(definition(), "create-key-1");
    expect(first.replayed).toBe(false);
    expect(again.replayed).toBe(true);
    expect(again.campaign.id).toBe(first.campaign.id);
    expect(first.campaign.status).toBe("paused");
    expect(first.campaign.timeZone).toBe("America/Chicago");
    const fetched = await client.port.campaigns.get(first.campaign.id);
    expect(fetched.name).toBe("Port test");
  });

  it("changes status; the same state again is a ConflictError", async () => {
    const { campaign } = await client.port.campaigns.create(definition(), "create-key-2");
    const resumed = await client.port.campaigns.setStatus(campaign.id, "active", "resume-1");
    expect(resumed.campaign.status).toBe("active");
    await expect(client.port.campaigns.setStatus(campaign.id, "active", "resume-2")).rejects.toBeInstanceOf(
      ConflictError,
    );
    await adminCall(emulator.url, "POST", `/campaigns/${campaign.id}/metrics`, {
      successRate: 0.125,
      callsInWindow: 48,
    });
    const metrics = await client.port.campaigns.metrics(campaign.id, 30);
    expect(metrics.campaignId).toBe(campaign.id);
    // A forced figure read back exactly: a range check would pass a wrong field or a percentage.
    expect(metrics.successRate).toBe(0.125);
    expect(metrics.callsInWindow).toBe(48);
  });

  it("lists contacts page by page; consentOnly returns only consenting contacts", async () => {
    const list = emulator.fixtures.contactLists[0]!;
    const all = await client.port.campaigns.listContacts(list.id, { pageSize: 37 }).toArray();
    expect(all.length).toBe(list.size);
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    const consenting = await client.port.campaigns
      .listContacts(list.id, { consentOnly: true, pageSize: 50 })
      .toArray();
    expect(consenting.length).toBeGreaterThan(0);
    expect(consenting.length).toBeLessThan(all.length);
    expect(consenting.every((c) => c.consent.call === true)).toBe(true);
    expect(all[0]!.phone).toMatch(/^\+1\d{10}$/);
  });

  it("registers a signed webhook subscription", async () => {
    const sub = await client.port.campaigns.subscribe({
      name: "receiver",
      callbackUrl: "http://127.0.0.1:9/webhooks/cxone",
      events: ["omnichannel.campaign.metrics.update", "omnichannel.campaign.state.change"],
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    });
    expect(sub.signed).toBe(true);
    expect(sub.events).toHaveLength(2);
  });
});
