import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Fastify from "fastify";
import { pino } from "pino";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSettings } from "../../src/core/config/load.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { InputError } from "../../src/core/input-error.ts";
import { silentLogger } from "../../src/core/logging/index.ts";
import { signWebhook } from "../../src/core/outbox/index.ts";
import { openStore } from "../../src/core/store/index.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { CampaignBoard } from "../../src/service/campaign-board.ts";
import { installErrorAnswers } from "../../src/service/error-answers.ts";
import { type RunningService, startService } from "../../src/service/index.ts";
import { webhookRoutes } from "../../src/service/routes/webhooks.ts";
import { schemaCompilers } from "../../src/service/schema-compilers.ts";
import { SignInLimiter } from "../../src/service/sign-in-limiter.ts";
import { WebhookIdLedger } from "../../src/service/webhook-id-ledger.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * Issue 63 N1 (with N6 and N19): a webhook signed for one business unit never acts on another.
 * Each tenant has its own secret (`tenants.NAME.service.webhookSecret`, required once several
 * are configured and webhooks are on), an installation-wide ledger refuses a webhook id already
 * applied for any other tenant, an event for a campaign the tenant does not have creates no
 * board state, and bad signatures are limited per address like wrong bearer tokens.
 */
const ACME_SECRET = "whsec_YWNtZS1vd24td2ViaG9vay1zZWNyZXQtMDEyMw==";
const GLOBEX_SECRET = "whsec_Z2xvYmV4LW93bi13ZWJob29rLXNlY3JldC00NTY=";

function metricsEvent(id: string, campaignId: string, successRate = 0.02) {
  return {
    id,
    type: "omnichannel.campaign.metrics.update",
    campaignId,
    occurredAt: new Date().toISOString(),
    data: { successRate, activeCalls: 4, windowMinutes: 30 },
  };
}

function signed(event: { id: string }, secret: string) {
  const body = JSON.stringify(event);
  return {
    body,
    headers: { "content-type": "application/json", ...signWebhook(secret, { id: event.id, body }) },
  };
}

describe("config: a webhook secret per business unit", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-webhook-secrets-"));
  const config = (yaml: string) => {
    const file = path.join(dir, `cxo-${Math.random().toString(36).slice(2)}.config.yaml`);
    writeFileSync(file, yaml);
    chmodSync(file, 0o600);
    return file;
  };
  const tenantBlock = (name: string, extra = "") =>
    `  ${name}:\n    cxone: { baseUrl: "http://127.0.0.1:9", clientId: ${name}-client, clientSecret: ${name}-secret }\n${extra}`;
  const load = (file: string, tenant: string, env: Record<string, string> = {}) =>
    loadSettings({ flags: { config: file, tenant }, env, cwd: dir });

  it("each tenant's own secret (inline in a 0600 file, or by reference) is that tenant's service.webhookSecret", () => {
    const file = config(
      `tenants:\n${tenantBlock("acme", `    service: { webhookSecret: "${ACME_SECRET}" }\n`)}${tenantBlock("globex", "    service: { webhookSecret: { env: GLOBEX_HOOK } }\n")}`,
    );
    expect(load(file, "acme", { GLOBEX_HOOK: GLOBEX_SECRET }).service.webhookSecret).toBe(ACME_SECRET);
    expect(load(file, "globex", { GLOBEX_HOOK: GLOBEX_SECRET }).service.webhookSecret).toBe(GLOBEX_SECRET);
  });

  it("several tenants, webhooks on, one without its own secret: an error naming that tenant's key", () => {
    const file = config(
      `tenants:\n${tenantBlock("acme", `    service: { webhookSecret: "${ACME_SECRET}" }\n`)}${tenantBlock("globex")}`,
    );
    expect(() => load(file, "acme")).toThrow(/tenants\.globex\.service\.webhookSecret: is required/);
  });

  it("one shared secret for several tenants is refused: the top-level key, the environment variable, or two tenants with the same secret", () => {
    const shared = config(
      `service: { webhookSecret: "${ACME_SECRET}" }\ntenants:\n${tenantBlock("acme")}${tenantBlock("globex")}`,
    );
    expect(() => load(shared, "acme")).toThrow(
      /service\.webhookSecret: is one secret for every business unit/,
    );
    const own = config(
      `tenants:\n${tenantBlock("acme", `    service: { webhookSecret: "${ACME_SECRET}" }\n`)}${tenantBlock("globex", `    service: { webhookSecret: "${GLOBEX_SECRET}" }\n`)}`,
    );
    expect(() => load(own, "acme", { CXO_SERVICE_WEBHOOK_SECRET: ACME_SECRET })).toThrow(
      /CXO_SERVICE_WEBHOOK_SECRET: is set, but/,
    );
    const twins = config(
      `tenants:\n${tenantBlock("acme", `    service: { webhookSecret: "${ACME_SECRET}" }\n`)}${tenantBlock("globex", `    service: { webhookSecret: "${ACME_SECRET}" }\n`)}`,
    );
    let message = "";
    try {
      load(twins, "globex");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/tenants\.globex\.service\.webhookSecret: is the same secret as tenants\.acme/);
    expect(message).not.toContain(ACME_SECRET);
  });

  it("no webhook secret anywhere (webhooks refused) still loads", () => {
    const file = config(`tenants:\n${tenantBlock("acme")}${tenantBlock("globex")}`);
    expect(load(file, "acme").service.webhookSecret).toBeUndefined();
  });
});

describe("one service for several business units: webhooks", () => {
  let acmeEmu: RunningEmulator;
  let globexEmu: RunningEmulator;
  let svc: RunningService;
  let campaign: string;
  const warnings: string[] = [];
  let dataDir: string;

  const tenantSettings = (name: string, emu: RunningEmulator, webhookSecret: string | undefined) =>
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
      service: {
        port: 0,
        pollIntervalSeconds: 3600,
        // No caller-ID health check at start (issue 66; not this test's subject): ~0.6 s of CPU
        // a tenant's service (issue 80).
        callerIdCheckHours: 0,
        campaigns: [campaign],
        watchdogs: [{ primary: campaign, backup: emu.fixtures.campaigns[2]!.id, minSample: 1, breaches: 1 }],
        ...(webhookSecret ? { webhookSecret } : {}),
      },
    });
  const installation = () => settingsSchema.parse({ dataDir, service: { port: 0, passwordHashCost: 4 } });

  beforeAll(async () => {
    const emulator = () =>
      startEmulator({ port: 0, calls: 50, seed: 42, metricsIntervalMs: 0, rateLimitScale: 1000 });
    [acmeEmu, globexEmu] = await Promise.all([emulator(), emulator()]);
    campaign = acmeEmu.fixtures.campaigns.filter((c) => c.status === "active")[0]!.id;
    dataDir = mkdtempSync(path.join(tmpdir(), "cxo-webhook-tenants-"));
    const logger = pino(
      { level: "warn" },
      {
        write: (line: string) => {
          warnings.push(line);
        },
      },
    );
    svc = await startService({
      settings: installation(),
      logger,
      tenants: [
        { name: "acme", settings: tenantSettings("acme", acmeEmu, ACME_SECRET) },
        { name: "globex", settings: tenantSettings("globex", globexEmu, GLOBEX_SECRET) },
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await Promise.all([acmeEmu?.close(), globexEmu?.close()]);
  });

  const from = (address: string) => new Agent({ localAddress: address });
  const hook = async (
    tenant: string,
    delivery: { body: string; headers: Record<string, string> },
    agent?: Agent,
  ) => {
    const answer = await fetch(`${svc.url}/t/${tenant}/webhooks/cxone`, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
      ...(agent ? { dispatcher: agent } : {}),
    } as RequestInit);
    return {
      status: answer.status,
      retryAfter: answer.headers.get("retry-after"),
      text: await answer.text(),
    };
  };
  const board = (tenant: string) => svc.tenants.get(tenant)!.board;

  it("an event signed for acme is accepted by acme and refused by globex: nothing reaches globex's board or emulator", async () => {
    await adminCall(globexEmu.url, "DELETE", "/requests");
    const delivery = signed(metricsEvent("evt-acme-1", campaign, 0.01), ACME_SECRET);
    expect((await hook("acme", delivery)).status).toBe(204);
    expect(board("acme").view(campaign)?.successRate).toBe(0.01);
    for (let i = 0; i < 3; i++) expect((await hook("globex", delivery)).status).toBe(401);
    // (globex's own poll may have written its figures meanwhile: never the webhook's.)
    expect(board("globex").view(campaign)?.lastSource).not.toBe("webhook");
    expect(
      board("globex")
        .series(campaign)
        .map((p) => p.successRate),
    ).not.toContain(0.01);
    expect(await svc.tenants.get("globex")!.watchdogs.incidents()).toEqual([]);
    const globexLog = (await adminCall(globexEmu.url, "GET", "/requests")) as {
      requests: Array<{ method: string }>;
    };
    expect(globexLog.requests.filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("N6: signed events for campaigns the tenant does not have create no board state", async () => {
    const ids = board("acme").ids().sort();
    const agent = from("127.0.8.1");
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++)
      statuses.push(
        (await hook("acme", signed(metricsEvent(`evt-unknown-${i}`, `no-such-${i}`), ACME_SECRET), agent))
          .status,
      );
    await agent.close();
    expect(statuses.filter((s) => s === 204)).toEqual([]);
    expect(statuses.every((s) => s === 202 || s === 429)).toBe(true);
    expect(board("acme").ids().sort()).toEqual(ids);
    // Looking unknown ids up spends the tenant's CXone budget: bounded, as for the board's API.
    const log = (await adminCall(acmeEmu.url, "GET", "/requests")) as { requests: Array<{ path: string }> };
    expect(log.requests.filter((r) => r.path.includes("no-such-")).length).toBeLessThanOrEqual(20);
  });

  it("N19: bad signatures are limited per address like wrong bearer tokens (429, a bounded number of warnings)", async () => {
    const agent = from("127.0.8.2");
    const before = warnings.filter((w) => w.includes("webhook rejected")).length;
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++)
      statuses.push(
        (await hook("acme", signed(metricsEvent(`evt-bad-${i}`, campaign), GLOBEX_SECRET), agent)).status,
      );
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    // Even a good signature waits from that address, as the right token does after wrong ones.
    const good = await hook("acme", signed(metricsEvent("evt-good-after", campaign), ACME_SECRET), agent);
    expect(good.status).toBe(429);
    expect(Number(good.retryAfter)).toBeGreaterThan(0);
    await agent.close();
    const logged = warnings.filter((w) => w.includes("webhook rejected")).length - before;
    expect(logged).toBeLessThanOrEqual(6);
    // Another address is not refused because of it.
    expect((await hook("acme", signed(metricsEvent("evt-elsewhere", campaign), ACME_SECRET))).status).toBe(
      204,
    );
  });

  it("startService refuses several tenants sharing one secret, or one without its own, naming the key", async () => {
    const attempt = (acme: string | undefined, globex: string | undefined, shared?: string) =>
      startService({
        settings: settingsSchema.parse({
          dataDir,
          service: { port: 0, ...(shared ? { webhookSecret: shared } : {}) },
        }),
        tenants: [
          { name: "acme", settings: tenantSettings("acme", acmeEmu, acme) },
          { name: "globex", settings: tenantSettings("globex", globexEmu, globex) },
        ],
      });
    const fields = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InputError);
      return (error as InputError).problems.map((p) => p.field);
    };
    expect(await fields(attempt(ACME_SECRET, undefined))).toContain("tenants.globex.service.webhookSecret");
    expect(await fields(attempt(ACME_SECRET, ACME_SECRET))).toContain("tenants.globex.service.webhookSecret");
    expect(await fields(attempt(undefined, undefined, ACME_SECRET))).toContain("service.webhookSecret");
  });
});

describe("the installation-wide replay ledger (the second guard)", () => {
  it("a webhook id applied for one tenant is refused for every other, even if both accepted its signature", async () => {
    const open = (name: string) => openStore(mkdtempSync(path.join(tmpdir(), `cxo-ledger-${name}-`)));
    const [acme, globex, installation] = await Promise.all([
      open("acme"),
      open("globex"),
      open("installation"),
    ]);
    const app = Fastify({ logger: false });
    installErrorAnswers(app, silentLogger);
    app.register(schemaCompilers);
    const installationIds = new WebhookIdLedger(installation.seenIds, {
      scope: "cxone.installation",
      retentionMs: 86_400_000,
      logger: silentLogger,
    });
    const limiter = new SignInLimiter();
    const boards = {
      acme: new CampaignBoard({ historyPoints: 10, campaigns: ["c-1"] }),
      globex: new CampaignBoard({ historyPoints: 10, campaigns: ["c-1"] }),
    };
    for (const [tenant, store] of [
      ["acme", acme],
      ["globex", globex],
    ] as const)
      app.register(webhookRoutes, {
        prefix: `/t/${tenant}`,
        board: boards[tenant],
        // One secret for both: what the per-tenant secrets prevent; the ledger must still hold.
        secret: ACME_SECRET,
        allowUnsigned: false,
        accessTokenSet: false,
        seenIds: store.seenIds,
        installationIds,
        limiter,
        observe: () => undefined,
        logger: silentLogger,
        tenant,
      });
    try {
      const delivery = signed(metricsEvent("evt-shared-1", "c-1", 0.03), ACME_SECRET);
      const inject = (tenant: string) =>
        app.inject({
          method: "POST",
          url: `/t/${tenant}/webhooks/cxone`,
          headers: delivery.headers,
          payload: delivery.body,
        });
      expect((await inject("acme")).statusCode).toBe(204);
      expect((await inject("acme")).json()).toEqual({ duplicate: true });
      const replay = await inject("globex");
      expect(replay.statusCode).toBe(409);
      expect(replay.json()).toMatchObject({ error: "replayed_webhook" });
      expect(boards.globex.view("c-1")?.successRate).toBeNull();
      expect(boards.acme.view("c-1")?.successRate).toBe(0.03);
    } finally {
      await app.close();
      installationIds.close();
      await Promise.all([acme.close(), globex.close(), installation.close()]);
    }
  });
});
