import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, harness } from "./helpers.ts";

describe("emulator: seed 001 interactions", () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await harness();
    token = await h.token();
  });
  afterAll(() => h.close());

  const id = (n = 0) => h.fixtures.interactions[n]?.id ?? "";
  const entry = (code: string) => ({
    code,
    description: "set by test",
    agent_id: "agent_xyz_123",
    timestamp: "2026-01-02T10:00:00.000000Z",
  });

  it("lists the disposition codes: 1xx primary, 2xx secondary", async () => {
    const answer = await h.call("GET", "/api/v1/dispositions", { token });
    expect(answer.status).toBe(200);
    expect(answer.body.dispositions.map((d: { code: string }) => d.code)).toEqual(
      h.fixtures.dispositions.map((d) => d.code),
    );
    expect(answer.body.dispositions[0]).toMatchObject({ code: "101", type: "primary" });
  });

  it("round-trips the ETag verbatim; PATCH replaces dispositions and answers a new ETag", async () => {
    const read = await h.call("GET", `/api/v1/interactions/${id()}`, { token });
    expect(read.status).toBe(200);
    const etag = read.headers.get("etag") ?? "";
    expect(etag).toMatch(/^W\/".+"$/);
    const patched = await h.call("PATCH", `/api/v1/interactions/${id()}`, {
      token,
      headers: { "if-match": etag },
      body: { dispositions: [entry("101"), entry("102")] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.dispositions.map((d: { code: string }) => d.code)).toEqual(["101", "102"]);
    const newEtag = patched.headers.get("etag");
    expect(newEtag).not.toBe(etag);
    // Replace, not append.
    const again = await h.call("PATCH", `/api/v1/interactions/${id()}`, {
      token,
      headers: { "if-match": newEtag ?? "" },
      body: { dispositions: [{ ...entry("103"), agentId: "a1", agent_id: undefined }] },
    });
    expect(again.status).toBe(200);
    expect(again.body.dispositions).toEqual([
      {
        code: "103",
        description: "set by test",
        agent_id: "a1",
        timestamp: "2026-01-02T10:00:00.000000Z",
        source: "api",
      },
    ]);
  });

  it("answers 409 for a stale ETag and 428 without If-Match", async () => {
    const read = await h.call("GET", `/api/v1/interactions/${id(1)}`, { token });
    const etag = read.headers.get("etag") ?? "";
    const ok = await h.call("PATCH", `/api/v1/interactions/${id(1)}`, {
      token,
      headers: { "if-match": etag },
      body: { dispositions: [entry("201")] },
    });
    expect(ok.status).toBe(200);
    const stale = await h.call("PATCH", `/api/v1/interactions/${id(1)}`, {
      token,
      headers: { "if-match": etag },
      body: { dispositions: [entry("202")] },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toBe("etag_mismatch");
    const missing = await h.call("PATCH", `/api/v1/interactions/${id(1)}`, {
      token,
      body: { dispositions: [entry("202")] },
    });
    expect(missing.status).toBe(428);
  });

  it.each([
    ["a 1xx/2xx mix", { dispositions: [entry("101"), entry("201")] }],
    ["an unknown code", { dispositions: [entry("999")] }],
    ["a timestamp without a zone", { dispositions: [{ ...entry("101"), timestamp: "2026-01-02T10:00:00" }] }],
    ["no agent", { dispositions: [{ ...entry("101"), agent_id: undefined }] }],
    ["no dispositions array", { codes: ["101"] }],
  ])("answers 400 for %s", async (_label, body) => {
    const read = await h.call("GET", `/api/v1/interactions/${id(2)}`, { token });
    const answer = await h.call("PATCH", `/api/v1/interactions/${id(2)}`, {
      token,
      headers: { "if-match": read.headers.get("etag") ?? "" },
      body,
    });
    expect(answer.status).toBe(400);
  });

  it("answers 404 for an unknown interaction and 403 without interactions:write", async () => {
    expect((await h.call("GET", "/api/v1/interactions/nope", { token })).status).toBe(404);
    const reader = await h.token(h.reader);
    expect((await h.call("GET", `/api/v1/interactions/${id(3)}`, { token: reader })).status).toBe(200);
    const denied = await h.call("PATCH", `/api/v1/interactions/${id(3)}`, {
      token: reader,
      headers: { "if-match": "x" },
      body: { dispositions: [] },
    });
    expect(denied.status).toBe(403);
  });
});
