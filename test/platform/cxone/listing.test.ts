import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type InternalClient as CxoneClient,
  clientOptionsFromSettings,
  createInternalClient as createClient,
} from "../../../src/client.ts";
import { loadSettings, requireProductionConnection } from "../../../src/core/config/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { ProductionApi } from "../../../src/platform/cxone/api.ts";
import { ProductionSession } from "../../../src/platform/cxone/auth.ts";
import { changedCalls } from "../../../src/platform/cxone/changed-calls.ts";
import type { OutboundCall } from "../../../src/platform/types.ts";
import { accessKeySettings } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";

/**
 * Listing what is really there (conformance §3): `/contacts/completed` asks for `tags=true`
 * (GEN: tags come only then) and never more than ~10,000 records a response (TAP); admin lists
 * page with `top` ≤ 100 (MCP: larger is capped silently); `totalRecords` wins over a short page.
 */
let emulator: RunningCxoneEmulator;
let client: CxoneClient;
let skillId = "";
type Logged = { method: string; path: string; query: Record<string, string> };
let seen = 0;
const requests = async (suffix: string) => {
  const all = ((await adminCall(emulator.url, "GET", "/requests")) as { requests: Logged[] }).requests;
  return all.slice(seen).filter((r) => r.path.endsWith(suffix));
};

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 17,
    contacts: 3000,
    // Contacts at any hour: the realistic history has none 11:00–12:00 UTC (no NANP number is
    // callable), and this file reads recent contacts (it failed when run in that hour).
    history: "any-hour",
  })) as RunningCxoneEmulator;
  skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isActive)!.skillId,
  );
  const options = clientOptionsFromSettings(accessKeySettings(emulator));
  client = createClient({
    ...options,
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-listing-")),
    http: { ...options.http, backoffBaseMs: 5, backoffCapMs: 20, rateLimitScale: 100 },
  });
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});
beforeEach(async () => {
  await adminCall(emulator.url, "POST", "/reset");
  seen = ((await adminCall(emulator.url, "GET", "/requests")) as { requests: unknown[] }).requests.length;
});

async function all(pageSize: number): Promise<OutboundCall[]> {
  const out: OutboundCall[] = [];
  const f = emulator.fixtures;
  for await (const call of client.port.outcomes.listCalls({
    campaignId: skillId,
    from: f.completed.windowStart,
    to: new Date(Date.now() - 3 * 3_600_000).toISOString(),
    pageSize,
  }))
    out.push(call);
  return out;
}

describe("/contacts/completed", () => {
  it("asks for tags (tags=true), so tagged contacts carry them", async () => {
    const calls = await all(1000);
    expect(calls.length).toBeGreaterThan(100);
    expect(calls.filter((c) => c.tags.length > 0).length).toBeGreaterThan(0);
    const sent = await requests("/contacts/completed");
    expect(sent.length).toBeGreaterThan(0);
    for (const r of sent) expect(r.query.tags).toBe("true");
  });

  it("never asks for more than 10,000 records a response, and totalRecords wins over a short page", async () => {
    const expected = (await all(1000)).map((c) => c.id);
    seen = ((await adminCall(emulator.url, "GET", "/requests")) as { requests: unknown[] }).requests.length;
    // The server caps `top` at 7 silently and sends no _links: only totalRecords says there is more.
    await adminCall(emulator.url, "POST", "/knobs", { topCap: 7, pageLinks: false });
    const capped = (await all(50_000)).map((c) => c.id);
    expect(capped).toEqual(expected);
    const sent = await requests("/contacts/completed");
    for (const r of sent) expect(Number(r.query.top)).toBeLessThanOrEqual(10_000);
  });
});

describe("admin lists", () => {
  it("page with top ≤ 100, and a silently capped page does not end the list", async () => {
    const everything = await client.port.interactions.listDispositionCodes();
    seen = ((await adminCall(emulator.url, "GET", "/requests")) as { requests: unknown[] }).requests.length;
    await adminCall(emulator.url, "POST", "/knobs", { adminTopCap: 3, pageLinks: false });
    const capped = await client.port.interactions.listDispositionCodes();
    expect(everything.length).toBeGreaterThan(3);
    expect(capped).toEqual(everything);
    const sent = await requests("/dispositions");
    expect(sent.length).toBeGreaterThan(1);
    for (const r of sent) expect(Number(r.query.top)).toBeLessThanOrEqual(100);
  });
});

describe("the incremental mode (updatedSince + orderBy=lastUpdateTime asc, 304 = no change)", () => {
  it("a first poll returns the changes and lastPollTime; the next says unchanged until a contact changes", async () => {
    const api = apiOf(client);
    const poll = async (updatedSince: string) => {
      const calls: OutboundCall[] = [];
      const generator = changedCalls(api, { campaignId: skillId, updatedSince, pageSize: 500 });
      for (;;) {
        const next = await generator.next();
        if (next.done) return { calls, end: next.value };
        calls.push(next.value);
      }
    };
    const first = await poll(emulator.fixtures.completed.windowStart);
    expect(first.calls.length).toBeGreaterThan(100);
    expect(first.end.unchanged).toBe(false);
    expect(first.end.lastPollTime).toEqual(expect.any(String));
    const second = await poll(first.end.lastPollTime!);
    expect(second).toEqual({ calls: [], end: { unchanged: true, lastPollTime: undefined } });
    // A contact changes (a tag): the next poll from the same point returns it.
    const contact = emulator.fixtures.completed.sample.find((c) => String(c.skillId) === skillId)!;
    const token = await client.core.tokens.getToken();
    const tagged = await fetch(
      `${emulator.url}/inContactAPI/services/v33.0/contacts/${contact.contactId}/tags`,
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          "content-type": "application/json",
        },
        body: JSON.stringify({ tags: [{ tagId: emulator.fixtures.tags[0]!.tagId }] }),
      },
    );
    expect(tagged.status).toBe(200);
    const third = await poll(first.end.lastPollTime!);
    expect(third.calls.map((c) => c.id)).toContain(String(contact.contactId));
    for (const r of await requests("/contacts/completed").then((all) =>
      all.filter((q) => q.query.updatedSince),
    ))
      expect(r.query.orderBy).toBe("lastUpdateTime asc");
  });
});

/** An API handle on the client's HTTP core and token (the API host given: no discovery needed). */
function apiOf(c: CxoneClient): ProductionApi {
  const key = emulator.fixtures.accessKeys.find((k) => !k.readOnly)!;
  const connection = requireProductionConnection(
    loadSettings({
      cwd: "/nonexistent",
      env: {
        CXONE_PLATFORM: "cxone",
        CXONE_BASE_URL: emulator.url,
        CXONE_ACCESS_KEY_ID: key.accessKeyId,
        CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
      },
    }),
  );
  return new ProductionApi(
    c.core.http,
    new ProductionSession(connection, c.core.tokens, undefined as never),
    "v33.0",
  );
}
