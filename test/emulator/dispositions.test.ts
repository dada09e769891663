import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, harness } from "./helpers.ts";

describe("emulator: seed 000 dispositions", () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await harness({ calls: 20_000 });
    token = await h.token();
  });
  afterAll(() => h.close());

  const firstCall = () => {
    const call = h.fixtures.calls[0];
    if (!call) throw new Error("no fixture calls");
    return call;
  };
  const matrixOf = (campaignId: string) => {
    const campaign = h.fixtures.campaigns.find((c) => c.id === campaignId);
    if (!campaign) throw new Error("unknown campaign");
    return campaign.dispositionCodes;
  };

  it("serves the campaign's disposition matrix", async () => {
    const campaign = h.fixtures.campaigns[2];
    const answer = await h.call("GET", `/api/v2/outbound/campaigns/${campaign?.id}/dispositioncodes`, {
      token,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.dispositionCodes).toEqual(campaign?.dispositionCodes);
    const ids = answer.body.dispositionCodes.map((c: { id: string }) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining(["CONVERTED", "NOT_INTERESTED", "NO_ANSWER", "WRONG_NUMBER", "QUOTE_SENT"]),
    );
    expect((await h.call("GET", "/api/v2/outbound/campaigns/nope/dispositioncodes", { token })).status).toBe(
      404,
    );
  });

  it("tags a call (idempotent upsert) and the call and the outcome listing show it", async () => {
    const call = firstCall();
    const code = matrixOf(call.campaignId).find((c) => c.id === "APPOINTMENT_SET");
    const body = {
      dispositionCodeId: "APPOINTMENT_SET",
      reasonCodeId: code?.reasonCodes[0]?.id,
      notes: "booked for Tuesday",
      tag: ["verified", "priority_a"],
    };
    const first = await h.call("PUT", `/api/v2/outbound/calls/${call.id}/disposition`, { token, body });
    expect(first.status).toBe(200);
    const again = await h.call("PUT", `/api/v2/outbound/calls/${call.id}/disposition`, { token, body });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      id: call.id,
      dispositionCode: "APPOINTMENT_SET",
      tags: ["verified", "priority_a"],
    });

    const read = await h.call("GET", `/api/v2/outbound/calls/${call.id}`, { token });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      dispositionCode: "APPOINTMENT_SET",
      reasonCodeId: body.reasonCodeId,
      notes: body.notes,
    });

    const at = Date.parse(read.body.startTime);
    const query = new URLSearchParams({
      campaignId: call.campaignId,
      startDateTime: new Date(at).toISOString(),
      endDateTime: new Date(at + 1).toISOString(),
    });
    const listed = await h.call("GET", `/api/v2/outbound/calls?${query}`, { token });
    expect(listed.status).toBe(200);
    expect(listed.body.calls.find((c: { id: string }) => c.id === call.id)?.dispositionCode).toBe(
      "APPOINTMENT_SET",
    );
  });

  it("accepts `tags` as well as `tag`, and a code without a reason", async () => {
    const call = h.fixtures.calls[1];
    const answer = await h.call("PUT", `/api/v2/outbound/calls/${call?.id}/disposition`, {
      token,
      body: { dispositionCodeId: "BUSY", tags: ["retry"] },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.tags).toEqual(["retry"]);
  });

  it.each([
    ["an unknown code", { dispositionCodeId: "MADE_UP" }],
    [
      "a reason code of another disposition code",
      { dispositionCodeId: "CONVERTED", reasonCodeId: "NIN_PRICE_TOO_HIGH" },
    ],
    ["eleven tags", { dispositionCodeId: "BUSY", tag: Array.from({ length: 11 }, (_, i) => `t${i}`) }],
    ["a missing code", { notes: "no code" }],
    ["an unknown field", { dispositionCodeId: "BUSY", reasonCode: "x" }],
    ["both tag and tags", { dispositionCodeId: "BUSY", tag: ["a"], tags: ["b"] }],
  ])("rejects %s with 400", async (_label, body) => {
    const answer = await h.call("PUT", `/api/v2/outbound/calls/${firstCall().id}/disposition`, {
      token,
      body,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe("invalid_request");
  });

  it("rejects malformed JSON with 400", async () => {
    const answer = await h.call("PUT", `/api/v2/outbound/calls/${firstCall().id}/disposition`, {
      token,
      body: "{nope",
    });
    expect(answer.status).toBe(400);
  });

  it("answers 404 for an unknown call and 409 for a locked one", async () => {
    const body = { dispositionCodeId: "BUSY" };
    expect(
      (await h.call("PUT", "/api/v2/outbound/calls/call-zzzzz-0000/disposition", { token, body })).status,
    ).toBe(404);
    expect((await h.call("GET", "/api/v2/outbound/calls/whatever", { token })).status).toBe(404);
    const locked = h.fixtures.lockedCalls[0];
    const answer = await h.call("PUT", `/api/v2/outbound/calls/${locked?.id}/disposition`, { token, body });
    expect(answer.status).toBe(409);
    expect(answer.body.error).toBe("disposition_locked");
    // Validation comes first: a bad body on a locked call is still a 400.
    const bad = await h.call("PUT", `/api/v2/outbound/calls/${locked?.id}/disposition`, {
      token,
      body: { dispositionCodeId: "NOPE" },
    });
    expect(bad.status).toBe(400);
  });

  it("answers 403 to the read-only client", async () => {
    const reader = await h.token(h.reader);
    const answer = await h.call("PUT", `/api/v2/outbound/calls/${firstCall().id}/disposition`, {
      token: reader,
      body: { dispositionCodeId: "BUSY" },
    });
    expect(answer.status).toBe(403);
    expect(answer.body.requiredScopes).toEqual(["outbound:calls:disposition:update"]);
  });
});
