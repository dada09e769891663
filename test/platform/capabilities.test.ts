import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { loadSettings, type Settings } from "../../src/core/config/index.ts";
import { ConflictError, PreconditionFailedError } from "../../src/core/http/errors.ts";
import type { HttpResponse } from "../../src/core/http/http-client.ts";
import { startEmulator } from "../../src/emulator/index.ts";
import { type ApiRequest, ProductionApi } from "../../src/platform/cxone/api.ts";
import { NotSupportedError } from "../../src/platform/errors.ts";
import type { DialerScope } from "../../src/platform/ports/dialer.ts";
import type { CampaignDefinition } from "../../src/platform/types.ts";
import { accessKeySettings } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { waitUntil } from "../support/wait-until.ts";
import { endpointOf } from "./cxone/conformance/endpoints.ts";
import { requestProblems, responseProblems } from "./cxone/conformance/schemas.ts";

/**
 * ONE capability suite, run against both emulators (the seed API's and NICE's production
 * API's) through the same port: what a platform supports must work the same way; what it does
 * not support must be refused with NotSupportedError before anything is sent.
 */
interface World {
  name: "seed" | "cxone";
  url: string;
  client: InternalClient;
  campaignId: string;
  code: string;
  reasonCode: string | undefined;
  /** A call the platform lets us tag now. */
  callId: string;
  interactionId: string;
  contactListId: string;
  window: { from: string; to: string };
  dialerScope: DialerScope;
  close(): Promise<void>;
}

const HTTP = { backoffBaseMs: 5, backoffCapMs: 50, rateLimitScale: 100, timeoutMs: 10_000 };

/** The client the settings describe, with this suite's fast retries. */
function withHttp(settings: Settings) {
  const options = clientOptionsFromSettings(settings);
  return { ...options, http: { ...options.http, ...HTTP } };
}

async function seedWorld(): Promise<World> {
  const emulator = await startEmulator({
    port: 0,
    seed: 11,
    calls: 3000,
    rateLimitScale: 100,
    operationDelayMs: 30,
  });
  const f = emulator.fixtures;
  const campaign = f.campaigns[0]!;
  const locked = new Set(f.lockedCalls.map((c) => c.id));
  const { clientId, clientSecret } = f.clients[0]!;
  const client = createInternalClient(
    withHttp(
      loadSettings({
        cwd: "/nonexistent",
        env: { CXONE_BASE_URL: emulator.url, CXONE_CLIENT_ID: clientId, CXONE_CLIENT_SECRET: clientSecret },
      }),
    ),
  );
  return {
    name: "seed",
    url: emulator.url,
    client,
    campaignId: campaign.id,
    code: campaign.dispositionCodes[0]!.id,
    reasonCode: campaign.dispositionCodes[0]!.reasonCodes[0]!.id,
    callId: f.calls.find((c) => c.campaignId === campaign.id && !locked.has(c.id))!.id,
    interactionId: f.interactions[0]!.id,
    contactListId: campaign.contactListId ?? f.contactLists[0]!.id,
    window: { from: f.callWindow.start, to: f.callWindow.end },
    dialerScope: {},
    close: async () => {
      await client.close();
      await emulator.close();
    },
  };
}

async function cxoneWorld(): Promise<World> {
  // history "any-hour": the realistic history has no contact 11:00–12:00 UTC, which this reads.
  const emulator = await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 11,
    contacts: 3000,
    history: "any-hour",
  });
  const f = emulator.fixtures;
  const skill = f.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isActive)!;
  // No registered application: the access-key login most tenants use (login.test.ts covers the
  // application's password grant).
  const client = createInternalClient(withHttp(accessKeySettings(emulator)));
  const active = f.activeContacts.find((c) => c.skillId === skill.skillId)!;
  return {
    name: "cxone",
    url: emulator.url,
    client,
    campaignId: String(skill.skillId),
    code: String(skill.dispositionIds[0]),
    reasonCode: undefined,
    callId: String(active.contactId),
    interactionId: String(f.completed.sample.find((c) => c.skillId === skill.skillId)!.contactId),
    contactListId: String(skill.callingListIds[0]),
    window: { from: f.completed.windowStart, to: new Date(Date.now() - 3_600_000).toISOString() },
    dialerScope: { campaignId: String(skill.skillId) },
    close: async () => {
      await client.close();
      await emulator.close();
    },
  };
}

const worlds: Record<string, World> = {};
/**
 * What the production adapter sent and read during the suite, seen in the process (the request
 * log keeps no values): held to the conformance table's schemas at the end.
 */
const exchanges: Array<{ request: ApiRequest; response?: HttpResponse }> = [];

beforeAll(async () => {
  const original = ProductionApi.prototype.request;
  vi.spyOn(ProductionApi.prototype, "request").mockImplementation(async function (
    this: ProductionApi,
    request,
  ) {
    const exchange: { request: ApiRequest; response?: HttpResponse } = { request };
    exchanges.push(exchange);
    const response = await original.call(this, request);
    exchange.response = response;
    return response;
  });
  const [seed, cxone] = await Promise.all([seedWorld(), cxoneWorld()]);
  worlds.seed = seed;
  worlds.cxone = cxone;
});
afterAll(async () => {
  await Promise.all(Object.values(worlds).map((w) => w.close()));
});

async function requestCount(w: World): Promise<number> {
  const log = (await adminCall(w.url, "GET", "/requests")) as { requests: unknown[] };
  return log.requests.length;
}

/** Runs `fn`, expecting NotSupportedError on `platform` and nothing sent for it. */
async function refusedWithoutSending(w: World, fn: () => Promise<unknown>, operation: RegExp) {
  const before = await requestCount(w);
  const error = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NotSupportedError);
  expect((error as NotSupportedError).operation).toMatch(operation);
  expect((error as Error).message).toMatch(/Instead: /);
  expect(await requestCount(w)).toBe(before);
}

const definition = (name: string, listId: string): CampaignDefinition => ({
  name,
  contactListId: listId,
  dialer: {
    type: "predictive",
    predictive: { answerRatio: 0.4, maxCallsInFlight: 20, callRate: 10, abandonmentThreshold: 0.03 },
  },
  compliance: {
    timeZone: "America/New_York",
    windowStart: "09:00",
    windowEnd: "20:00",
    allowedDays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
  },
});

describe.each(["seed", "cxone"])("capabilities on the %s platform", (name) => {
  const w = () => worlds[name] as World;

  it("access: a token, what it grants, and on the production platform the tenant and its API", async () => {
    const info = await w().client.port.access.describe();
    expect(Date.parse(info.expiresAt)).toBeGreaterThan(Date.now());
    if (name === "cxone") expect(info).toMatchObject({ platform: "cxone", apiEndpoint: w().url, scopes: [] });
    expect(w().client.port.support.name).toBe(name);
  });

  it("dispositions: the campaign's matrix, tagging a call, and reading it back", async () => {
    const { client, campaignId, callId, code, reasonCode } = w();
    const matrix = await client.port.dispositions.getMatrix(campaignId);
    expect(matrix.codes.map((c) => c.id)).toContain(code);
    if (name === "cxone") expect(matrix.codes.every((c) => c.reasonCodes.length === 0)).toBe(true);
    const result = await client.port.dispositions.setCallDisposition(callId, {
      dispositionCodeId: code,
      ...(reasonCode ? { reasonCodeId: reasonCode } : {}),
      tags: name === "seed" ? ["vip"] : [],
      notes: "from the capability suite",
    });
    expect(result.status).toBeLessThan(300);
    expect(result.call.dispositionCode).toBe(code);
    expect((await client.port.dispositions.getCall(callId)).dispositionCode).toBe(code);
  });

  it("outcomes: pages decoded on demand equal the listing; a resumed listing is its suffix; the code filter holds", async () => {
    const { client, campaignId, window } = w();
    const query = { campaignId, ...window, pageSize: 200 };
    const listed = await client.port.outcomes.listCalls(query).toArray();
    expect(listed.length).toBeGreaterThan(400);
    expect(new Set(listed.map((c) => c.id)).size).toBe(listed.length);
    for (const call of listed) {
      expect(call.campaignId).toBe(campaignId);
      expect(Date.parse(call.startTime)).toBeGreaterThanOrEqual(Date.parse(window.from));
      expect(Date.parse(call.startTime)).toBeLessThan(Date.parse(window.to));
    }
    const decoded: string[] = [];
    let second: string | undefined;
    let firstPageCount = 0;
    for await (const page of client.port.outcomes.callPages(query)) {
      if (page.index === 0) {
        second = page.nextToken ?? undefined;
        firstPageCount = page.count;
      }
      for (let i = 0; i < page.count; i++) decoded.push(page.call(i).id);
    }
    expect(decoded).toEqual(listed.map((c) => c.id));
    // Resuming from the second page's token gives exactly the listing without its first page:
    // neither empty (a resume that lists nothing) nor starting anywhere else.
    expect(second).toBeDefined();
    expect(firstPageCount).toBeGreaterThan(0);
    const resumed = await client.port.outcomes.listCalls({ ...query, startToken: second! }).toArray();
    expect(resumed.length).toBe(listed.length - firstPageCount);
    expect(resumed.map((c) => c.id)).toEqual(listed.slice(firstPageCount).map((c) => c.id));
    const code = listed[0]!.dispositionCode!;
    const filtered = await client.port.outcomes.listCalls({ ...query, dispositionCodes: [code] }).toArray();
    expect(filtered.length).toBe(listed.filter((c) => c.dispositionCode === code).length);
  });

  it("interactions: read with an ETag and the code list; a correction where the platform has one", async () => {
    const { client, interactionId } = w();
    const read = await client.port.interactions.get(interactionId);
    expect(read.etag).not.toBe("");
    // What a revocation said on it needs, modelled by each adapter (consent/interaction-phone.ts
    // reads only these, never CXone's names off `raw`).
    expect(read.interaction.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(read.interaction.campaignId).toMatch(/\S/);
    if (name === "seed") expect(read.interaction.contactId).toMatch(/\S/);
    else {
      expect(read.interaction.calledNumber).toMatch(/\d{10}/);
      expect(read.interaction.campaignId).toBe(String(read.interaction.raw.skillId));
    }
    expect((await client.port.interactions.listDispositionCodes()).length).toBeGreaterThan(0);
    if (name === "seed") {
      // A real change (one entry's description rewritten), read back: writing the unchanged
      // array would pass even if the write were dropped.
      const [first, ...rest] = read.interaction.dispositions;
      expect(first).toBeDefined();
      const description = `capability suite ${Date.now()}`;
      const changed = [{ ...first!, description }, ...rest];
      const written = await client.port.interactions.replaceDispositions(interactionId, changed, read.etag);
      expect(written.interaction.id).toBe(interactionId);
      expect(written.etag).not.toBe(read.etag);
      const reread = await client.port.interactions.get(interactionId);
      expect(reread.interaction.dispositions[0]?.description).toBe(description);
      expect(reread.interaction.dispositions.length).toBe(read.interaction.dispositions.length);
    } else {
      const refusal = client.port.support.unsupported("interactions.replaceDispositions");
      expect(refusal).toBeInstanceOf(NotSupportedError);
      await refusedWithoutSending(
        w(),
        () =>
          client.port.interactions.replaceDispositions(
            interactionId,
            read.interaction.dispositions,
            read.etag,
          ),
        /interactions\.replaceDispositions/,
      );
    }
  });

  it("campaigns: create once per key, pause/resume with already-in-state, metrics, the list's contacts", async () => {
    const { client, contactListId } = w();
    const key = `suite-${name}-${Date.now()}`;
    const first = await client.port.campaigns.create(definition(`Suite ${key}`, contactListId), key);
    const again = await client.port.campaigns.create(definition(`Suite ${key}`, contactListId), key);
    expect(again.campaign.id).toBe(first.campaign.id);
    expect(again.replayed).toBe(true);
    expect(first.campaign.status).toBe("paused");
    const id = first.campaign.id;
    expect((await client.port.campaigns.setStatus(id, "active", `${key}-a`)).campaign.status).toBe("active");
    await expect(client.port.campaigns.setStatus(id, "active", `${key}-b`)).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect((await client.port.campaigns.setStatus(id, "paused", `${key}-c`)).campaign.status).toBe("paused");
    const metrics = await client.port.campaigns.metrics(w().campaignId, 60);
    if (name === "seed") {
      // The emulator is told the figure, so a wrong reading (a percentage, another field) fails.
      await adminCall(w().url, "POST", `/campaigns/${w().campaignId}/metrics`, {
        successRate: 0.375,
        callsInWindow: 64,
      });
      const forced = await client.port.campaigns.metrics(w().campaignId, 60);
      expect(forced.successRate).toBe(0.375);
      expect(forced.callsInWindow).toBe(64);
    } else {
      // Counted from completed contacts; its formula is checked by the production metrics tests.
      expect(metrics.callsInWindow).toBeGreaterThanOrEqual(0);
      expect(metrics.successRate).toBeGreaterThanOrEqual(0);
      expect(metrics.successRate).toBeLessThanOrEqual(1);
    }
    const contacts = await client.port.campaigns.listContacts(contactListId, { pageSize: 100 }).toArray(150);
    expect(contacts.length).toBe(150);
    for (const c of contacts) expect(c.phone).toMatch(/^\+\d{8,15}$/);
  });

  it("campaigns: event subscriptions where the platform has them", async () => {
    const { client } = w();
    const request = {
      name: "suite",
      callbackUrl: "http://127.0.0.1:9/hook",
      events: ["omnichannel.campaign.state.change" as const],
    };
    if (name === "seed") expect((await client.port.campaigns.subscribe(request)).id).not.toBe("");
    else
      await refusedWithoutSending(
        w(),
        () => client.port.campaigns.subscribe(request),
        /campaigns\.subscribe/,
      );
  });

  it("dialer: settings with a version tag, a stale tag refused, a change completed and read back, policy and metrics", async () => {
    const { client, dialerScope, campaignId } = w();
    const dialer = client.port.dialer;
    const before = await dialer.getSettings(dialerScope);
    const wanted = structuredClone(before.settings);
    wanted.algorithm.abandonmentTarget = before.settings.algorithm.abandonmentTarget === 0.02 ? 0.025 : 0.02;
    await expect(dialer.putSettings(dialerScope, wanted, "stale-tag")).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    const started = await dialer.putSettings(dialerScope, wanted, before.versionTag);
    const op = await waitUntil(
      async () => {
        const now = await dialer.getOperation(started.operationId);
        return now.status === "COMPLETED" || now.status === "FAILED" ? now : undefined;
      },
      { what: "the settings operation to finish", intervalMs: 20 },
    );
    expect(op.status).toBe("COMPLETED");
    const after = await dialer.getSettings(dialerScope);
    expect(after.versionTag).not.toBe(before.versionTag);
    expect(after.settings.algorithm.abandonmentTarget).toBe(wanted.algorithm.abandonmentTarget);
    const policy = await dialer.validatePolicy({ settings: wanted, carrierTrunks: 100, ...dialerScope });
    expect(policy.status).toBe("PASS");
    if (name === "cxone") expect(policy.checksPerformed.every((c) => c.startsWith("local:"))).toBe(true);
    const rows = await dialer
      .metrics({
        campaignId,
        metrics: ["answerRate"],
        groupBy: "day",
        from: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      })
      .toArray();
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.timestamp)).size).toBe(rows.length);
    if (name === "seed") await dialer.auditLog({ entity: "dialer" }).toArray(5);
    else
      await refusedWithoutSending(
        w(),
        async () => dialer.auditLog({ entity: "dialer" }).toArray(5),
        /dialer\.auditLog/,
      );
  });
});

describe("the conformance table (test/platform/cxone/conformance) against what the suite sent and read", () => {
  it("every production API request in the emulator's log matches an entry: method, path, version, query names and types", async () => {
    const log = (await adminCall(worlds.cxone!.url, "GET", "/requests")) as {
      requests: Array<{ method: string; path: string; query: Record<string, unknown> }>;
    };
    const api = log.requests.filter((r) => /^\/inContactAPI\/services\//i.test(r.path));
    expect(api.length).toBeGreaterThan(20);
    const problems = new Set<string>();
    for (const request of api) {
      const [, version, rest] = /^\/inContactAPI\/services\/(v\d+\.0)(\/.*)$/i.exec(request.path) ?? [];
      const entry = endpointOf(request.method, rest ?? "");
      if (!entry) {
        problems.add(`${request.method} ${rest}: not in the table`);
        continue;
      }
      if (entry.version && version?.toLowerCase() !== entry.version)
        problems.add(`${request.method} ${entry.path}: sent at ${version}, the record says ${entry.version}`);
      for (const problem of requestProblems(entry, { query: request.query }))
        problems.add(`${request.method} ${entry.path}: ${problem}`);
    }
    expect([...problems]).toEqual([]);
  });

  it("every body the adapter sent, and every answer it read, holds to the entry's schema", () => {
    expect(exchanges.length).toBeGreaterThan(20);
    const problems = new Set<string>();
    for (const { request, response } of exchanges) {
      const [method = "", template = ""] = (request.endpoint ?? "").split(" ");
      const entry = endpointOf(method, template.replace(/\{[^}]+\}/g, "x"));
      if (!entry) {
        problems.add(`${request.endpoint}: not in the table`);
        continue;
      }
      for (const problem of requestProblems(entry, {
        query: Object.fromEntries(Object.entries(request.query ?? {}).map(([k, v]) => [k, String(v)])),
        body: request.body,
      }))
        problems.add(`${request.endpoint} (sent): ${problem}`);
      // A page decoded from its bytes as they arrive (bodySink) has no parsed body to hold.
      if (response && response.status >= 200 && response.status < 300 && response.body !== undefined)
        for (const problem of responseProblems(entry, response.body))
          problems.add(`${request.endpoint} (answer): ${problem}`);
    }
    expect([...problems]).toEqual([]);
  });
});
