import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import bcrypt from "bcryptjs";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInternalClient, type InternalClient } from "../../src/client.ts";
import { silentLogger } from "../../src/core/logging/index.ts";
import { signWebhook } from "../../src/core/outbox/index.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { ACTIONS_NAMESPACE } from "../../src/service/action-runner.ts";
import { type AuthOptions, authPlugin } from "../../src/service/auth.ts";
import type { CampaignBoard } from "../../src/service/campaign-board.ts";
import { installErrorAnswers } from "../../src/service/error-answers.ts";
import type { Leadership } from "../../src/service/leadership.ts";
import { Operators } from "../../src/service/operators.ts";
import { actionRoutes } from "../../src/service/routes/actions.ts";
import { sessionRoutes } from "../../src/service/routes/session.ts";
import { webhookRoutes } from "../../src/service/routes/webhooks.ts";
import { schemaCompilers } from "../../src/service/schema-compilers.ts";
import { Sessions } from "../../src/service/sessions.ts";
import { SignInLimiter } from "../../src/service/sign-in-limiter.ts";
import { SseHub } from "../../src/service/sse-hub.ts";
import type { WatchdogSet } from "../../src/service/watchdogs.ts";

/**
 * Issue 52 §2: the board's actions as a Fastify plugin. The role check is the auth plugin's (a
 * route option), the request is checked by the route's zod schema, and every refusal — the
 * role's, the schema's, the action's own — is shaped by the one error handler with `ok: false`.
 * The plugin takes everything from its options, so it registers once per tenant under a prefix.
 * No CXone here (the local client: nothing can be sent), and the stores show nothing was done. The webhook receiver
 * is a route plugin too: open to CXone under any prefix when its signature authenticates it.
 */
const TOKEN = "action-routes-test-token-0123456789";
const BEARER = { authorization: `Bearer ${TOKEN}` };
const SECRET = "whsec_cm91dGUtcGx1Z2lucy10ZXN0LXNlY3JldA";

describe("route plugins: actions and webhooks", () => {
  let app: FastifyInstance;
  let acme: Store;
  let globex: Store;
  let hub: SseHub;
  let local: InternalClient;
  let viewer: { cookie: string; csrf: string };
  /** acme's audit records before any action (its sign-in is audited). */
  let acmeAudit: number;
  /** What the webhook plugins applied, per tenant. */
  const applied: Array<[string, string]> = [];

  beforeAll(async () => {
    const open = (name: string) => openStore(mkdtempSync(path.join(tmpdir(), `cxo-actions-${name}-`)));
    [acme, globex] = await Promise.all([open("acme"), open("globex")]);
    hub = new SseHub();
    local = createInternalClient({ dataDir: mkdtempSync(path.join(tmpdir(), "cxo-actions-local-")) });
    const auth: AuthOptions = {
      accessToken: TOKEN,
      operators: new Operators(
        [{ name: "victor", role: "viewer", passwordHash: bcrypt.hashSync("victor's long password", 4) }],
        acme,
        { hashCost: 4 },
      ),
      sessions: new Sessions(acme, 3600_000),
      limiter: new SignInLimiter(),
      store: acme,
      hub,
    };
    app = Fastify({ logger: false });
    installErrorAnswers(app, silentLogger);
    app.register(schemaCompilers);
    app.register(authPlugin, auth);
    app.register(sessionRoutes, auth);
    const unused = {} as CampaignBoard & WatchdogSet & Leadership;
    for (const [prefix, store] of [
      ["/t/acme", acme],
      ["/t/globex", globex],
    ] as const)
      app.register(actionRoutes, {
        prefix,
        store: store as Store,
        client: local,
        board: unused,
        watchdogs: unused,
        leadership: unused,
        hub,
        logger: silentLogger,
      });
    for (const [tenant, store, secret] of [
      ["acme", acme, SECRET],
      ["globex", globex, undefined],
    ] as const) {
      const board = {
        has: () => true,
        recordMetrics: (u: { campaignId: string }) => applied.push([tenant, u.campaignId]),
      } as unknown as CampaignBoard;
      app.register(webhookRoutes, {
        prefix: `/t/${tenant}`,
        board,
        secret,
        allowUnsigned: false,
        accessTokenSet: true,
        seenIds: (store as Store).seenIds,
        limiter: auth.limiter,
        observe: () => undefined,
        logger: silentLogger,
      });
    }
    const signIn = await app.inject({
      method: "POST",
      url: "/api/session",
      payload: { user: "victor", password: "victor's long password" },
    });
    const cookie = signIn.cookies.find((c) => c.name === "cxo_session");
    viewer = { cookie: `cxo_session=${cookie?.value}`, csrf: signIn.json().csrfToken };
    acmeAudit = (await acme.audit.head()).seq;
  });
  afterAll(async () => {
    await app?.close();
    hub?.close();
    await Promise.all([acme?.close(), globex?.close(), local?.close()]);
  });

  const act = (url: string, payload: object | undefined, headers: Record<string, string> = BEARER) =>
    app.inject({ method: "POST", url, headers, ...(payload === undefined ? {} : { payload }) });
  const nothingDone = async () => {
    expect((await acme.audit.head()).seq).toBe(acmeAudit);
    expect(await acme.kv.list(ACTIONS_NAMESPACE)).toEqual([]);
  };

  it("refuses a viewer before the request is checked: 403 with ok: false, from the error handler", async () => {
    const refused = await act(
      "/t/acme/api/campaigns/not a valid id!/pause",
      { intent: 1 },
      { cookie: viewer.cookie, "x-csrf-token": viewer.csrf },
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({
      ok: false,
      error: "forbidden",
      message: "a viewer cannot act: sign in as an operator",
    });
    await nothingDone();
  });

  it("a malformed action is 400 naming the field and the rule, from the route's schema", async () => {
    const cases: Array<[string, object | undefined, string, RegExp]> = [
      ["/t/acme/api/campaigns/c1/pause", { intent: "short" }, "intent", /8-64 letters/],
      ["/t/acme/api/campaigns/c1/pause", undefined, "intent", /expected string/],
      ["/t/acme/api/campaigns/bad%20id/resume", { intent: "intent-ok-1234" }, "id", /letters, digits/],
      ["/t/acme/api/outbox/events/nope/replay", { intent: "intent-ok-1234" }, "id", /outbox event id/],
      ["/t/acme/api/dialer/rollback", { intent: "intent-ok-1234" }, "to", /expected string/],
      [
        "/t/acme/api/dialer/rollback",
        { intent: "intent-ok-1234", to: "v1", campaignId: "-x" },
        "campaignId",
        /./,
      ],
    ];
    for (const [url, payload, field, rule] of cases) {
      const answer = await act(url, payload);
      expect(answer.statusCode, url).toBe(400);
      expect(answer.json(), url).toEqual({
        ok: false,
        error: "invalid_request",
        message: expect.stringContaining(`${field}: `),
        field,
        rule: expect.stringMatching(rule),
      });
    }
    await nothingDone();
  });

  it("an action the service cannot carry out is refused with the same shape (no CXone credentials: 503)", async () => {
    const answer = await act("/t/acme/api/campaigns/c1/pause", { intent: "intent-no-cxone-1" });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toEqual({
      ok: false,
      error: "cxone_not_configured",
      message: "this service has no CXone credentials",
      auditSeq: null,
    });
  });

  it("registered once per tenant: each prefix acts on its own store only", async () => {
    const [event] = await globex.outbox.enqueue([{ type: "call.tagged", destination: "bi", data: { n: 1 } }]);
    const id = event?.id as string;
    await globex.db.run("UPDATE outbox SET status = 'dead' WHERE id = ?", [id]);
    // Not acme's event: acme's store does not have it.
    const elsewhere = await act(`/t/acme/api/outbox/events/${id}/replay`, { intent: "intent-replay-1" });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json()).toMatchObject({ ok: false, error: "not_found" });
    const replayed = await act(`/t/globex/api/outbox/events/${id}/replay`, { intent: "intent-replay-1" });
    expect(replayed.statusCode).toBe(200);
    expect(replayed.json()).toMatchObject({
      ok: true,
      actor: "board:access-token",
      outcome: { requeued: 1 },
    });
    expect((await globex.outbox.get(id))?.status).toBe("pending");
    const again = await act(`/t/globex/api/outbox/events/${id}/replay`, { intent: "intent-replay-1" });
    expect(again.json()).toMatchObject({ replayed: true, auditSeq: replayed.json().auditSeq });
    expect((await app.inject({ url: "/t/globex/api/outbox/dead", headers: BEARER })).json()).toEqual({
      events: [],
    });
    await nothingDone();
  });

  it("a webhook plugin under a prefix: open to a signed event, closed without a secret but for the token", async () => {
    const body = JSON.stringify({
      id: "evt-route-1",
      type: "omnichannel.campaign.metrics.update",
      campaignId: "c-77",
      occurredAt: new Date().toISOString(),
      data: { successRate: 0.5, activeCalls: 3 },
    });
    const json = { "content-type": "application/json" };
    const signed = { ...json, ...signWebhook(SECRET, { id: "evt-route-1", body }) };
    const hook = (url: string, headers: Record<string, string>) =>
      app.inject({ method: "POST", url, headers, payload: body });
    expect((await hook("/t/acme/webhooks/cxone", signed)).statusCode).toBe(204);
    const forged = await hook("/t/acme/webhooks/cxone", { ...signed, "webhook-id": "evt-other" });
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toMatchObject({ error: "invalid_signature" });
    // No secret there, and the service has a token: the auth plugin asks for it first.
    expect((await hook("/t/globex/webhooks/cxone", json)).json()).toMatchObject({ error: "unauthorized" });
    const unsigned = await hook("/t/globex/webhooks/cxone", { ...json, ...BEARER });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json()).toMatchObject({ error: "unsigned_webhook" });
    expect(applied).toEqual([["acme", "c-77"]]);
  });

  it("the sign-in's body is a schema too: 400 naming the field; not JSON is 415 before the body is checked", async () => {
    const bad = await app.inject({ method: "POST", url: "/api/session", payload: { user: "victor" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({
      error: "invalid_request",
      message: "password: user and password are required",
      field: "password",
      rule: "user and password are required",
    });
    const text = await app.inject({
      method: "POST",
      url: "/api/session",
      headers: { "content-type": "text/plain" },
      payload: "user=victor",
    });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ error: "unsupported_media_type" });
  });
});
