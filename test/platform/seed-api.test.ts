import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CxoneClient, createClient } from "../../src/client.ts";
import { CxoneError, ScopeError } from "../../src/core/http/errors.ts";
import {
  type ScriptedServer,
  startScriptedServer,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from "../support/scripted-server.ts";

let server: ScriptedServer;
let client: CxoneClient;

beforeEach(async () => {
  server = await startScriptedServer();
  client = createClient({
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
