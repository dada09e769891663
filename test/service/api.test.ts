import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerSecret } from "../../src/core/logging/index.ts";
import type { RunningService } from "../../src/service/index.ts";
import { type ServiceHarness, serviceHarness } from "./harness.ts";

const WEBHOOK_SECRET = "whsec_c2VydmljZS10ZXN0LXdlYmhvb2stc2VjcmV0";
const DEST_SECRET = "whsec_ZGVzdGluYXRpb24tc2VjcmV0LWZvci10ZXN0cw==";

describe("cxo serve: JSON API, /metrics and boot behaviour (against the emulator)", () => {
  let h: ServiceHarness;
  let svc: RunningService;
  let watched: string;

  beforeAll(async () => {
    h = await serviceHarness();
    watched = h.campaignIds[0] as string;
    await h.admin$("DELETE", "/requests");
    svc = await h.start({
      settings: h.settings(
        { campaigns: [watched], webhookSecret: WEBHOOK_SECRET },
        { destinations: { bi: { url: "http://127.0.0.1:9/bi", secret: DEST_SECRET } } },
      ),
    });
    await svc.pollNow();
  });
  afterAll(() => h.close());

  const get = async (route: string) => {
    const response = await fetch(`${svc.url}${route}`);
    return {
      status: response.status,
      text: await response.text(),
      type: response.headers.get("content-type"),
    };
  };

  it("changes nothing on CXone at boot: the request log holds reads (and the token) only", async () => {
    const requests = await h.requests();
    expect(requests.length).toBeGreaterThan(0);
    const writes = requests.filter((r) => r.method !== "GET" && !r.path.endsWith("/oauth/token"));
    expect(writes).toEqual([]);
    expect(requests.filter((r) => r.path === "/api/v2/omnichannel/campaigns" && r.method === "POST")).toEqual(
      [],
    );
  });

  it("a board nobody signs in to is read-only: the page's viewer, and every action refused (403, nothing sent)", async () => {
    const me = await fetch(`${svc.url}/api/session`);
    expect(await me.json()).toMatchObject({ user: "anonymous", role: "viewer", via: "open" });
    const before = (await h.requests()).length;
    const action = await fetch(`${svc.url}/api/campaigns/${watched}/pause`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ intent: "open-board-intent" }),
    });
    expect(action.status).toBe(403);
    expect(((await action.json()) as { message: string }).message).toContain("cxo users add");
    expect((await h.requests()).length).toBe(before);
  });

  it("binds 127.0.0.1 by default and prints a URL", () => {
    expect(svc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(svc.port).toBeGreaterThan(0);
  });

  it("/api/health reports service, store, CXone reachability and token state (never the token)", async () => {
    const { status, text } = await get("/api/health");
    expect(status).toBe(200);
    const health = JSON.parse(text);
    expect(health).toMatchObject({
      service: "ok",
      store: { ok: true },
      cxone: { configured: true, reachable: true, token: { state: "valid" } },
    });
    expect(Date.parse(health.cxone.token.expiresAt)).toBeGreaterThan(Date.now());
    expect(text).not.toMatch(/access_token|Bearer /);
    // Several instances: who this is, what it does, which store, and whether to send it traffic.
    expect(health).toMatchObject({
      instance: { id: expect.stringMatching(/:\d+:/), name: expect.any(String) },
      roles: ["leader", "dispatcher", "webhooks"],
      leader: { self: true, token: expect.any(Number) },
      ready: { ready: true },
      store: { backend: "sqlite" },
    });
    const ready = await get("/api/ready");
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({ ready: true, reason: null });
  });

  it("/api/campaigns/:id/health answers the seed's fields from the latest poll", async () => {
    await h.admin$("POST", `/campaigns/${watched}/metrics`, { successRate: 0.0625, activeCalls: 17 });
    await svc.pollNow();
    const { status, text } = await get(`/api/campaigns/${watched}/health`);
    expect(status).toBe(200);
    const doc = JSON.parse(text);
    expect(Object.keys(doc).sort()).toEqual(
      [
        "active_calls",
        "campaign_id",
        "failover_triggered",
        "last_metric_update",
        "status",
        "success_rate",
      ].sort(),
    );
    const seeded = h.fixtures.campaigns.find((c) => c.id === watched);
    expect(doc).toMatchObject({
      campaign_id: watched,
      status: seeded?.status,
      active_calls: 17,
      success_rate: 0.0625,
    });
    expect(typeof doc.failover_triggered).toBe("boolean");
    expect(Number.isNaN(Date.parse(doc.last_metric_update))).toBe(false);
  });

  it("/api/campaigns/:id/health: a malformed id is 400 (nothing sent), an unknown campaign 404", async () => {
    const before = (await h.requests()).length;
    const bad = await get(`/api/campaigns/${encodeURIComponent("../etc passwd")}/health`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ error: "invalid_request", field: "id" });
    expect((await h.requests()).length).toBe(before);
    const missing = await get("/api/campaigns/no-such-campaign-42/health");
    expect(missing.status).toBe(404);
    expect((await get("/api/campaigns")).text).not.toContain("no-such-campaign-42");
  });

  it("/api/campaigns/:id/health cannot spend the tenant's budget on arbitrary ids: unseen ids are bounded, a missing one is remembered", async () => {
    // The budget is per instance and window (10 a minute); the test above spent one, this one more.
    const first = (await h.requests()).length;
    expect((await get("/api/campaigns/unseen-campaign-first/health")).status).toBe(404);
    const perPoll = (await h.requests()).length - first;
    expect(perPoll).toBeGreaterThan(0);
    const before = (await h.requests()).length;
    const asked = await Promise.all(
      Array.from({ length: 15 }, (_, i) => get(`/api/campaigns/unseen-campaign-${i}/health`)),
    );
    const statuses = asked.map((a) => a.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(7);
    expect(statuses.filter((s) => s === 404).length).toBeLessThanOrEqual(8);
    expect((await h.requests()).length - before).toBeLessThanOrEqual(8 * perPoll);
    // Asked again: answered from memory, nothing sent.
    const again = (await h.requests()).length;
    expect((await get("/api/campaigns/no-such-campaign-42/health")).status).toBe(404);
    expect((await h.requests()).length).toBe(again);
  });

  it("/api/health shows a store error scrubbed of secrets (a connection string's password)", async () => {
    const password = "hunter2-the-db-password";
    registerSecret(password);
    const spy = vi
      .spyOn(svc.store.audit, "head")
      .mockRejectedValueOnce(new Error(`connection to postgres://cxo:${password}@db.internal/cxo failed`));
    try {
      const health = JSON.parse((await get("/api/health")).text);
      expect(health.store).toMatchObject({
        ok: false,
        error: expect.stringContaining("connection to postgres://cxo:"),
      });
      expect(JSON.stringify(health)).not.toContain(password);
    } finally {
      spy.mockRestore();
    }
  });

  it("a malformed session cookie is 401, not 500", async () => {
    const response = await fetch(`${svc.url}/api/campaigns`, {
      headers: { cookie: "cxo_session=%E0%A4%A; other=%" },
    });
    expect([200, 401]).toContain(response.status);
    expect(response.status).not.toBe(500);
  });

  it("/api/dashboard carries each campaign's series for the charts", async () => {
    const doc = JSON.parse((await get("/api/dashboard")).text);
    const campaign = doc.campaigns.find((c: { id: string }) => c.id === watched);
    expect(campaign.series.length).toBeGreaterThanOrEqual(2);
    expect(campaign.series.at(-1)).toMatchObject({ successRate: 0.0625, activeCalls: 17 });
  });

  it("reads the abandonment rate from the seed's dialer analytics (the latest hourly bucket)", async () => {
    await svc.pollNow();
    // The seed API's own figure, read over plain HTTP (not through our client).
    const tokenAnswer = await fetch(`${h.emulatorUrl}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: h.admin.clientId,
        client_secret: h.admin.clientSecret,
      }).toString(),
    });
    const { access_token } = (await tokenAnswer.json()) as { access_token: string };
    const now = Date.now();
    const query = new URLSearchParams({
      campaignId: watched,
      metrics: "abandonmentRate",
      groupBy: "hour",
      startTime: new Date(now - 2 * 3_600_000).toISOString(),
      endTime: new Date(now).toISOString(),
    });
    const analytics = (await (
      await fetch(`${h.emulatorUrl}/api/v1/analytics/dialer/metrics?${query}`, {
        headers: { authorization: `Bearer ${access_token}` },
      })
    ).json()) as { results: Array<{ timestamp: string; abandonmentRate: number }> };
    const latest = analytics.results.reduce((a, b) =>
      Date.parse(b.timestamp) > Date.parse(a.timestamp) ? b : a,
    );
    expect(latest.abandonmentRate).toBeGreaterThan(0);
    const doc = JSON.parse((await get("/api/dashboard")).text);
    const campaign = doc.campaigns.find((c: { id: string }) => c.id === watched);
    expect(campaign.abandonmentRate).toBe(latest.abandonmentRate);
    expect(campaign.series.at(-1).abandonmentRate).toBe(latest.abandonmentRate);
  });

  it("/api/outbox lists configured destinations, /api/audit validates its limit", async () => {
    const outbox = JSON.parse((await get("/api/outbox")).text);
    expect(outbox.destinations).toEqual([
      {
        destination: "bi",
        pending: 0,
        delivered: 0,
        dead: 0,
        oldestPendingAgeMs: null,
        configured: true,
        note: null,
      },
    ]);
    expect((await get("/api/audit?limit=10")).status).toBe(200);
    const bad = await get("/api/audit?limit=100000");
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ field: "limit" });
  });

  it("/metrics exposes HTTP, outbox, audit, campaign and webhook metrics in Prometheus format", async () => {
    const { status, text, type } = await get("/metrics");
    expect(status).toBe(200);
    expect(type).toContain("text/plain");
    for (const name of [
      "cxo_http_request_duration_ms_bucket",
      "cxo_outbox_events",
      "cxo_audit_records",
      "cxo_service_campaign_polls_total",
      "cxo_service_sse_clients",
    ])
      expect(text).toContain(name);
    expect(text).toMatch(new RegExp(`cxo_campaign_success_rate\\{campaign="${watched}"[^}]*\\} 0.0625`));
    expect(text).toMatch(
      /cxo_http_request_duration_ms_count\{[^}]*group="campaigns",method="GET",status="200"[^}]*\} [1-9]/,
    );
    // Every series carries the instance label (several instances behind one scrape job).
    const samples = text.split("\n").filter((line) => line && !line.startsWith("#"));
    expect(samples.length).toBeGreaterThan(10);
    // Label values may hold braces themselves (an endpoint label such as "GET /contacts/{contactId}").
    const labelled = /^\w+\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\binstance="[^"]+"(?:[^"}]|"(?:[^"\\]|\\.)*")*\} /;
    for (const line of samples) expect(line).toMatch(labelled);
  });

  it("the dashboard is served with uPlot from node_modules (no CDN)", async () => {
    const page = await get("/");
    expect(page.status).toBe(200);
    expect(page.text).toContain('src="/vendor/uplot/uPlot.iife.min.js"');
    expect(page.text).not.toMatch(/https?:\/\//);
    const lib = await get("/vendor/uplot/uPlot.iife.min.js");
    expect(lib.status).toBe(200);
    expect(lib.text).toContain("uPlot");
    expect((await get("/vendor/uplot/uPlot.min.css")).status).toBe(200);
    expect((await get("/static/dashboard.js")).status).toBe(200);
  });

  it("no page or API response holds the client secret or a webhook secret", async () => {
    const routes = [
      "/",
      "/static/dashboard.js",
      "/api/health",
      "/api/campaigns",
      `/api/campaigns/${watched}/health`,
      "/api/dashboard",
      "/api/outbox",
      "/api/audit",
      "/api/jobs",
      "/api/incidents",
      "/metrics",
    ];
    for (const route of routes) {
      const { text } = await get(route);
      for (const secret of [h.admin.clientSecret, WEBHOOK_SECRET, DEST_SECRET]) {
        expect(text, route).not.toContain(secret);
        expect(text, route).not.toContain(secret.slice(6, 26));
      }
    }
  });
});
