import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KNOWN_CAMPAIGNS } from "../../src/campaigns/known-campaigns.ts";
import { pacingSpecSchema } from "../../src/campaigns/spec.ts";
import { createClient } from "../../src/client.ts";
import type { RunningService } from "../../src/service/index.ts";
import { stoppedCampaigns } from "../../src/service/pacing-automation.ts";
import { failOver } from "./console-scene.ts";
import { type ServiceHarness, serviceHarness, until } from "./harness.ts";

/**
 * Issue 42 §2 over HTTP: every action through its CLI workflow, audited with the operator,
 * idempotent by the page's intent key, refused to a viewer, without the CSRF token, with another
 * session's token and from another site — with nothing sent to CXone when refused.
 */
const SECRET = "whsec_Y29uc29sZS1hY3Rpb25zLXRlc3Qtc2VjcmV0";
const users = [
  { name: "olivia", role: "operator", passwordHash: bcrypt.hashSync("olivia's long password", 4) },
  { name: "victor", role: "viewer", passwordHash: bcrypt.hashSync("victor's long password", 4) },
];

interface Signed {
  cookie: string;
  csrf: string;
}

describe("board actions (HTTP)", () => {
  let h: ServiceHarness;
  let svc: RunningService;
  let olivia: Signed;
  let victor: Signed;
  let primary: string;
  let backup: string;

  async function signIn(user: string, password: string): Promise<Signed> {
    const response = await fetch(`${svc.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user, password }),
    });
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    return { cookie: (response.headers.get("set-cookie") ?? "").split(";")[0] as string, csrf: csrfToken };
  }
  const post = (path: string, who: Partial<Signed>, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${svc.url}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(who.cookie ? { cookie: who.cookie } : {}),
        ...(who.csrf ? { "x-csrf-token": who.csrf } : {}),
        ...headers,
      },
      body: JSON.stringify(body),
    });
  const writes = async (id: string) =>
    (await h.requests()).filter(
      (r) => r.method !== "GET" && r.path.includes(id) && !r.path.includes("token"),
    );

  beforeAll(async () => {
    h = await serviceHarness({ operationDelayMs: 50 });
    const pair = h.fixtures.failoverPairs[0];
    if (!pair) throw new Error("no failover pair in the fixtures");
    ({ primaryId: primary, backupId: backup } = pair);
    svc = await h.start({
      service: {
        users,
        webhookSecret: SECRET,
        pollIntervalSeconds: 3600,
        campaigns: [primary, backup],
        watchdogs: [{ primary, backup, threshold: 0.2, breaches: 1, minSample: 0, intervalSeconds: 3600 }],
      },
    });
    [olivia, victor] = await Promise.all([
      signIn("olivia", "olivia's long password"),
      signIn("victor", "victor's long password"),
    ]);
  }, 60_000);
  afterAll(() => h?.close());

  it("refuses a viewer, a missing or foreign CSRF token and a cross-site form, sending nothing", async () => {
    const path = `/api/campaigns/${primary}/pause`;
    const viewer = await post(path, victor, { intent: "intent-viewer-1" });
    expect(viewer.status).toBe(403);
    expect(await viewer.json()).toMatchObject({ error: "forbidden" });
    const noToken = await post(path, { cookie: olivia.cookie }, { intent: "intent-nocsrf-1" });
    expect(noToken.status).toBe(403);
    expect(await noToken.json()).toMatchObject({ error: "csrf" });
    const othersToken = await post(
      path,
      { cookie: olivia.cookie, csrf: victor.csrf },
      { intent: "intent-other-1" },
    );
    expect(othersToken.status).toBe(403);
    const crossSite = await fetch(`${svc.url}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "http://evil.example",
        cookie: olivia.cookie,
      },
      body: "intent=intent-forged-1",
    });
    expect(crossSite.status).toBe(403);
    const anonymous = await post(path, {}, { intent: "intent-anon-1" });
    expect(anonymous.status).toBe(401);
    expect(await writes(primary)).toEqual([]);
  });

  it("pauses a campaign once per intent, audited with the operator", async () => {
    const path = `/api/campaigns/${backup}/pause`;
    const first = await post(path, olivia, { intent: "intent-pause-backup-1" });
    expect(first.status).toBe(200);
    const answer = (await first.json()) as { ok: boolean; actor: string; auditSeq: number; summary: string };
    expect(answer).toMatchObject({ ok: true, actor: "board:olivia" });
    expect(answer.auditSeq).toBeGreaterThan(0);
    // The same intent again (a double click, a retry): the first answer, nothing sent.
    const again = await post(path, olivia, { intent: "intent-pause-backup-1" });
    expect(await again.json()).toMatchObject({ auditSeq: answer.auditSeq, replayed: true });
    const puts = (await writes(backup)).filter((r) => r.method === "PUT");
    expect(puts).toHaveLength(1);
    const audit = (await svc.store.audit.tail(20)).find((r) => r.seq === answer.auditSeq);
    expect(audit).toMatchObject({ actor: "board:olivia", operation: "campaigns.set-status", target: backup });
    // Resume it again for the failover below (the backup must start from paused or active alike).
    expect(
      (await post(`/api/campaigns/${backup}/resume`, olivia, { intent: "intent-resume-backup-1" })).status,
    ).toBe(200);
    // Issue 50 §6: the board's audit list tells the pause from the resume by the transition.
    type Lines = { records: Array<{ target: string | null; operation: string; change: string | null }> };
    const lines = (await (
      await fetch(`${svc.url}/api/audit?limit=20`, { headers: { cookie: olivia.cookie } })
    ).json()) as Lines;
    const changes = lines.records
      .filter((r) => r.target === backup && r.operation === "campaigns.set-status")
      .map((r) => r.change);
    // Newest first: the resume, then the pause (the fixture's backup may already be paused).
    expect(changes[0]).toBe("paused → active");
    expect(changes[1]).toMatch(/^(active → paused|already paused)$/);
  });

  it("acknowledges a failover and fails back, each audited with the operator", async () => {
    await failOver(svc, SECRET, primary, "evt-actions-1");
    type Incident = {
      id: string;
      phase: string;
      acknowledged: { by: string } | null;
      closedBy: string | null;
    };
    const incidents = async () =>
      (
        (await (await fetch(`${svc.url}/api/incidents`, { headers: { cookie: olivia.cookie } })).json()) as {
          incidents: Incident[];
        }
      ).incidents;
    const open = await until(async () => (await incidents()).find((i) => i.phase === "failed-over"), 10_000);
    const viewer = await post(`/api/incidents/${open.id}/acknowledge`, victor, {
      intent: "intent-ack-viewer",
    });
    expect(viewer.status).toBe(403);
    const ack = await post(`/api/incidents/${open.id}/acknowledge`, olivia, { intent: "intent-ack-1" });
    expect(ack.status).toBe(200);
    expect((await incidents()).find((i) => i.id === open.id)?.acknowledged).toMatchObject({
      by: "board:olivia",
    });

    const before = (await svc.store.audit.head()).seq;
    const back = await post(`/api/incidents/${open.id}/fail-back`, olivia, { intent: "intent-failback-1" });
    expect(back.status).toBe(200);
    expect(await back.json()).toMatchObject({
      ok: true,
      outcome: { phase: "closed", closedBy: "fail-back" },
    });
    expect((await incidents()).find((i) => i.id === open.id)).toMatchObject({
      phase: "closed",
      closedBy: "fail-back",
    });
    const records = (await svc.store.audit.tail(20)).filter((r) => r.seq > before);
    expect(records.map((r) => [r.operation, r.actor])).toEqual([
      ["campaigns.set-status", "board:olivia"],
      ["campaigns.set-status", "board:olivia"],
      ["campaigns.failover.closed", "board:olivia"],
    ]);
    const again = await post(`/api/incidents/${open.id}/fail-back`, olivia, { intent: "intent-failback-2" });
    expect(again.status).toBe(409);
  });

  it("stops and resumes pacing automation of a paced campaign; refuses one that is not paced", async () => {
    await svc.store.kv.set(KNOWN_CAMPAIGNS, "camp-paced", {
      id: "camp-paced",
      name: "Paced",
      createdAt: new Date(0).toISOString(),
      specHash: "x",
      contactListId: "list-1",
      failover: null,
      pacing: pacingSpecSchema.parse({ mode: "auto" }),
    });
    const stop = await post("/api/campaigns/camp-paced/pacing/stop", olivia, {
      intent: "intent-pacing-stop",
    });
    expect(stop.status).toBe(200);
    expect((await stoppedCampaigns(svc.store)).get("camp-paced")).toMatchObject({ by: "board:olivia" });
    const resume = await post("/api/campaigns/camp-paced/pacing/resume", olivia, {
      intent: "intent-pacing-go",
    });
    expect(resume.status).toBe(200);
    expect((await stoppedCampaigns(svc.store)).has("camp-paced")).toBe(false);
    const notPaced = await post(`/api/campaigns/${primary}/pacing/stop`, olivia, {
      intent: "intent-pacing-no",
    });
    expect(notPaced.status).toBe(409);
  });

  it("replays a dead outbox event, and refuses one that is not dead", async () => {
    const [event] = await svc.store.outbox.enqueue([
      { type: "call.tagged", destination: "bi", data: { n: 1 } },
    ]);
    const id = event?.id as string;
    const notDead = await post(`/api/outbox/events/${id}/replay`, olivia, { intent: "intent-replay-early" });
    expect(notDead.status).toBe(409);
    await svc.store.db.run("UPDATE outbox SET status = 'dead' WHERE id = ?", [id]);
    const listed = (await (
      await fetch(`${svc.url}/api/outbox/dead`, { headers: { cookie: victor.cookie } })
    ).json()) as {
      events: Array<{ id: string }>;
    };
    expect(listed.events.map((e) => e.id)).toContain(id);
    const replay = await post(`/api/outbox/events/${id}/replay`, olivia, { intent: "intent-replay-1" });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ outcome: { requeued: 1 } });
    expect((await svc.store.outbox.get(id))?.status).toBe("pending");
    const audit = (await svc.store.audit.tail(5)).find((r) => r.operation === "outbox.replay");
    expect(audit).toMatchObject({ actor: "board:olivia", target: id });
  });

  it("rolls the dialer back to a version of the history", async () => {
    const settings = h.settings();
    const cxo = createClient({
      connection: {
        baseUrl: h.emulatorUrl,
        clientId: h.admin.clientId,
        clientSecret: h.admin.clientSecret,
      },
      dataDir: settings.dataDir,
    });
    let original: string;
    try {
      original = (await cxo.dialer.settings()).versionTag;
      const applied = await cxo.dialer.apply(
        {
          name: "Console rollback",
          concurrency: { maxAgents: 41, maxSimultaneousCalls: 120, callSpacingMs: 100 },
          algorithm: {
            type: "predictive",
            abandonmentTarget: 0.02,
            dialRatio: 1.4,
            agentAvailabilityEstimate: 0.85,
            warmLineTimeoutSec: 2,
          },
          carrier: { trunks: 150 },
        },
        { waitFor: { minDelayMs: 20, maxDelayMs: 100 } },
      );
      expect(applied.ok).toBe(true);
    } finally {
      await cxo.close();
    }
    const versions = (await (
      await fetch(`${svc.url}/api/dialer/history`, { headers: { cookie: olivia.cookie } })
    ).json()) as {
      versions: Array<{ versionTag: string }>;
    };
    expect(versions.versions.map((v) => v.versionTag)).toContain(original);
    const rolled = await post("/api/dialer/rollback", olivia, { intent: "intent-rollback-1", to: original });
    expect(rolled.status).toBe(200);
    const answer = (await rolled.json()) as { outcome: { outcome: string }; auditSeq: number };
    expect(answer.outcome.outcome).toBe("restored");
    const audit = (await svc.store.audit.tail(10)).filter((r) => r.actor === "board:olivia");
    expect(audit.some((r) => r.operation.startsWith("dialer."))).toBe(true);
  });
});
