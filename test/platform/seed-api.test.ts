import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createInternalClient, type InternalClient } from "../../src/client.ts";
import { CxoneError, ScopeError } from "../../src/core/http/errors.ts";
import { toContact } from "../../src/platform/seed-api/campaigns.ts";
import {
  type ScriptedServer,
  startScriptedServer,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from "../support/scripted-server.ts";

let server: ScriptedServer;
let client: InternalClient;

beforeEach(async () => {
  server = await startScriptedServer();
  client = createInternalClient({
    connection: { baseUrl: server.url, clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET },
    http: { backoffBaseMs: 5 },
  });
});
afterEach(async () => {
  await client.close();
  await server.close();
});

describe("seed-API adapter", () => {
  it("maps the disposition matrix and encodes the campaign id in the path", async () => {
    server.setApi(() => ({
      status: 200,
      body: { dispositionCodes: [{ id: 7, name: "Sale", reasonCodes: [{ id: 1, name: "Upsell" }] }] },
    }));
    const matrix = await client.port.dispositions.getMatrix("camp/1 x");
    expect(matrix).toEqual({
      campaignId: "camp/1 x",
      codes: [{ id: "7", name: "Sale", reasonCodes: [{ id: "1", name: "Upsell" }] }],
    });
    expect(server.apiRequests[0]!.path).toBe("/api/v2/outbound/campaigns/camp%2F1%20x/dispositioncodes");
  });

  it("reports an unexpected response shape instead of passing garbage on", async () => {
    server.setApi(() => ({ status: 200, body: { codes: [] } }));
    await expect(client.port.dispositions.getMatrix("c")).rejects.toBeInstanceOf(CxoneError);
  });

  it("names the missing scope on 403", async () => {
    server.setApi(() => ({ status: 403 }));
    const error = (await client.port.dispositions.getMatrix("c").catch((e: unknown) => e)) as ScopeError;
    expect(error).toBeInstanceOf(ScopeError);
    expect(error.requiredScopes).toEqual(["outbound:campaign:read"]);
  });

  it("lists calls page by page with the seed's query parameters and resumes from a token", async () => {
    server.setApi((request) => {
      const token = request.query.get("nextPageToken");
      const page = token ? Number(token) : 0;
      const calls = [0, 1].map((i) => ({
        id: `call-${page * 2 + i}`,
        campaignId: "camp-1",
        startTime: "2026-11-20T10:00:00Z",
        endTime: "2026-11-20T10:01:00Z",
        durationSeconds: 60,
        dispositionCode: "CONVERTED",
        extra: "kept",
      }));
      return { status: 200, body: { calls, nextPageToken: page < 2 ? String(page + 1) : null } };
    });
    const query = {
      campaignId: "camp-1",
      from: "2026-11-01T00:00:00Z",
      to: "2026-11-21T00:00:00Z",
      dispositionCodes: ["CONVERTED", "BUSY"],
      pageSize: 2,
    };
    const calls = await client.port.outcomes.listCalls(query).toArray();
    expect(calls.map((c) => c.id)).toEqual(["call-0", "call-1", "call-2", "call-3", "call-4", "call-5"]);
    expect(calls[0]).toMatchObject({
      dispositionCode: "CONVERTED",
      durationSeconds: 60,
      tags: [],
      raw: { extra: "kept" },
    });
    const first = server.apiRequests[0]!.query;
    expect(Object.fromEntries(first)).toEqual({
      campaignId: "camp-1",
      startDateTime: "2026-11-01T00:00:00Z",
      endDateTime: "2026-11-21T00:00:00Z",
      dispositionCode: "CONVERTED,BUSY",
      limit: "2",
    });
    expect(server.apiRequests.map((r) => r.query.get("nextPageToken"))).toEqual([null, "1", "2"]);

    const resumed = await client.port.outcomes.listCalls({ ...query, startToken: "2" }).toArray();
    expect(resumed.map((c) => c.id)).toEqual(["call-4", "call-5"]);
  });

  it("describes the token's grants without exposing it", async () => {
    const info = await client.port.access.describe();
    expect(info).toMatchObject({
      clientId: TEST_CLIENT_ID,
      scopes: ["outbound:campaign:read", "outbound:calls:read"],
    });
    expect(JSON.stringify(info)).not.toContain(server.issued[0]!);
  });
});

describe("seed-API contact pages", () => {
  const wire = (id: unknown, extra: Record<string, unknown> = {}) => ({
    id,
    firstName: "Ann",
    lastName: null,
    phone: "+13055550100",
    consentFlags: { outbound: { call: true, sms: null } },
    lastModifiedTime: "2026-01-01T00:00:00Z",
    ...extra,
  });

  it("walks the pages by number, decoding each contact from the page's bytes, as the listing did", async () => {
    server.setApi((request) => {
      const page = Number(request.query.get("page"));
      const contacts =
        page === 1
          ? [
              wire("c1"),
              wire(2, { consentFlags: null, timeZone: "America/New_York" }),
              wire("c3", { state: "fl" }),
            ]
          : [wire("c4", { consentFlags: { outbound: null }, extraField: [1, 2] })];
      return { status: 200, body: { contacts, page, pageSize: 3, totalCount: 4 } };
    });
    const seen: Array<[number, number, string[]]> = [];
    for await (const page of client.port.campaigns.contactPages("list-1", {
      pageSize: 3,
      consentOnly: true,
    })) {
      const ids = Array.from({ length: page.count }, (_, i) => page.contact(i).id);
      seen.push([page.index, page.cursor, ids]);
    }
    expect(seen).toEqual([
      [0, 1, ["c1", "2", "c3"]],
      [1, 2, ["c4"]],
    ]);
    expect(server.apiRequests.map((r) => [r.path, r.query.get("query"), r.query.get("page")])).toEqual([
      ["/api/v2/omnichannel/contactlists/list-1/contacts", "consentFlags.outbound.call==true", "1"],
      ["/api/v2/omnichannel/contactlists/list-1/contacts", "consentFlags.outbound.call==true", "2"],
    ]);
    const all = await client.port.campaigns.listContacts("list-1", { pageSize: 3 }).toArray();
    expect(all.map(({ raw: _raw, ...contact }) => contact)).toEqual([
      {
        id: "c1",
        firstName: "Ann",
        lastName: undefined,
        phone: "+13055550100",
        timeZone: undefined,
        state: undefined,
        consent: { call: true, sms: undefined },
        lastModifiedTime: "2026-01-01T00:00:00Z",
      },
      {
        id: "2",
        firstName: "Ann",
        lastName: undefined,
        phone: "+13055550100",
        timeZone: "America/New_York",
        state: undefined,
        consent: { call: undefined, sms: undefined },
        lastModifiedTime: "2026-01-01T00:00:00Z",
      },
      expect.objectContaining({ id: "c3", state: "fl" }),
      expect.objectContaining({ id: "c4", consent: { call: undefined, sms: undefined } }),
    ]);
    expect(all[3]?.raw).toEqual(wire("c4", { consentFlags: { outbound: null }, extraField: [1, 2] }));
  });

  it("reports a malformed contact as a shape error when it is read, and a page without contacts as one", async () => {
    server.setApi(() => ({ status: 200, body: { contacts: [wire("ok"), wire("bad", { phone: 5 })] } }));
    const pages = client.port.campaigns.contactPages("list-1", { pageSize: 10 });
    const first = await pages.next();
    expect(first.done).toBe(false);
    if (first.done) throw new Error("no page");
    const page = first.value;
    expect(page.contact(0).id).toBe("ok");
    expect(() => page.contact(1)).toThrow(CxoneError);
    expect(() => page.contact(1)).toThrow(
      /contacts: the seed API answered without the response shape it documents \(Invalid input: expected string, received number\)/,
    );
    server.setApi(() => ({ status: 200, body: { items: [] } }));
    await expect(client.port.campaigns.listContacts("list-1", {}).toArray()).rejects.toThrow(
      /without the response shape it documents/,
    );
  });
});

describe("toContact (seed API)", () => {
  it("reads a contact of the documented shape without the schema, and leaves anything else to it (coerced or refused)", () => {
    const cases: unknown[] = [
      { id: "a", phone: "+13055550100" },
      {
        id: "a",
        phone: "+1",
        firstName: null,
        lastName: "L",
        timeZone: null,
        state: "TX",
        lastModifiedTime: null,
      },
      { id: "a", phone: "+1", consentFlags: { outbound: { call: false, sms: true } }, other: { deep: 1 } },
      { id: "a", phone: "+1", consentFlags: {} },
      { id: 7, phone: "+1" }, // coerced by the schema
      { id: "a", phone: "+1", consentFlags: { outbound: { call: "yes" } } }, // rejected by the schema
      { id: "a", phone: "+1", firstName: 3 },
      { phone: "+1" },
      [1, 2],
    ];
    const outcome = (value: unknown) => {
      try {
        return toContact(value, "E");
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(cases.map(outcome)).toEqual([
      expect.objectContaining({
        id: "a",
        firstName: undefined,
        consent: { call: undefined, sms: undefined },
      }),
      expect.objectContaining({
        lastName: "L",
        state: "TX",
        timeZone: undefined,
        lastModifiedTime: undefined,
      }),
      expect.objectContaining({ consent: { call: false, sms: true } }),
      expect.objectContaining({ consent: { call: undefined, sms: undefined } }),
      expect.objectContaining({ id: "7" }),
      expect.stringMatching(/^E: the seed API answered without the response shape it documents \(/),
      expect.stringMatching(/^E: the seed API answered without the response shape it documents \(/),
      expect.stringMatching(/^E: the seed API answered without the response shape it documents \(/),
      expect.stringMatching(/^E: the seed API answered without the response shape it documents \(/),
    ]);
    for (const value of cases.slice(0, 5)) expect((outcome(value) as { raw: unknown }).raw).toBe(value);
  });
});
