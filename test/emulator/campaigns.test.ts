import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Harness, harness, json, receiver } from "./helpers.ts";

const SECRET = `whsec_${Buffer.from("a-test-secret-of-32-bytes-length").toString("base64")}`;

function spec(contactListId: string, overrides: Record<string, unknown> = {}) {
  return {
    name: "Predictive_TCPA_Compliant",
    description: "Predictive outbound",
    status: "active",
    dialerConfig: {
      type: "predictive",
      predictiveSettings: {
        answerRatio: 0.85,
        maxCallsInFlight: 50,
        callRate: 12.0,
        abandonmentThreshold: 0.03,
      },
    },
    complianceConfig: {
      timeZone: "America/New_York",
      dialingRules: {
        startTime: "08:00:00",
        endTime: "21:00:00",
        allowedDays: ["Monday", "Tuesday", "Wednesday"],
      },
      rateLimits: { maxCallsPerContactPerDay: 1, maxCallsPerContactPerWeek: 3, maxCallsPerDay: 5000 },
    },
    contactListId,
    queueId: "default_outbound_queue",
    failoverConfig: {
      enabled: true,
      thresholdType: "success_rate",
      thresholdValue: 0.15,
      evaluationWindowMinutes: 30,
    },
    ...overrides,
  };
}

describe("emulator: seed 002 omnichannel campaigns", () => {
  let h: Harness;
  let token: string;
  let list: string;
  beforeAll(async () => {
    h = await harness();
    token = await h.token();
    list = h.fixtures.contactLists[0]?.id ?? "";
  });
  afterAll(() => h.close());

  it("creates a campaign, honouring status active; names may repeat", async () => {
    const a = await h.call("POST", "/api/v2/omnichannel/campaigns", { token, body: spec(list) });
    const b = await h.call("POST", "/api/v2/omnichannel/campaigns", { token, body: spec(list) });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ status: "active", contactListId: list, timeZone: "America/New_York" });
    expect(b.body.id).not.toBe(a.body.id);
    const read = await h.call("GET", `/api/v2/omnichannel/campaigns/${a.body.id}`, { token });
    expect(read.body).toEqual(a.body);
  });

  it.each([
    ["an unknown zone", { complianceConfig: { ...spec("x").complianceConfig, timeZone: "Mars/Olympus" } }],
    ["a non-IANA zone", { complianceConfig: { ...spec("x").complianceConfig, timeZone: "EST" } }],
    [
      "a string where a number belongs",
      {
        dialerConfig: {
          type: "predictive",
          predictiveSettings: { ...spec("x").dialerConfig.predictiveSettings, callRate: "12" },
        },
      },
    ],
    [
      "an answer ratio above 1",
      {
        dialerConfig: {
          type: "predictive",
          predictiveSettings: { ...spec("x").dialerConfig.predictiveSettings, answerRatio: 1.5 },
        },
      },
    ],
    ["an unknown contact list", { contactListId: "list_12345" }],
    ["a missing contact list", { contactListId: undefined }],
    [
      "a calling window outside 08:00-21:00",
      {
        complianceConfig: {
          ...spec("x").complianceConfig,
          dialingRules: { startTime: "07:00:00", endTime: "21:00:00", allowedDays: ["Monday"] },
        },
      },
    ],
  ])("answers 400 for %s", async (_label, overrides) => {
    const answer = await h.call("POST", "/api/v2/omnichannel/campaigns", {
      token,
      body: spec(list, overrides),
    });
    expect(answer.status).toBe(400);
  });

  it("replays the stored answer for a reused idempotency key, 422 for another body", async () => {
    const headers = { "x-idempotency-key": "create-once" };
    const first = await h.call("POST", "/api/v2/omnichannel/campaigns", { token, headers, body: spec(list) });
    const second = await h.call("POST", "/api/v2/omnichannel/campaigns", {
      token,
      headers,
      body: spec(list),
    });
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    // The request log tells a replay (no effect) from the first request (the effect).
    const log = await json(`${h.url}/_emulator/requests`);
    const creates = log.requests.filter(
      (r: { method: string; path: string }) =>
        r.method === "POST" && r.path === "/api/v2/omnichannel/campaigns",
    );
    expect(creates.slice(-2).map((r: { replayed?: boolean }) => r.replayed ?? false)).toEqual([false, true]);
    const other = await h.call("POST", "/api/v2/omnichannel/campaigns", {
      token,
      headers,
      body: spec(list, { name: "other" }),
    });
    expect(other.status).toBe(422);
  });

  it("pauses and resumes; the current state is 409; a replayed key stays 200", async () => {
    const campaign = h.fixtures.campaigns[2]?.id ?? "";
    const headers = { "x-idempotency-key": "pause-1" };
    const paused = await h.call("PUT", `/api/v2/omnichannel/campaigns/${campaign}`, {
      token,
      headers,
      body: { status: "paused" },
    });
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe("paused");
    const replay = await h.call("PUT", `/api/v2/omnichannel/campaigns/${campaign}`, {
      token,
      headers,
      body: { status: "paused" },
    });
    expect(replay.status).toBe(200);
    const again = await h.call("PUT", `/api/v2/omnichannel/campaigns/${campaign}`, {
      token,
      body: { status: "paused" },
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe("already_in_state");
    const resumed = await h.call("PUT", `/api/v2/omnichannel/campaigns/${campaign}`, {
      token,
      body: { status: "active" },
    });
    expect(resumed.body.status).toBe("active");
    expect(
      (await h.call("PUT", `/api/v2/omnichannel/campaigns/${campaign}`, { token, body: { status: "x" } }))
        .status,
    ).toBe(400);
    expect(
      (await h.call("PUT", "/api/v2/omnichannel/campaigns/nope", { token, body: { status: "paused" } }))
        .status,
    ).toBe(404);
  });

  it("serves metrics with a success rate in [0,1], forced values through the admin API", async () => {
    const campaign = h.fixtures.failoverPairs[0]?.primaryId ?? "";
    const answer = await h.call("GET", `/api/v2/omnichannel/campaigns/${campaign}/metrics?windowMinutes=30`, {
      token,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.successRate).toBeGreaterThanOrEqual(0);
    expect(answer.body.successRate).toBeLessThanOrEqual(1);
    expect(answer.body).toHaveProperty("activeCalls");
    expect(answer.body).toHaveProperty("lastUpdated");
    const forced = await fetch(`${h.url}/_emulator/campaigns/${campaign}/metrics`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ successRate: 0.05, activeCalls: 3 }),
    });
    expect(forced.status).toBe(200);
    const after = await h.call("GET", `/api/v2/omnichannel/campaigns/${campaign}/metrics`, { token });
    expect(after.body).toMatchObject({ successRate: 0.05, activeCalls: 3, failoverTriggered: true });
    expect(
      (await h.call("GET", `/api/v2/omnichannel/campaigns/${campaign}/metrics?windowMinutes=0`, { token }))
        .status,
    ).toBe(400);
  });

  it("segments contacts by consent, 1-based pages, sorted", async () => {
    const size = h.fixtures.contactLists[0]?.size ?? 0;
    const all = await h.call(
      "GET",
      `/api/v2/omnichannel/contactlists/${list}/contacts?query=true&pageSize=1000`,
      { token },
    );
    expect(all.body.totalCount).toBe(size);
    const consented: { id: string }[] = [];
    for (let page = 1; ; page++) {
      const q = new URLSearchParams({
        query: "consentFlags.outbound.call==true",
        pageSize: "100",
        page: String(page),
        sortBy: "lastModifiedTime",
        sortOrder: "desc",
      });
      const answer = await h.call("GET", `/api/v2/omnichannel/contactlists/${list}/contacts?${q}`, { token });
      expect(answer.status).toBe(200);
      if (answer.body.contacts.length === 0) break;
      for (const c of answer.body.contacts) {
        expect(c.consentFlags.outbound.call).toBe(true);
        expect(c.phone).toMatch(/^\+1\d{10}$/);
      }
      consented.push(...answer.body.contacts);
      if (answer.body.contacts.length < 100) break;
    }
    expect(new Set(consented.map((c) => c.id)).size).toBe(consented.length);
    expect(consented.length).toBeGreaterThan(size * 0.5);
    expect(consented.length).toBeLessThan(size);
    // Some contacts have no flags at all, and a consent filter excludes them either way.
    const refused = await h.call(
      "GET",
      `/api/v2/omnichannel/contactlists/${list}/contacts?query=consentFlags.outbound.call==false&pageSize=1000`,
      { token },
    );
    expect(refused.body.totalCount + consented.length).toBeLessThan(size);
    const zones = new Set(all.body.contacts.map((c: { timeZone?: string }) => c.timeZone).filter(Boolean));
    expect(zones.size).toBeGreaterThan(3);
  });

  it("answers 400 for an unsupported query or page 0, 404 for an unknown list", async () => {
    const base = `/api/v2/omnichannel/contactlists/${list}/contacts`;
    expect((await h.call("GET", `${base}?query=${encodeURIComponent("age>30")}`, { token })).status).toBe(
      400,
    );
    expect(
      (await h.call("GET", `${base}?query=${encodeURIComponent("shoeSize==9")}`, { token })).status,
    ).toBe(400);
    expect((await h.call("GET", `${base}?page=0`, { token })).status).toBe(400);
    expect((await h.call("GET", "/api/v2/omnichannel/contactlists/nope/contacts", { token })).status).toBe(
      404,
    );
  });

  it("delivers signed state-change and metrics events to a registered callback", async () => {
    const sink = await receiver();
    try {
      const registered = await h.call("POST", "/api/v2/omnichannel/webhooks", {
        token,
        body: {
          name: "Dialer Metrics Stream",
          callbackUrl: `${sink.url}/hook`,
          events: ["omnichannel.campaign.metrics.update", "omnichannel.campaign.state.change"],
          enabled: true,
          headers: { "X-Webhook-Source": "cxone-dialer" },
          secret: SECRET,
        },
      });
      expect(registered.status).toBe(201);
      expect(registered.body).not.toHaveProperty("secret");
      const campaign = h.fixtures.campaigns[5]?.id ?? "";
      await h.call("PUT", `/api/v2/omnichannel/campaigns/${campaign}`, { token, body: { status: "paused" } });
      const hit = await sink.waitFor((r) => r.body.includes("state.change"));
      expect(hit.headers["x-webhook-source"]).toBe("cxone-dialer");
      const id = hit.headers["webhook-id"] as string;
      const timestamp = hit.headers["webhook-timestamp"] as string;
      const expected = createHmac("sha256", Buffer.from(SECRET.slice(6), "base64"))
        .update(`${id}.${timestamp}.${hit.body}`)
        .digest("base64");
      expect(hit.headers["webhook-signature"]).toBe(`v1,${expected}`);
      const event = JSON.parse(hit.body);
      expect(event).toMatchObject({ id, type: "omnichannel.campaign.state.change", campaignId: campaign });
      expect(event.data).toMatchObject({ previousStatus: "active", status: "paused" });

      await fetch(`${h.url}/_emulator/campaigns/${campaign}/metrics`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ successRate: 0.4 }),
      });
      const metrics = await sink.waitFor((r) => r.body.includes("metrics.update"));
      expect(JSON.parse(metrics.body).data.successRate).toBe(0.4);
      const { deliveries } = await json(`${h.url}/_emulator/webhooks/deliveries`);
      expect(
        deliveries.filter((d: { status: string }) => d.status === "delivered").length,
      ).toBeGreaterThanOrEqual(2);
      expect(deliveries[0]).toMatchObject({ signed: true, webhookId: registered.body.id });
    } finally {
      await sink.close();
    }
  });

  it("answers 400 for a malformed webhook registration", async () => {
    const answer = await h.call("POST", "/api/v2/omnichannel/webhooks", {
      token,
      body: { name: "x", callbackUrl: "not a url", events: ["omnichannel.campaign.metrics.update"] },
    });
    expect(answer.status).toBe(400);
  });
});

describe("emulator: a paused campaign's active calls", () => {
  it("drains a paused campaign's active calls: never rising, down to 0, back to dialing on resume", async () => {
    // Its own emulator: only Date is faked (the metrics read the clock; sockets and timers run as
    // usual), and the jump forward and back would upset the shared one's rate limiter.
    const h = await harness();
    const token = await h.token();
    const list = h.fixtures.contactLists[0]?.id ?? "";
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      const created = await h.call("POST", "/api/v2/omnichannel/campaigns", { token, body: spec(list) });
      const id = created.body.id as string;
      const metrics = async () =>
        (await h.call("GET", `/api/v2/omnichannel/campaigns/${id}/metrics?windowMinutes=30`, { token })).body
          .activeCalls as number;
      await fetch(`${h.url}/_emulator/campaigns/${id}/metrics`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ successRate: 0.3, activeCalls: 40 }),
      });
      expect(await metrics()).toBe(40);
      const paused = await h.call("PUT", `/api/v2/omnichannel/campaigns/${id}`, {
        token,
        body: { status: "paused" },
      });
      expect(paused.status).toBe(200);
      const seen = [await metrics()];
      expect(seen[0]).toBe(40); // the calls in flight do not vanish at the pause
      for (let minute = 1; minute <= 15; minute++) {
        vi.advanceTimersByTime(60_000);
        seen.push(await metrics());
      }
      for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeLessThanOrEqual(seen[i - 1] as number);
      expect(seen[2]).toBeLessThan(40); // two minutes on, some have finished
      expect(seen.at(-1)).toBe(0);
      // Resuming dials again: the forced figure applies once more.
      await h.call("PUT", `/api/v2/omnichannel/campaigns/${id}`, { token, body: { status: "active" } });
      expect(await metrics()).toBe(40);
    } finally {
      vi.useRealTimers();
      await h.close();
    }
  });
});
