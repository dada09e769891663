import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWebhook } from "../../src/core/outbox/index.ts";
import type { RunningService } from "../../src/service/index.ts";
import { hostAllowed, sameOrigin } from "../../src/service/request-policy.ts";
import { type ServiceHarness, serviceHarness } from "./harness.ts";

/**
 * Transport policy of `cxo serve` (issue 20, security 1): JSON-only webhooks, foreign Origin
 * refused, Host allow-list against DNS rebinding, unsigned webhooks refused by default, and
 * webhook ids remembered across a restart.
 */
const SECRET = "whsec_dHJhbnNwb3J0LXBvbGljeS10ZXN0LXNlY3JldA==";

/** A raw request, so the Host header can be anything (fetch does not let us set it). */
function raw(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: options.method ?? "GET",
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

let h: ServiceHarness;
let n = 0;
const event = (campaignId: string) => {
  n += 1;
  return {
    id: `evt-policy-${n}`,
    type: "omnichannel.campaign.metrics.update",
    campaignId,
    occurredAt: new Date().toISOString(),
    data: { successRate: 0.01, activeCalls: 5, callsInWindow: 500, windowMinutes: 30 },
  };
};

beforeAll(async () => {
  h = await serviceHarness();
});
afterAll(() => h.close());

describe("webhook receiver: content type, signature policy", () => {
  let open: RunningService;
  let strict: RunningService;
  beforeAll(async () => {
    open = await h.start({ service: { allowUnsignedWebhooks: true } });
    strict = await h.start({});
  });

  it("refuses a body that is not application/json (415), even when unsigned webhooks are allowed", async () => {
    const body = JSON.stringify(event(h.campaignIds[0] as string));
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      const answer = await fetch(`${open.url}/webhooks/cxone`, {
        method: "POST",
        headers: { "content-type": type },
        body,
      });
      expect(answer.status, type).toBe(415);
    }
    const json = await fetch(`${open.url}/webhooks/cxone`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body,
    });
    expect(json.status).toBe(204);
  });

  it("refuses unsigned webhooks by default (401 saying how to allow them)", async () => {
    const answer = await fetch(`${strict.url}/webhooks/cxone`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(event(h.campaignIds[0] as string)),
    });
    expect(answer.status).toBe(401);
    expect(await answer.text()).toMatch(/service\.webhookSecret.*service\.allowUnsignedWebhooks/);
    expect(strict.board.view(h.campaignIds[0] as string)?.lastSource).not.toBe("webhook");
  });

  it("refuses a request carrying a foreign Origin (403), even a well-formed JSON webhook", async () => {
    for (const origin of ["http://evil.example", "null", `${open.url.replace("127.0.0.1", "localhost")}`]) {
      const answer = await fetch(`${open.url}/webhooks/cxone`, {
        method: "POST",
        headers: { "content-type": "application/json", origin },
        body: JSON.stringify(event(h.campaignIds[0] as string)),
      });
      expect(answer.status, origin).toBe(403);
    }
    // The service's own origin is fine.
    const own = await fetch(`${open.url}/api/dashboard`, { headers: { origin: open.url } });
    expect(own.status).toBe(200);
  });
});

describe("Host allow-list (DNS rebinding)", () => {
  it("answers loopback names and allowedHosts, refuses a foreign Host on /api/* (403)", async () => {
    const svc = await h.start({ service: { allowedHosts: ["cxo.example.com", "*.corp.example"] } });
    const port = new URL(svc.url).port;
    const get = (path: string, host: string) => raw(svc.url, { path, headers: { host } });
    for (const path of ["/api/dashboard", "/api/campaigns", "/api/audit", "/", "/metrics"]) {
      const refused = await get(path, `rebind.evil.example:${port}`);
      expect(refused.status, path).toBe(403);
      expect(refused.body).toMatch(/service\.allowedHosts/);
    }
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      "cxo.example.com",
      "a.corp.example",
    ])
      expect((await get("/api/dashboard", host)).status, host).toBe(200);
    expect((await get("/api/dashboard", "corp.example.evil")).status).toBe(403);
    expect((await get("/api/health", "10.0.0.8:8080")).status).toBe(200); // load balancers probe by IP
  });

  it("rules (pure)", () => {
    const policy = { bindHost: "127.0.0.1", allowedHosts: [] };
    expect(hostAllowed(undefined, policy)).toBe(false);
    expect(hostAllowed("127.0.0.1", policy)).toBe(true);
    expect(hostAllowed("127.0.0.1.evil.example", policy)).toBe(false);
    expect(hostAllowed("localhost.", policy)).toBe(true);
    expect(hostAllowed("10.1.2.3:80", { bindHost: "10.1.2.3", allowedHosts: [] })).toBe(true);
    expect(hostAllowed("10.1.2.3:80", { bindHost: "0.0.0.0", allowedHosts: [] })).toBe(false);
    expect(hostAllowed("anything", { bindHost: "0.0.0.0", allowedHosts: ["*"] })).toBe(true);
    expect(sameOrigin("http://127.0.0.1:8080", "127.0.0.1:8080")).toBe(true);
    expect(sameOrigin("http://127.0.0.1:8081", "127.0.0.1:8080")).toBe(false);
    expect(sameOrigin("null", "127.0.0.1:8080")).toBe(false);
  });
});

describe("replay protection survives a restart", () => {
  it("a signed webhook id applied before a restart is a duplicate after it", async () => {
    const campaign = h.campaignIds[2] as string;
    const first = event(campaign);
    const send = async (svc: RunningService) => {
      const body = JSON.stringify(first);
      const answer = await fetch(`${svc.url}/webhooks/cxone`, {
        method: "POST",
        headers: { "content-type": "application/json", ...signWebhook(SECRET, { id: first.id, body }) },
        body,
      });
      return { status: answer.status, text: await answer.text() };
    };
    const before = await h.start({ service: { webhookSecret: SECRET } });
    expect((await send(before)).status).toBe(204);
    await before.close();
    const after = await h.start({ service: { webhookSecret: SECRET } });
    const again = await send(after); // re-signed now: only the id can tell it is a replay
    expect(again).toEqual({ status: 200, text: JSON.stringify({ duplicate: true }) });
    expect(after.board.view(campaign)?.lastSource).not.toBe("webhook");
  });
});
