import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningRndEmulator, startRndEmulator } from "../../src/emulator/rnd/index.ts";
import { ConfigError, type CxoneClient, createClient, InputError } from "../../src/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { mustRefuse, rndNumbers } from "./rnd-numbers.ts";

/** The RND's data as of yesterday (and, for a newer database, today): the latest database, as the client requires. */
const DATA_AS_OF = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const NEWER_DATA = new Date().toISOString().slice(0, 10);

/**
 * Issue 79 §3 through the SDK (`client.rnd`): 10,000 numbers with consent dates against the RND
 * emulator — every number disconnected on or after its consent date refused, none other; each
 * number asked once (the emulator's record), in queries of at most 1,000; 429s and 5xx retried
 * without asking twice; every answer kept as evidence with the query date and the database's date.
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-rnd-"));
let emu: RunningRndEmulator;
const clients: CxoneClient[] = [];

function client(
  dataDir: string,
  extra: { maxAgeDays?: number; noData?: "allow" | "refuse" } = {},
): CxoneClient {
  const made = createClient({
    // No CXone request is made: the RND has its own connection.
    connection: { baseUrl: "http://127.0.0.1:9", clientId: "c", clientSecret: "s" },
    dataDir,
    http: { backoffBaseMs: 1, backoffCapMs: 5 },
    rnd: { url: emu.url, clientId: emu.fixtures.clientId, clientSecret: emu.fixtures.clientSecret, ...extra },
  });
  clients.push(made);
  return made;
}

beforeAll(async () => {
  emu = await startRndEmulator({ dataAsOf: DATA_AS_OF, seed: 79, disconnectRate: 0.2 });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await emu.close();
});

const truthOf = async (numbers: ReadonlyArray<{ phone: string }>) =>
  (await adminCall(emu.url, "POST", "/truth", { tns: numbers.map((n) => n.phone.slice(2)) })).numbers;

describe("client.rnd.check", () => {
  it("10,000 numbers: every one disconnected since its consent date refused, none other; each asked once", async () => {
    await adminCall(emu.url, "POST", "/reset");
    const numbers = rndNumbers();
    // A few by hand beside the seeded ones: disconnected the very day of consent, and the day before.
    await adminCall(emu.url, "POST", "/disconnects", {
      numbers: [
        { tn: numbers[10]!.phone.slice(2), disconnectedOn: numbers[10]!.consentDate },
        { tn: numbers[11]!.phone.slice(2), disconnectedOn: "2020-01-01" },
      ],
    });
    // Two 429s, then two 503s (one fault: the 429s go first), each retried.
    await adminCall(emu.url, "POST", "/faults", {
      group: "query",
      burst429: 2,
      retryAfter: 0,
      errorRate: 1,
      errorStatus: 503,
      count: 4,
    });
    const cxo = client(path.join(dir, "ten-thousand"));
    const result = await cxo.rnd.check({ numbers });

    const expected = mustRefuse(numbers, await truthOf(numbers));
    expect(expected.length).toBeGreaterThan(500);
    expect(expected).toContain(numbers[10]!.phone);
    const refused = result.verdicts
      .filter((v) => v.refused)
      .map((v) => v.phone)
      .sort();
    expect(refused).toEqual(expected);
    expect(result.verdicts.filter((v) => v.refused).every((v) => v.code === "rnd_reassigned")).toBe(true);
    expect(result).toMatchObject({
      numbers: 10_000,
      asked: 10_000,
      queries: 10,
      reused: 0,
      dataAsOf: DATA_AS_OF,
    });
    expect(result.noData).toBeGreaterThan(0); // consent dates before 2021-01-27 not in the database
    expect(
      result.verdicts.filter((v) => v.answer === "no-data").every((v) => !v.refused && !v.safeHarbor),
    ).toBe(true);

    const asked = await adminCall(emu.url, "GET", "/asked");
    expect(asked.total).toBe(10_000);
    expect(new Set(asked.asked.map((a: { tn: string }) => a.tn)).size).toBe(10_000);
    const queries = (await adminCall(emu.url, "GET", "/requests")).requests.filter(
      (r: { path: string }) => r.path === "/api/v1/queries",
    );
    expect(queries.filter((r: { status: number }) => r.status === 429)).toHaveLength(2);
    expect(queries.filter((r: { status: number }) => r.status === 503)).toHaveLength(2);

    // Asked again within maxAgeDays: every answer from the store, nothing sent.
    const again = await cxo.rnd.check({ numbers: numbers.slice(0, 2500) });
    expect(again).toMatchObject({ asked: 0, queries: 0, reused: 2500 });
    expect((await adminCall(emu.url, "GET", "/asked")).total).toBe(10_000);

    // The evidence: what was asked, when, of which database, and the answer.
    const evidence = await cxo.rnd.evidence({ phone: numbers[10]!.phone });
    expect(evidence.evidence).toHaveLength(1);
    expect(evidence.evidence[0]).toMatchObject({
      phone: numbers[10]!.phone,
      consentDate: numbers[10]!.consentDate,
      answer: "disconnected",
      dataAsOf: DATA_AS_OF,
      source: emu.url,
    });
    expect(Date.parse(evidence.evidence[0]!.askedAt)).toBeGreaterThan(Date.now() - 600_000);
  });

  it("maxAgeDays 0 asks again and keeps both answers; a newer database date is recorded", async () => {
    await adminCall(emu.url, "POST", "/reset");
    const cxo = client(path.join(dir, "again"), { maxAgeDays: 0 });
    const one = [{ phone: "+12025552001", consentDate: "2024-02-03" }];
    await cxo.rnd.check({ numbers: one });
    await adminCall(emu.url, "POST", "/database", { dataAsOf: NEWER_DATA });
    await adminCall(emu.url, "POST", "/disconnects", {
      numbers: [{ tn: "2025552001", disconnectedOn: "2026-11-01" }],
    });
    const second = await cxo.rnd.check({ numbers: one });
    expect(second.verdicts[0]).toMatchObject({
      answer: "disconnected",
      refused: true,
      dataAsOf: NEWER_DATA,
    });
    const { evidence } = await cxo.rnd.evidence({ phone: "+12025552001" });
    expect(evidence.map((e) => [e.answer, e.dataAsOf])).toEqual([
      ["not-disconnected", DATA_AS_OF],
      ["disconnected", NEWER_DATA],
    ]);
    await adminCall(emu.url, "POST", "/database", { dataAsOf: DATA_AS_OF });
  });

  it('noData: refuse refuses "no data" answers (rnd_no_data)', async () => {
    await adminCall(emu.url, "POST", "/reset");
    await adminCall(emu.url, "POST", "/disconnects", {
      numbers: [{ tn: "3035552999", disconnectedOn: null }],
    });
    const cxo = client(path.join(dir, "no-data"), { noData: "refuse" });
    const result = await cxo.rnd.check({ numbers: [{ phone: "+13035552999", consentDate: "2020-03-01" }] });
    expect(result.verdicts[0]).toMatchObject({ answer: "no-data", refused: true, code: "rnd_no_data" });
  });

  it("a number without a consent date is an InputError naming it; nothing asked or recorded", async () => {
    await adminCall(emu.url, "POST", "/reset");
    const cxo = client(path.join(dir, "bad"));
    const error = await cxo.rnd
      .check({
        numbers: [{ phone: "+13035552001", consentDate: "2024-01-01" }, { phone: "+13035552002" } as never],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual([
      expect.objectContaining({ field: "numbers[1].consentDate" }),
    ]);
    expect((error as InputError).code).toBe("invalid_input");
    expect((await adminCall(emu.url, "GET", "/requests")).requests).toEqual([]);
    expect((await cxo.rnd.evidence({ phone: "+13035552001" })).evidence).toEqual([]);
  });

  it("without rnd settings: a ConfigError before anything is read", async () => {
    const bare = createClient({
      connection: { baseUrl: "http://127.0.0.1:9", clientId: "c", clientSecret: "s" },
      dataDir: path.join(dir, "bare"),
    });
    clients.push(bare);
    const error = await bare.rnd
      .check({ numbers: [{ phone: "+13035552001", consentDate: "2024-01-01" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe("compliance.rnd.url");
  });
});

describe("client.rnd.check with a repeated number", () => {
  it("asks a number and consent date once, whatever the list repeats (maxAgeDays 0 included)", async () => {
    await adminCall(emu.url, "POST", "/reset");
    const cxo = client(path.join(dir, "repeats"), { maxAgeDays: 0 });
    const one = { phone: "+14155552001", consentDate: "2024-05-01" };
    const { checkReassigned } = await import("../../src/compliance/rnd/check-numbers.ts");
    const { connectRnd } = await import("../../src/platform/rnd/client.ts");
    const port = connectRnd(
      { url: emu.url, clientId: emu.fixtures.clientId, clientSecret: emu.fixtures.clientSecret },
      {
        http: {
          timeoutMs: 5000,
          maxAttempts: 2,
          deadlineMs: 10_000,
          backoffBaseMs: 1,
          backoffCapMs: 2,
          connections: 4,
          rateLimitScale: 1,
        },
      },
    );
    try {
      const { openStore } = await import("../../src/core/store/index.ts");
      const store = await openStore(path.join(dir, "repeats-store"));
      try {
        const result = await checkReassigned(
          store.db,
          port,
          [one, one, { ...one, phone: "+14155552002" }, one],
          {
            batchSize: 2,
            maxAgeDays: 0,
            noData: "allow",
          },
        );
        expect(result.verdicts).toHaveLength(4);
        expect(result.asked).toBe(2);
      } finally {
        await store.close();
      }
    } finally {
      await port.close();
    }
    expect((await adminCall(emu.url, "GET", "/asked")).total).toBe(2);
    await cxo.close();
  });
});
