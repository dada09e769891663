import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { InputError } from "../../src/core/input-error.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { type RunningService, startService } from "../../src/service/index.ts";
import { saveUser } from "../../src/service/operators.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { until } from "./harness.ts";

/**
 * Issue 54 §2: one `cxo serve` for two business units whose campaign ids collide (two seed
 * emulators with the same seed: acme's 701 and globex's 701 are different campaigns on
 * different APIs). Each tenant's board and API live under /t/NAME/; an operator granted acme
 * acts on acme alone — with acme's credentials, on acme's emulator, into acme's audit chain —
 * and learns nothing of globex: 403 with the same body as a tenant that does not exist, no
 * globex event on acme's stream, no globex name in any answer.
 */
const PASSWORDS = {
  olivia: "olivia's long password",
  gary: "gary's long password",
  ada: "ada's long password",
};

interface Signed {
  cookie: string;
  csrf: string;
}
interface Logged {
  method: string;
  path: string;
  clientId?: string | null;
}

describe("one service for several business units", () => {
  let acmeEmu: RunningEmulator;
  let globexEmu: RunningEmulator;
  let svc: RunningService;
  let olivia: Signed;
  let ada: Signed;
  let campaign: string;
  let other: string;

  const requestsOf = async (emu: RunningEmulator) =>
    ((await adminCall(emu.url, "GET", "/requests")) as { requests: Logged[] }).requests;
  const clearLogs = () =>
    Promise.all([acmeEmu, globexEmu].map((emu) => adminCall(emu.url, "DELETE", "/requests")));

  async function signIn(user: keyof typeof PASSWORDS): Promise<Signed> {
    const response = await fetch(`${svc.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user, password: PASSWORDS[user] }),
    });
    expect(response.status).toBe(200);
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    return { cookie: (response.headers.get("set-cookie") ?? "").split(";")[0] as string, csrf: csrfToken };
  }
  const get = (route: string, who: Signed) =>
    fetch(`${svc.url}${route}`, { headers: { cookie: who.cookie }, redirect: "manual" });
  const post = (
    route: string,
    who: Signed,
    body: unknown = { intent: `i-${Math.random().toString(36).slice(2, 12)}` },
  ) =>
    fetch(`${svc.url}${route}`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: who.cookie, "x-csrf-token": who.csrf },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    const emulator = () =>
      startEmulator({ port: 0, calls: 50, seed: 42, metricsIntervalMs: 0, rateLimitScale: 1000 });
    [acmeEmu, globexEmu] = await Promise.all([emulator(), emulator()]);
    const active = acmeEmu.fixtures.campaigns.filter((c) => c.status === "active");
    campaign = active[0]!.id;
    other = active[1]!.id;
    expect(globexEmu.fixtures.campaigns.map((c) => c.id)).toContain(campaign); // the ids collide
    const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-serve-tenants-"));
    const tenantSettings = (name: string, emu: RunningEmulator) =>
      settingsSchema.parse({
        tenant: name,
        cxone: {
          baseUrl: emu.url,
          clientId: emu.fixtures.clients[0]!.clientId,
          clientSecret: emu.fixtures.clients[0]!.clientSecret,
        },
        dataDir: path.join(dataDir, "tenants", name),
        store: { schema: `cxo_${name}` },
        http: { rateLimitScale: 1000, backoffBaseMs: 10, backoffCapMs: 100 },
        // No caller-ID health check at start (issue 66; not this test's subject): ~0.6 s of CPU
        // a tenant's service (issue 80).
        service: { port: 0, pollIntervalSeconds: 3600, callerIdCheckHours: 0, campaigns: [campaign, other] },
      });
    const installation = settingsSchema.parse({
      dataDir,
      service: {
        port: 0,
        passwordHashCost: 4,
        users: [
          {
            name: "gary",
            role: "viewer",
            tenants: ["globex"],
            passwordHash: bcrypt.hashSync(PASSWORDS.gary, 4),
          },
        ],
      },
    });
    svc = await startService({
      settings: installation,
      tenants: [
        { name: "acme", settings: tenantSettings("acme", acmeEmu) },
        { name: "globex", settings: tenantSettings("globex", globexEmu) },
      ],
    });
    // Operators live in the installation's store, with their grants (`cxo users add`).
    const at = new Date().toISOString();
    await saveUser(svc.store, {
      name: "olivia",
      role: "operator",
      tenants: ["acme"],
      passwordHash: bcrypt.hashSync(PASSWORDS.olivia, 4),
      createdAt: at,
    });
    await saveUser(svc.store, {
      name: "ada",
      role: "admin",
      passwordHash: bcrypt.hashSync(PASSWORDS.ada, 4),
      createdAt: at,
    });
    [olivia, ada] = await Promise.all([signIn("olivia"), signIn("ada")]);
  }, 60_000);

  afterAll(async () => {
    await svc?.close();
    await Promise.all([acmeEmu?.close(), globexEmu?.close()]);
  });

  it("serves both: each user is shown the tenants granted, and / leads to the first", async () => {
    const tenants = async (who: Signed) =>
      ((await (await get("/api/tenants", who)).json()) as { tenants: Array<{ name: string }> }).tenants.map(
        (t) => t.name,
      );
    expect(await tenants(olivia)).toEqual(["acme"]);
    expect(await tenants(ada)).toEqual(["acme", "globex"]);
    expect(await tenants(await signIn("gary"))).toEqual(["globex"]);
    const root = await get("/", olivia);
    expect(root.status).toBe(303);
    expect(root.headers.get("location")).toBe("/t/acme/");
    const page = await get("/t/acme/", olivia);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Outbound operations");
    // Both tenants' boards are there, each with its own store (the installation's is a third).
    const views = async (tenant: string) =>
      ((await (await get(`/t/${tenant}/api/campaigns`, ada)).json()) as { campaigns: Array<{ id: string }> })
        .campaigns;
    expect((await views("acme")).map((c) => c.id)).toEqual(expect.arrayContaining([campaign, other]));
    expect((await views("globex")).map((c) => c.id)).toEqual(expect.arrayContaining([campaign, other]));
    expect(new Set([svc.store, svc.tenants.get("acme")!.store, svc.tenants.get("globex")!.store]).size).toBe(
      3,
    );
    // An admin's /metrics: each tenant's series apart (the same campaign id in both, labelled).
    await svc.pollNow();
    const metrics = await (await get("/metrics", ada)).text();
    for (const tenant of ["acme", "globex"]) {
      expect(metrics).toMatch(new RegExp(`cxo_audit_records\\{[^}]*tenant="${tenant}"`));
      expect(metrics).toMatch(
        new RegExp(`cxo_campaign_active_calls\\{campaign="${campaign}",tenant="${tenant}"`),
      );
      // Each unit's CXone requests are its own series (its own limits: a 429 storm is its own).
      expect(metrics).toMatch(
        new RegExp(
          `cxo_http_request_duration_ms_count\\{[^}]*group="campaigns",method="GET",status="200",tenant="${tenant}"\\} [1-9]`,
        ),
      );
      expect(metrics).toMatch(
        new RegExp(`cxo_http_token_events_total\\{[^}]*action="fetched",tenant="${tenant}"`),
      );
      // So are its workers' counters (its polls here).
      expect(metrics).toMatch(
        new RegExp(`cxo_service_campaign_polls_total\\{[^}]*outcome="ok",tenant="${tenant}"[^}]*\\} [1-9]`),
      );
    }
  });

  it("an operator granted acme gets 403 on globex — board, API, SSE, actions — the same answer as a tenant that does not exist, and nothing is sent", async () => {
    await clearLogs();
    const unknown = await get("/t/umbrella/api/campaigns", olivia);
    const unknownBody = await unknown.text();
    expect(unknown.status).toBe(403);
    for (const route of [
      "/t/globex/",
      "/t/globex/api/campaigns",
      `/t/globex/api/campaigns/${campaign}/health`,
      "/t/globex/api/dashboard",
      "/t/globex/api/audit",
      "/t/globex/api/events",
      "/t/globex/api/health",
      "/t/globex/no-such-page",
    ]) {
      const answer = await get(route, olivia);
      expect([route, answer.status]).toEqual([route, 403]);
      expect(await answer.text()).toBe(unknownBody);
    }
    const refused = await post(`/t/globex/api/campaigns/${campaign}/pause`, olivia);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe(unknownBody);
    expect(unknownBody).not.toMatch(/globex|umbrella/);
    expect(await requestsOf(globexEmu)).toEqual([]);
    expect(await requestsOf(acmeEmu)).toEqual([]);
    // CXone's webhook path answers alike for a configured tenant and an unknown one.
    const hook = async (tenant: string) => {
      const answer = await fetch(`${svc.url}/t/${tenant}/webhooks/cxone`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ id: "evt_1", type: "omnichannel.campaign.state.changed" }),
      });
      return [answer.status, await answer.text()];
    };
    expect(await hook("umbrella")).toEqual(await hook("acme"));
    // Acme's receiver counted it as acme's; the unknown tenant's, as no tenant's.
    const counted = await (await get("/metrics", ada)).text();
    expect(counted).toMatch(/cxo_service_webhook_events_total\{[^}]*tenant="acme"[^}]*\} 1/);
    expect(counted).not.toMatch(/cxo_service_webhook_events_total\{[^}]*tenant="(globex|umbrella)"/);
    // The metrics name every tenant's campaigns: not an operator's to read.
    expect((await get("/metrics", olivia)).status).toBe(403);
  });

  it("pausing acme's campaign from the board touches only acme's emulator, with acme's credentials, audited in acme's chain with the operator", async () => {
    await clearLogs();
    const answer = await post(`/t/acme/api/campaigns/${campaign}/pause`, olivia);
    const body = (await answer.json()) as { ok: boolean; actor: string };
    expect(answer.status).toBe(200);
    expect(body).toMatchObject({ ok: true, actor: "board:olivia" });
    const acmeLog = await requestsOf(acmeEmu);
    expect(acmeLog.some((r) => r.method !== "GET" && r.path.includes(campaign))).toBe(true);
    expect(
      acmeLog.filter((r) => r.clientId).every((r) => r.clientId === acmeEmu.fixtures.clients[0]!.clientId),
    ).toBe(true);
    expect(await requestsOf(globexEmu)).toEqual([]);
    const acmeAudit = await svc.tenants.get("acme")!.store.audit.tail(20);
    expect(acmeAudit.some((r) => r.actor === "board:olivia" && r.target === campaign)).toBe(true);
    const globexAudit = await svc.tenants.get("globex")!.store.audit.tail(20);
    expect(globexAudit.some((r) => r.actor === "board:olivia")).toBe(false);
    // globex's campaign of the same id is still active, on its board and on its platform.
    const globexView = (await (await get("/t/globex/api/campaigns", ada)).json()) as {
      campaigns: Array<{ id: string; status: string }>;
    };
    expect(globexView.campaigns.find((c) => c.id === campaign)?.status).not.toBe("paused");
  });

  it("acme's live stream carries acme's events only; no answer to acme's operator names globex", async () => {
    const controller = new AbortController();
    const stream = await fetch(`${svc.url}/t/acme/api/events`, {
      headers: { cookie: olivia.cookie },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    let text = "";
    const reader = stream.body!.getReader();
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    })();
    // An admin acts on globex's campaign of the colliding id, then on acme's other campaign.
    expect((await post(`/t/globex/api/campaigns/${campaign}/pause`, ada)).status).toBe(200);
    expect((await post(`/t/acme/api/campaigns/${other}/pause`, ada)).status).toBe(200);
    await until(() => text.includes(`"target":"${other}"`), 10_000, "acme's action on acme's stream");
    controller.abort();
    await reading;
    const actions = text.split("\n").filter((line) => line.startsWith("event: action"));
    expect(actions).toHaveLength(1);
    expect(text).not.toContain(`"target":"${campaign}"`);

    for (const route of [
      "/api/tenants",
      "/api/session",
      "/t/acme/api/dashboard",
      "/t/acme/api/audit",
      "/api/health",
    ]) {
      const answer = await (await get(route, olivia)).text();
      expect([route, answer.includes("globex")]).toEqual([route, false]);
    }
  });

  it("refuses campaign settings at the installation's level and grants of an unknown tenant (InputError, nothing opened)", async () => {
    const installation = settingsSchema.parse({
      dataDir: mkdtempSync(path.join(tmpdir(), "cxo-serve-refused-")),
      service: {
        port: 0,
        campaigns: ["701"],
        users: [{ name: "x", role: "viewer", tenants: ["umbrella"], passwordHash: bcrypt.hashSync("x", 4) }],
      },
    });
    const tenant = svc.tenants.get("acme")!.settings;
    const error = await startService({
      settings: installation,
      tenants: [
        { name: "acme", settings: tenant },
        { name: "globex", settings: svc.tenants.get("globex")!.settings },
      ],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.map((p) => p.field)).toEqual([
      "service.campaigns",
      "service.users[0].tenants",
    ]);
  });
});
