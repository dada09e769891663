import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RND_DATA_START, rndAnswer } from "../../../src/emulator/rnd/database.ts";
import { type RunningRndEmulator, startRndEmulator } from "../../../src/emulator/rnd/index.ts";
import { adminCall } from "../../support/emulator-admin.ts";

/**
 * Issue 79 §3: the Reassigned Numbers Database's emulator. Its rule is the FCC's (DA 21-1637):
 * "yes" when the number's last permanent disconnection is on or after the date asked, "no" when
 * it is earlier or the number is not in the database and the date is on or after 27 January
 * 2021, "no data" otherwise. At most 1,000 numbers per query (reassigned.us FAQ).
 */
describe("rndAnswer (the FCC's three answers)", () => {
  it.each([
    ["2024-05-01", "2024-01-01", "yes"], // disconnected after consent
    ["2024-01-01", "2024-01-01", "yes"], // the same day: "same as or before"
    ["2023-12-31", "2024-01-01", "no"], // disconnected before consent: the consent is the new subscriber's
    [null, "2024-01-01", "no"],
    [null, RND_DATA_START, "no"],
    [null, "2021-01-26", "no data"],
    ["2021-06-01", "2020-01-01", "yes"],
  ] as const)("disconnected %s, asked about %s: %s", (disconnectedOn, date, expected) => {
    expect(rndAnswer(disconnectedOn, date)).toBe(expected);
  });
});

let emu: RunningRndEmulator;
let token: string;

beforeAll(async () => {
  emu = await startRndEmulator({ dataAsOf: "2026-10-15", seed: 7 });
  const basic = Buffer.from(`${emu.fixtures.clientId}:${emu.fixtures.clientSecret}`).toString("base64");
  const answer = await fetch(`${emu.url}/oauth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });
  token = ((await answer.json()) as { access_token: string }).access_token;
});
afterAll(() => emu.close());

const query = (body: unknown, key?: string) =>
  fetch(`${emu.url}/api/v1/queries`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      ...(key ? { "x-idempotency-key": key } : {}),
    },
    body: JSON.stringify(body),
  });

describe("the RND emulator's API", () => {
  it("answers each number by the database (set by hand here) and logs what was asked", async () => {
    await adminCall(emu.url, "POST", "/reset");
    await adminCall(emu.url, "POST", "/disconnects", {
      numbers: [
        { tn: "3035552001", disconnectedOn: "2025-03-01" },
        { tn: "3035552002", disconnectedOn: null },
      ],
    });
    const answer = await query({
      queries: [
        { tn: "3035552001", date: "2024-01-01" },
        { tn: "3035552001", date: "2025-06-01" },
        { tn: "3035552002", date: "2020-01-01" },
      ],
    });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { dataAsOf: string; results: Array<{ result: string }> };
    expect(body.dataAsOf).toBe("2026-10-15");
    expect(body.results.map((r) => r.result)).toEqual(["yes", "no", "no data"]);
    const asked = await adminCall(emu.url, "GET", "/asked");
    expect(asked.total).toBe(3);
  });

  it("refuses more than 1,000 numbers, a malformed number, a date in the future, and a missing token", async () => {
    await adminCall(emu.url, "POST", "/reset");
    const many = Array.from({ length: 1001 }, (_, i) => ({
      tn: `30355${String(20000 + i)}`,
      date: "2024-01-01",
    }));
    expect((await query({ queries: many })).status).toBe(400);
    expect((await query({ queries: [{ tn: "0035552001", date: "2024-01-01" }] })).status).toBe(400);
    expect((await query({ queries: [{ tn: "3035552001", date: "2999-01-01" }] })).status).toBe(400);
    const anonymous = await fetch(`${emu.url}/api/v1/queries`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ queries: [{ tn: "3035552001", date: "2024-01-01" }] }),
    });
    expect(anonymous.status).toBe(401);
    expect((await adminCall(emu.url, "GET", "/asked")).total).toBe(0);
  });

  it("answers a repeat of a key from the first answer, unasked; another body under the key is 422", async () => {
    await adminCall(emu.url, "POST", "/reset");
    const body = { queries: [{ tn: "3035552003", date: "2024-01-01" }] };
    const first = (await (await query(body, "k-1")).json()) as { queryId: string };
    const again = (await (await query(body, "k-1")).json()) as { queryId: string };
    expect(again.queryId).toBe(first.queryId);
    expect((await query({ queries: [{ tn: "3035552004", date: "2024-01-01" }] }, "k-1")).status).toBe(422);
    expect((await adminCall(emu.url, "GET", "/asked")).total).toBe(1);
    const log = (await adminCall(emu.url, "GET", "/requests")).requests.filter(
      (r: { path: string }) => r.path === "/api/v1/queries",
    );
    expect(log.map((r: { replayed?: boolean }) => r.replayed ?? false)).toEqual([false, true, false]);
  });

  it("a hold fault answers and records a query but never sends its answer", async () => {
    await adminCall(emu.url, "POST", "/reset");
    await adminCall(emu.url, "POST", "/faults", { hold: { after: 1 } });
    expect((await query({ queries: [{ tn: "3035552005", date: "2024-01-01" }] })).status).toBe(200);
    const held = query({ queries: [{ tn: "3035552006", date: "2024-01-01" }] }).then(
      () => "answered",
      () => "cut off",
    );
    const { waitUntil } = await import("../../support/wait-until.ts");
    await waitUntil(async () => (await adminCall(emu.url, "GET", "/faults")).held === 1, {
      what: "the held answer",
    });
    expect((await adminCall(emu.url, "GET", "/asked")).total).toBe(2);
    await adminCall(emu.url, "POST", "/release");
    expect(await held).toBe("cut off");
  });

  it("429 and 5xx faults answer before anything is asked", async () => {
    await adminCall(emu.url, "POST", "/reset");
    await adminCall(emu.url, "POST", "/faults", { group: "query", burst429: 1, retryAfter: 2 });
    const throttled = await query({ queries: [{ tn: "3035552007", date: "2024-01-01" }] });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("2");
    await adminCall(emu.url, "POST", "/faults", { group: "query", errorRate: 1, errorStatus: 503, count: 1 });
    expect((await query({ queries: [{ tn: "3035552007", date: "2024-01-01" }] })).status).toBe(503);
    expect((await adminCall(emu.url, "GET", "/asked")).total).toBe(0);
  });
});
