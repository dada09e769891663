import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricsRegistry } from "../../src/core/metrics/index.ts";
import { signWebhook } from "../../src/core/outbox/index.ts";
import { type ServiceHarness, serviceHarness, until } from "./harness.ts";

const SECRET = "whsec_d2F0Y2hkb2ctc2VydmljZS10ZXN0LXNlY3JldA==";

describe("cxo serve: configured failover watchdogs are fed by the webhook receiver", () => {
  let h: ServiceHarness;
  beforeAll(async () => {
    // Test files share a worker's modules, and the fixtures' campaign ids are the same in every
    // emulator: a failover counted by an earlier file must not count here.
    metricsRegistry.resetMetrics();
    h = await serviceHarness();
  });
  afterAll(() => h.close());

  it("a low success rate pushed by webhook fails the primary over: incident listed, primary paused on CXone, counted in /metrics", async () => {
    const pair = h.fixtures.failoverPairs[0];
    if (!pair) throw new Error("no failover pair in the fixtures");
    const { primaryId: primary, backupId: backup } = pair;
    const svc = await h.start({
      service: {
        webhookSecret: SECRET,
        // One breach, no minimum sample, and no poll of its own for an hour: only the webhook drives it.
        watchdogs: [{ primary, backup, threshold: 0.2, breaches: 1, minSample: 0, intervalSeconds: 3600 }],
      },
    });
    const body = JSON.stringify({
      id: "evt-watchdog-1",
      type: "omnichannel.campaign.metrics.update",
      campaignId: primary,
      occurredAt: new Date().toISOString(),
      data: { successRate: 0.03, activeCalls: 40, callsInWindow: 500, windowMinutes: 30 },
    });
    const sent = await fetch(`${svc.url}/webhooks/cxone`, {
      method: "POST",
      headers: { "content-type": "application/json", ...signWebhook(SECRET, { id: "evt-watchdog-1", body }) },
      body,
    });
    expect(sent.status).toBe(204);

    type Incidents = { incidents: Array<{ primary: string; backup: string; phase: string }> };
    const doc = await until(
      async () => {
        const answer = (await (await fetch(`${svc.url}/api/incidents`)).json()) as Incidents;
        return answer.incidents.find((i) => i.phase === "failed-over") ? answer : undefined;
      },
      10_000,
      "a failed-over incident",
    );
    expect(doc.incidents[0]).toMatchObject({ primary, backup, phase: "failed-over" });

    const health = (await (await fetch(`${svc.url}/api/campaigns/${primary}/health`)).json()) as Record<
      string,
      unknown
    >;
    expect(health.failover_triggered).toBe(true);
    const puts = (await h.requests()).filter((r) => r.method === "PUT" && r.path.includes(primary));
    expect(puts.length).toBeGreaterThanOrEqual(1);
    // Issue 50 §2: the failover's writes are audited with the automation as the actor.
    type Audit = { records: Array<{ actor: string | null; operation: string; target: string | null }> };
    const audit = (await (await fetch(`${svc.url}/api/audit?limit=50`)).json()) as Audit;
    const pause = audit.records.find((r) => r.target === primary && r.operation.includes("status"));
    expect(pause?.actor).toBe(`watchdog:${primary}`);
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`cxo_watchdog_failovers_total\\{primary="${primary}"[^}]*\\} 1`));
    expect(metrics).toMatch(
      new RegExp(`cxo_watchdog_evaluations_total\\{primary="${primary}"[^}]*\\} [1-9]`),
    );
  });
});
