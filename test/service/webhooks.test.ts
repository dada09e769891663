import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../src/client.ts";
import { signWebhook } from "../../src/core/outbox/index.ts";
import type { RunningService } from "../../src/service/index.ts";
import { type ServiceHarness, serviceHarness, until } from "./harness.ts";

const SECRET = "whsec_d2ViaG9vay1yZWNlaXZlci10ZXN0LXNlY3JldA==";

describe("cxo serve: the CXone webhook receiver (POST /webhooks/cxone)", () => {
  let h: ServiceHarness;
  let svc: RunningService;
  let campaign: string;
  let n = 0;

  beforeAll(async () => {
    h = await serviceHarness();
    campaign = h.campaignIds[1] as string;
    svc = await h.start({ service: { webhookSecret: SECRET } });
  });
  afterAll(() => h.close());

  const metricsEvent = (successRate: number, extra: Record<string, unknown> = {}) => ({
    id: `evt-test-${++n}`,
    type: "omnichannel.campaign.metrics.update",
    campaignId: campaign,
    occurredAt: new Date(Date.now() + n).toISOString(),
    data: { successRate, activeCalls: 12, windowMinutes: 30, ...extra },
  });

  const post = async (body: string, headers: Record<string, string>, from?: Agent) => {
    const response = await fetch(`${svc.url}/webhooks/cxone`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
      ...(from ? { dispatcher: from } : {}),
    } as RequestInit);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const signed = (event: { id: string; [field: string]: unknown }, secret = SECRET, timestamp?: number) => {
    const body = JSON.stringify(event);
    return {
      body,
      headers: signWebhook(secret, { id: event.id, body, ...(timestamp ? { timestamp } : {}) }),
    };
  };

  it("accepts a signed metrics event (204) and it reaches the board", async () => {
    const { body, headers } = signed(metricsEvent(0.42, { abandonmentRate: 0.021 }));
    expect((await post(body, headers)).status).toBe(204);
    expect(svc.board.view(campaign)).toMatchObject({
      successRate: 0.42,
      activeCalls: 12,
      abandonmentRate: 0.021,
      lastSource: "webhook",
    });
  });

  it("rejects (401) a forged signature, a wrong secret, missing headers and a stale timestamp; none reach the board", async () => {
    // From an address of its own: five bad signatures are the limit per address (as for bearer tokens).
    const from = new Agent({ localAddress: "127.0.8.9" });
    const event = metricsEvent(0.01);
    const good = signed(event);
    const forged = { ...good.headers, "webhook-signature": `v1,${Buffer.alloc(32).toString("base64")}` };
    expect((await post(good.body, forged, from)).status).toBe(401);
    const wrong = signed(event, "whsec_b3RoZXItc2VjcmV0LW5vdC1vdXJz");
    expect((await post(wrong.body, wrong.headers, from)).status).toBe(401);
    expect((await post(good.body, {}, from)).status).toBe(401);
    const stale = signed(event, SECRET, Math.floor(Date.now() / 1000) - 3600);
    expect((await post(stale.body, stale.headers, from)).body).toMatchObject({ error: "invalid_signature" });
    // A body changed after signing fails too.
    const tampered = good.body.replace("0.01", "0.99");
    expect((await post(tampered, good.headers, from)).status).toBe(401);
    // The sixth waits, whatever it carries.
    expect((await post(good.body, good.headers, from)).status).toBe(429);
    await from.close();
    expect(svc.board.view(campaign)?.successRate).not.toBe(0.01);
    expect(svc.board.view(campaign)?.successRate).not.toBe(0.99);
  });

  it("drops a redelivery of the same webhook id (200 duplicate) without a second chart point", async () => {
    const { body, headers } = signed(metricsEvent(0.33));
    const points = svc.board.series(campaign).length;
    expect((await post(body, headers)).status).toBe(204);
    const again = await post(body, {
      ...headers,
      ...signWebhook(SECRET, { id: headers["webhook-id"], body }),
    });
    expect(again).toEqual({ status: 200, body: { duplicate: true } });
    expect(svc.board.series(campaign).length).toBe(points + 1);
  });

  it("answers 400 for malformed events (naming the field) and 202 for event types it does not use", async () => {
    const bad = signed(metricsEvent(1.5));
    const answer = await post(bad.body, bad.headers);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain("data.successRate");
    const noType = signed({ ...metricsEvent(0.2), type: "" });
    expect((await post(noType.body, noType.headers)).status).toBe(400);
    const other = signed({ ...metricsEvent(0.2), type: "dialer.settings.updated" });
    expect((await post(other.body, other.headers)).status).toBe(202);
    const state = signed({
      id: `evt-state-${++n}`,
      type: "omnichannel.campaign.state.change",
      campaignId: campaign,
      occurredAt: new Date().toISOString(),
      data: { previousStatus: "active", status: "paused" },
    });
    expect((await post(state.body, state.headers)).status).toBe(204);
    expect(svc.board.view(campaign)?.status).toBe("paused");
  });

  it("receives the emulator's own signed deliveries when CXone is subscribed to it", async () => {
    const target = h.campaignIds[2] as string;
    const client = createInternalClient(clientOptionsFromSettings(h.settings()));
    try {
      await client.port.campaigns.subscribe({
        name: "service test",
        callbackUrl: `${svc.url}/webhooks/cxone`,
        events: ["omnichannel.campaign.metrics.update", "omnichannel.campaign.state.change"],
        secret: SECRET,
      });
    } finally {
      await client.close();
    }
    await h.admin$("POST", `/campaigns/${target}/metrics`, { successRate: 0.0777, activeCalls: 5 });
    // The view may exist before the delivery lands (a poll made it): wait for the webhook's values.
    const view = await until(
      () => (svc.board.view(target)?.lastSource === "webhook" ? svc.board.view(target) : undefined),
      20_000,
      "the emulator's webhook",
    );
    expect(view).toMatchObject({ successRate: 0.0777, activeCalls: 5, lastSource: "webhook" });
    const deliveries = (await h.admin$("GET", "/webhooks/deliveries")) as {
      deliveries: Array<{ signed: boolean; responseStatus: number }>;
    };
    expect(deliveries.deliveries.at(-1)).toMatchObject({ signed: true, responseStatus: 204 });
  });

  it("counts received events by type and outcome in /metrics", async () => {
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    expect(text).toMatch(
      /cxo_service_webhook_events_total\{type="omnichannel.campaign.metrics.update",outcome="accepted"[^}]*\} [1-9]/,
    );
    expect(text).toMatch(
      /cxo_service_webhook_events_total\{type="unknown",outcome="rejected_signature"[^}]*\} [1-9]/,
    );
    expect(text).toMatch(/outcome="duplicate"[^}]*\} [1-9]/);
  });
});
