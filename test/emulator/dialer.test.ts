import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { useFakeTimeouts } from "../support/fake-timeouts.ts";
import { type Harness, harness, receiver } from "./helpers.ts";

const config = {
  name: "Predictive_Outbound_01",
  type: "predictive",
  concurrency: { max_agents: 50, max_simultaneous_calls: 200, call_spacing_ms: 150 },
  algorithm: {
    type: "predictive",
    abandonment_rate_target: 0.03,
    agent_availability_estimate: 0.85,
    dial_ratio: 4.0,
    warm_line_timeout_sec: 12,
  },
};

const admin = (h: Harness, path: string, body: unknown) =>
  fetch(`${h.url}/_emulator${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("emulator: seed 003 dialer", () => {
  let h: Harness;
  let token: string;
  // A settings operation ends on the emulator's timer (operationDelayMs). The tests that look at
  // one in progress hold that timer on the fake clock and end the operation themselves
  // (`operationEnds`): a loaded machine once saw COMPLETED where IN_PROGRESS was expected, after
  // a 1 s window. The emulator runs in this process, so its setTimeout is the fake one.
  const OPERATION_MS = 1000;
  beforeAll(async () => {
    h = await harness({ operationDelayMs: OPERATION_MS });
    token = await h.token(); // Node's fetch starts its own timer wheel here, on the real clock
  });
  afterAll(() => h.close());
  afterEach(() => {
    vi.useRealTimers();
  });
  /** The operation in progress ends now (its timer, on the fake clock, fires). */
  const operationEnds = () => vi.advanceTimersByTime(OPERATION_MS);

  it("creates a dialer campaign visible to the omnichannel API", async () => {
    const created = await h.call("POST", "/api/v1/campaigns", { token, body: config });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: config.name,
      type: "predictive",
      concurrency: config.concurrency,
    });
    const read = await h.call("GET", `/api/v2/omnichannel/campaigns/${created.body.id}`, { token });
    expect(read.status).toBe(200);
    const bad = await h.call("POST", "/api/v1/campaigns", {
      token,
      body: { ...config, concurrency: { ...config.concurrency, max_agents: -1 } },
    });
    expect(bad.status).toBe(400);
    const reader = await h.token(h.reader);
    expect((await h.call("POST", "/api/v1/campaigns", { token: reader, body: config })).status).toBe(403);
  });

  it("validates: PASS with capacity warnings, FAIL with violations", async () => {
    const pass = await h.call("POST", "/api/v1/dialer/policies/validate", {
      token,
      body: {
        campaign_config: config,
        regulatory_checks: ["tcpa_abandonment", "dnc_compliance", "calling_hours"],
        carrier_capacity: { max_trunks: 150, current_utilization_percent: 45 },
      },
    });
    expect(pass.status).toBe(200);
    expect(pass.body.compliance_status).toBe("PASS");
    expect(pass.body.violations).toEqual([]);
    expect(pass.body.warnings.map((w: { code: string }) => w.code)).toContain("TRUNK_CAPACITY");

    const fail = await h.call("POST", "/api/v1/dialer/policies/validate", {
      token,
      body: {
        campaign_config: {
          name: "x",
          type: "predictive",
          concurrency: { max_agents: 5 },
          algorithm: { ...config.algorithm, abandonment_rate_target: 0.05, dial_ratio: 0.5 },
        },
      },
    });
    expect(fail.body.compliance_status).toBe("FAIL");
    const codes = fail.body.violations.map((v: { code: string }) => v.code);
    expect(codes).toEqual(
      expect.arrayContaining(["TCPA_ABANDONMENT_LIMIT", "DIAL_RATIO_BELOW_ONE", "MISSING_FIELD"]),
    );
    const malformed = await h.call("POST", "/api/v1/dialer/policies/validate", {
      token,
      body: { campaign_config: 3 },
    });
    expect(malformed.status).toBe(400);
  });

  it("applies settings asynchronously: 202, pending, then COMPLETED with the new versionTag", async () => {
    const sink = await receiver();
    try {
      const hook = await h.call("POST", "/api/v1/integrations/webhooks", {
        token,
        body: {
          name: "WFM_Dialer_Sync",
          url: `${sink.url}/wfm`,
          events: ["dialer.settings.updated", "dialer.campaign.activated"],
          auth: { type: "bearer", token: "wfm_integration_token_placeholder" },
          retryPolicy: { maxRetries: 3, backoffMultiplier: 2, timeoutSec: 10 },
        },
      });
      expect(hook.status).toBe(201);
      expect(JSON.stringify(hook.body)).not.toContain("wfm_integration_token_placeholder");

      const before = await h.call("GET", "/api/v1/dialer/settings", { token });
      expect(before.body).toMatchObject({
        versionTag: h.fixtures.dialerSettings.versionTag,
        pendingOperationId: null,
      });
      useFakeTimeouts();
      const put = await h.call("PUT", "/api/v1/dialer/settings", {
        token,
        headers: { "if-match": before.body.versionTag },
        body: config,
      });
      expect(put.status).toBe(202);
      const { operationId, versionTag } = put.body;
      expect(versionTag).not.toBe(before.body.versionTag);

      const during = await h.call("GET", "/api/v1/dialer/settings", { token });
      expect(during.body).toMatchObject({
        versionTag: before.body.versionTag,
        pendingOperationId: operationId,
      });
      expect(during.body.concurrency).toEqual(before.body.concurrency);
      const busy = await h.call("PUT", "/api/v1/dialer/settings", {
        token,
        headers: { "if-match": before.body.versionTag },
        body: config,
      });
      expect(busy.status).toBe(409);
      expect((await h.call("GET", `/api/v1/dialer/operations/${operationId}`, { token })).body.status).toBe(
        "IN_PROGRESS",
      );

      operationEnds();
      vi.useRealTimers();
      const done = await h.call("GET", `/api/v1/dialer/operations/${operationId}`, { token });
      expect(done.body).toMatchObject({ status: "COMPLETED", versionTag, errorDetails: null });
      const after = await h.call("GET", "/api/v1/dialer/settings", { token });
      expect(after.body).toMatchObject({
        versionTag,
        pendingOperationId: null,
        concurrency: config.concurrency,
      });

      const event = await sink.waitFor((r) => r.body.includes("dialer.settings.updated"));
      expect(event.headers.authorization).toBe("Bearer wfm_integration_token_placeholder");
      expect(JSON.parse(event.body).data).toMatchObject({ operationId, versionTag });

      // A campaign becoming active is announced too.
      const paused = h.fixtures.campaigns.find((c) => c.status === "paused")?.id ?? "";
      await h.call("PUT", `/api/v2/omnichannel/campaigns/${paused}`, { token, body: { status: "active" } });
      const activated = await sink.waitFor((r) => r.body.includes("dialer.campaign.activated"));
      expect(JSON.parse(activated.body).campaignId).toBe(paused);
    } finally {
      await sink.close();
    }
  });

  it("answers 428 without If-Match and 412 for a stale versionTag; ignores a body versionTag", async () => {
    const current = await h.call("GET", "/api/v1/dialer/settings", { token });
    const missing = await h.call("PUT", "/api/v1/dialer/settings", { token, body: config });
    expect(missing.status).toBe(428);
    const stale = await h.call("PUT", "/api/v1/dialer/settings", {
      token,
      headers: { "if-match": "v0-stale" },
      body: { ...config, versionTag: current.body.versionTag },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.currentVersionTag).toBe(current.body.versionTag);
    const bad = await h.call("PUT", "/api/v1/dialer/settings", {
      token,
      headers: { "if-match": current.body.versionTag },
      body: { ...config, concurrency: "lots" },
    });
    expect(bad.status).toBe(400);
  });

  it("fails the next operation on a fault; the old settings stay; a snapshot rollback is accepted", async () => {
    expect((await admin(h, "/faults", { failNextOperations: 1 })).status).toBe(201);
    const snapshot = await h.call("GET", "/api/v1/dialer/settings", { token });
    const changed = { ...config, concurrency: { ...config.concurrency, max_agents: 77 } };
    useFakeTimeouts();
    const put = await h.call("PUT", "/api/v1/dialer/settings", {
      token,
      headers: { "if-match": snapshot.body.versionTag },
      body: changed,
    });
    expect(put.status).toBe(202);
    operationEnds();
    const failed = await h.call("GET", `/api/v1/dialer/operations/${put.body.operationId}`, { token });
    expect(failed.body.status).toBe("FAILED");
    expect(failed.body.errorDetails).toMatchObject({ code: "ACTIVATION_FAILED" });
    const after = await h.call("GET", "/api/v1/dialer/settings", { token });
    expect(after.body.versionTag).toBe(snapshot.body.versionTag);
    expect(after.body.concurrency.max_agents).toBe(snapshot.body.concurrency.max_agents);

    // Re-sending the snapshot (with its own versionTag and pendingOperationId) works.
    const rollback = await h.call("PUT", "/api/v1/dialer/settings", {
      token,
      headers: { "if-match": snapshot.body.versionTag },
      body: snapshot.body,
    });
    expect(rollback.status).toBe(202);
    operationEnds();
    const completed = await h.call("GET", `/api/v1/dialer/operations/${rollback.body.operationId}`, {
      token,
    });
    expect(completed.body.status).toBe("COMPLETED");
    expect((await h.call("GET", "/api/v1/dialer/operations/nope", { token })).status).toBe(404);
  });

  it("pages analytics rows with nextPageToken/pageToken, metrics as repeated keys or a comma list", async () => {
    const campaign = h.fixtures.campaigns[0]?.id ?? "";
    const rows: { timestamp: string }[] = [];
    let pageToken: string | null = null;
    do {
      const q = new URLSearchParams({ campaignId: campaign, groupBy: "hour", pageSize: "100" });
      q.append("metrics", "efficiency");
      q.append("metrics", "abandonmentRate");
      if (pageToken) q.set("pageToken", pageToken);
      const answer = await h.call("GET", `/api/v1/analytics/dialer/metrics?${q}`, { token });
      expect(answer.status).toBe(200);
      rows.push(...answer.body.results);
      pageToken = answer.body.nextPageToken;
    } while (pageToken);
    expect(rows.length).toBe(7 * 24);
    expect(new Set(rows.map((r) => r.timestamp)).size).toBe(rows.length);
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual([
      "abandonmentRate",
      "campaignId",
      "efficiency",
      "timestamp",
    ]);
    const comma = await h.call(
      "GET",
      `/api/v1/analytics/dialer/metrics?campaignId=${campaign}&metrics=answerRate,averageWaitTime`,
      {
        token,
      },
    );
    expect(Object.keys(comma.body.results[0]).sort()).toEqual([
      "answerRate",
      "averageWaitTime",
      "campaignId",
      "timestamp",
    ]);
    expect((await h.call("GET", "/api/v1/analytics/dialer/metrics?metrics=nope", { token })).status).toBe(
      400,
    );
    expect((await h.call("GET", "/api/v1/analytics/dialer/metrics?campaignId=nope", { token })).status).toBe(
      404,
    );
  });

  it("pages the audit log newest first, with entries for dialer changes", async () => {
    const logs: { id: string; entity: string; action: string }[] = [];
    let pageToken: string | null = null;
    do {
      const q = new URLSearchParams({ entity: "dialer", pageSize: "50" });
      if (pageToken) q.set("pageToken", pageToken);
      const answer = await h.call("GET", `/api/v1/audit/logs?${q}`, { token });
      expect(answer.status).toBe(200);
      logs.push(...answer.body.logs);
      pageToken = answer.body.nextPageToken;
    } while (pageToken);
    expect(logs.length).toBeGreaterThan(50);
    expect(new Set(logs.map((l) => l.id)).size).toBe(logs.length);
    expect(logs.every((l) => l.entity === "dialer")).toBe(true);
    expect(logs.map((l) => l.action)).toEqual(
      expect.arrayContaining(["settings.updated", "settings.update.failed"]),
    );
    expect(logs[0]).toEqual(
      expect.objectContaining({
        timestamp: expect.any(String),
        actor: expect.any(String),
        details: expect.any(Object),
      }),
    );
    expect((await h.call("GET", "/api/v1/audit/logs?pageToken=zzz", { token })).status).toBe(400);
  });

  it("runs the capacity simulator, filling unspecified parameters from the settings", async () => {
    const answer = await h.call("POST", "/api/v1/dialer/simulator/run", {
      token,
      body: {
        durationMinutes: 60,
        concurrency: { max_simultaneous_calls: 200 },
        algorithm: { abandonment_rate_target: 0.03 },
        simulatedCallVolume: 5000,
        carrierLimits: { maxConcurrent: 150 },
      },
    });
    expect(answer.status).toBe(200);
    for (const key of [
      "predictedAbandonmentRate",
      "agentUtilization",
      "averageWaitSeconds",
      "callsPerHour",
      "peakConcurrentCalls",
      "carrierUtilization",
    ]) {
      expect(typeof answer.body[key]).toBe("number");
    }
    expect(answer.body.warnings.some((w: string) => w.includes("carrier"))).toBe(true);
    expect(
      (await h.call("POST", "/api/v1/dialer/simulator/run", { token, body: { durationMinutes: -1 } })).status,
    ).toBe(400);
  });
});
