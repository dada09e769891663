import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type RunningRndEmulator, startRndEmulator } from "../../src/emulator/rnd/index.ts";
import { type CxoneClient, createClient } from "../../src/index.ts";
import { UnreadableAnswerError } from "../../src/platform/errors.ts";
import { readReply } from "../../src/platform/rnd/client.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { createTestDatabase } from "../support/postgres-server.ts";
import { mustRefuse, rndNumbers } from "./rnd-numbers.ts";

/** The RND's data as of yesterday (and, for a newer database, today): the latest database, as the client requires. */
const DATA_AS_OF = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/**
 * Issue 79 §3 on the PostgreSQL store (the same evidence and query tables, migration 10), and the
 * RND client's reading of an answer: one it cannot read fails naming the route, never taken as
 * "not disconnected" (round-7 contract).
 */
let emu: RunningRndEmulator;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let client: CxoneClient;

beforeAll(async () => {
  [emu, database] = await Promise.all([
    startRndEmulator({ dataAsOf: DATA_AS_OF, seed: 5, disconnectRate: 0.2 }),
    createTestDatabase(inject("pgUrl"), "cxo_rnd"),
  ]);
  client = createClient({
    connection: { baseUrl: "http://127.0.0.1:9", clientId: "c", clientSecret: "s" },
    databaseUrl: database.url,
    rnd: {
      url: emu.url,
      clientId: emu.fixtures.clientId,
      clientSecret: emu.fixtures.clientSecret,
      batchSize: 250,
    },
  });
});
afterAll(async () => {
  await client?.close();
  await emu?.close();
  await database?.drop();
});

describe("the RND on PostgreSQL", () => {
  it("1,000 numbers in queries of 250: refusals match the database, answers reused on a second run", async () => {
    const numbers = rndNumbers(1000);
    const result = await client.rnd.check({ numbers });
    const truth = (await adminCall(emu.url, "POST", "/truth", { tns: numbers.map((n) => n.phone.slice(2)) }))
      .numbers;
    expect(
      result.verdicts
        .filter((v) => v.refused)
        .map((v) => v.phone)
        .sort(),
    ).toEqual(mustRefuse(numbers, truth));
    expect(result).toMatchObject({ queries: 4, asked: 1000 });
    expect(await client.rnd.check({ numbers })).toMatchObject({ queries: 0, reused: 1000 });
    const { evidence } = await client.rnd.evidence({ phone: numbers[0]!.phone });
    expect(evidence).toHaveLength(1);
  });
});

describe("reading the RND's answer", () => {
  const questions = [{ phone: "+13035552001", consentDate: "2024-01-01" }];
  it.each([
    ["no results array", { dataAsOf: DATA_AS_OF }],
    ["no database date", { results: [{ tn: "3035552001", date: "2024-01-01", result: "no" }] }],
    ["a number left out", { dataAsOf: DATA_AS_OF, results: [] }],
    [
      "an unknown result",
      { dataAsOf: DATA_AS_OF, results: [{ tn: "3035552001", date: "2024-01-01", result: "maybe" }] },
    ],
  ])("%s: UnreadableAnswerError naming the route", (_what, body) => {
    expect(() => readReply(body, questions)).toThrow(UnreadableAnswerError);
    expect(() => readReply(body, questions)).toThrow(/POST \/api\/v1\/queries/);
  });

  it('reads "yes", "no" and "no data" into the port\'s answers', () => {
    const reply = readReply(
      {
        queryId: "q-1",
        dataAsOf: DATA_AS_OF,
        results: [
          { tn: "3035552002", date: "2020-01-01", result: "no data" },
          { tn: "3035552001", date: "2024-01-01", result: "YES" },
        ],
      },
      [...questions, { phone: "+13035552002", consentDate: "2020-01-01" }],
    );
    expect(reply.answers.map((a) => a.answer)).toEqual(["disconnected", "no-data"]);
  });
});
