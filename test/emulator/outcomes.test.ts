import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, harness } from "./helpers.ts";

const DAY = 86_400_000;

describe("emulator: seed 004 outcome listing", () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await harness({ calls: 50_000 });
    token = await h.token(h.fixtures.clients[2]); // the narrow seed-004 client
  });
  afterAll(() => h.close());

  const list = (params: Record<string, string>) =>
    h.call("GET", `/api/v2/outbound/calls?${new URLSearchParams(params)}`, { token });
  const range = () => ({
    startDateTime: new Date(Date.now() - 89.9 * DAY).toISOString(),
    endDateTime: new Date().toISOString(),
  });

  it("pages over all 50,000 calls, each exactly once, in startTime order", async () => {
    const seen = new Set<string>();
    let token_: string | null = null;
    let pages = 0;
    let last = "";
    const window = range(); // the same filters on every page, as the token requires
    do {
      const params: Record<string, string> = { ...window, limit: "5000" };
      if (token_) params.nextPageToken = token_;
      const answer = await list(params);
      expect(answer.status).toBe(200);
      for (const call of answer.body.calls) {
        expect(seen.has(call.id)).toBe(false);
        seen.add(call.id);
        expect(call.startTime >= last).toBe(true);
        last = call.startTime;
      }
      token_ = answer.body.nextPageToken;
      pages++;
    } while (token_);
    expect(seen.size).toBe(50_000);
    expect(pages).toBe(10);
  });

  it("filters by campaign, time range (start inclusive, end exclusive) and codes", async () => {
    const campaign = h.fixtures.campaigns[3];
    const from = Date.now() - 20 * DAY;
    const to = Date.now() - 10 * DAY;
    const answer = await list({
      campaignId: campaign?.id ?? "",
      startDateTime: new Date(from).toISOString(),
      endDateTime: new Date(to).toISOString(),
      dispositionCode: "CONVERTED,APPOINTMENT_SET",
      limit: "5000",
    });
    expect(answer.status).toBe(200);
    expect(answer.body.calls.length).toBeGreaterThan(10);
    for (const call of answer.body.calls) {
      expect(call.campaignId).toBe(campaign?.id);
      expect(["CONVERTED", "APPOINTMENT_SET"]).toContain(call.dispositionCode);
      const start = Date.parse(call.startTime);
      expect(start >= from && start < to).toBe(true);
      expect(call).toMatchObject({ direction: "OUTBOUND" });
      expect(call.phoneNumber).toMatch(/^\+1[2-9]\d{9}$/);
      expect(Object.keys(call)).toEqual(
        expect.arrayContaining([
          "id",
          "contactId",
          "endTime",
          "durationSeconds",
          "reasonCodeId",
          "agentId",
          "tags",
        ]),
      );
    }
    // End exclusive: a call's own startTime as the end leaves it out, as the start keeps it.
    const first = answer.body.calls[0];
    const exact = await list({
      campaignId: campaign?.id ?? "",
      startDateTime: first.startTime,
      endDateTime: first.startTime,
    });
    expect(exact.body.calls).toEqual([]);
  });

  it("reads naive date-times as UTC (Python isoformat with microseconds)", async () => {
    const to = new Date(Date.now() - 5 * DAY);
    const from = new Date(to.getTime() - DAY);
    const naive = (d: Date) => `${d.toISOString().slice(0, 23)}456`; // "2024-01-01T10:00:00.123456"
    const a = await list({ startDateTime: naive(from), endDateTime: naive(to), limit: "5000" });
    const b = await list({
      startDateTime: `${naive(from)}+00:00`,
      endDateTime: `${naive(to)}+00:00`,
      limit: "5000",
    });
    expect(a.status).toBe(200);
    expect(a.body.calls.map((c: { id: string }) => c.id)).toEqual(
      b.body.calls.map((c: { id: string }) => c.id),
    );
  });

  it.each([
    ["a start beyond the 90-day retention", { startDateTime: new Date(Date.now() - 91 * DAY).toISOString() }],
    ["an end in the future", { endDateTime: new Date(Date.now() + DAY).toISOString() }],
    ["a limit above 5000", { limit: "5001" }],
    ["a malformed date", { startDateTime: "yesterday" }],
    ["an unknown disposition code", { dispositionCode: "NOPE" }],
    ["a foreign page token", { nextPageToken: "garbage" }],
  ])("answers 400 for %s", async (_label, params) => {
    const answer = await list({ ...range(), ...params });
    expect(answer.status).toBe(400);
  });

  it("rejects a page token replayed with other filters", async () => {
    const first = await list({ ...range(), limit: "10" });
    const campaign = h.fixtures.campaigns[0]?.id ?? "";
    const answer = await list({
      ...range(),
      campaignId: campaign,
      limit: "10",
      nextPageToken: first.body.nextPageToken,
    });
    expect(answer.status).toBe(400);
  });

  it("answers 404 for an unknown campaign", async () => {
    expect((await list({ ...range(), campaignId: "nope" })).status).toBe(404);
  });
});
