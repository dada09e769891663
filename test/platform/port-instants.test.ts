import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CxoneClient, clientOptionsFromSettings, createClient } from "../../src/client.ts";
import { loadSettings } from "../../src/core/config/index.ts";
import { InputError } from "../../src/core/input-error.ts";
import { zonedInstantProblem } from "../../src/core/instant-input.ts";
import { type RunningCxoneEmulator, type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { portOf } from "../../src/internal.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * The ports' own query readers keep the one rule for a date-time with a zone
 * (src/core/instant-input.ts): a caller of the raw port (`portOf`) that gives a bad `from`, `to`
 * or `updatedSince` meets an InputError naming the field in the rule's words, and nothing is sent
 * (no token, no skill check, no listing). The SDK checks first; these readers used to have rules
 * of their own (Date.parse: February 30th read as 2 March, a time without a zone read in the
 * machine's zone, `+02` refused).
 */
const HTTP = { backoffBaseMs: 5, backoffCapMs: 50, rateLimitScale: 100, timeoutMs: 10_000 };

/** Date.parse takes the first two (the second as 2 March); the third is no date-time at all. */
const BAD = ["2026-03-01T09:00:00", "2026-02-30T00:00:00Z", "yesterday"];
const GOOD = "2026-03-01T00:00:00Z";

type Logged = { method: string; path: string; query?: Record<string, string> };
const requestLog = async (url: string) =>
  ((await adminCall(url, "GET", "/requests")) as { requests: Logged[] }).requests;

/** Runs `call`, and answers its InputError and the requests the emulator received meanwhile. */
async function refusal(url: string, call: () => Promise<unknown>) {
  const before = (await requestLog(url)).length;
  const error = await call().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  const sent = (await requestLog(url)).slice(before);
  return { error, sent };
}

function expectRuleRefusal(error: unknown, field: string, value: string): void {
  expect(error).toBeInstanceOf(InputError);
  const problems = (error as InputError).problems;
  expect(problems).toContainEqual({ field, rule: zonedInstantProblem(value) });
  expect((error as InputError).message).toContain(`${field}: ${zonedInstantProblem(value)}`);
}

describe("the production API's port reads its query instants by the one rule", () => {
  let emulator: RunningCxoneEmulator;
  let client: CxoneClient;
  let skillId = "";
  beforeAll(async () => {
    emulator = (await startEmulator({
      platform: "cxone",
      port: 0,
      seed: 61,
      contacts: 200,
    })) as RunningCxoneEmulator;
    skillId = String(
      emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isActive)!
        .skillId,
    );
    const env = {
      ...accessKeyEnv(emulator),
      CXO_DATA_DIR: mkdtempSync(path.join(tmpdir(), "cxo-port-instants-")),
    };
    const options = clientOptionsFromSettings(loadSettings({ cwd: "/nonexistent", env }));
    client = createClient({ ...options, http: { ...options.http, ...HTTP } });
  });
  afterAll(async () => {
    await client.close();
    await emulator.close();
  });

  it.each(BAD)(
    "outcomes.changedCalls / changedCallPages refuse updatedSince %j, nothing sent",
    async (bad) => {
      const port = portOf(client).outcomes;
      for (const call of [
        () => port.changedCalls({ campaignId: skillId, updatedSince: bad }).next(),
        () => port.changedCallPages({ updatedSince: bad }).next(),
      ]) {
        const { error, sent } = await refusal(emulator.url, call);
        expectRuleRefusal(error, "updatedSince", bad);
        expect(sent).toEqual([]);
      }
    },
  );

  it.each(BAD)("outcomes.listCalls refuses from or to %j, nothing sent", async (bad) => {
    const port = portOf(client).outcomes;
    for (const [field, query] of [
      ["from", { campaignId: skillId, from: bad, to: GOOD }],
      ["to", { campaignId: skillId, from: GOOD, to: bad }],
    ] as const) {
      const { error, sent } = await refusal(emulator.url, async () => port.listCalls(query).toArray());
      expectRuleRefusal(error, field, bad);
      expect(sent).toEqual([]);
    }
  });

  it("outcomes.listCalls names both bad bounds at once", async () => {
    const port = portOf(client).outcomes;
    const query = { campaignId: skillId, from: BAD[0]!, to: BAD[1]! };
    const { error } = await refusal(emulator.url, async () => port.listCalls(query).toArray());
    expect((error as InputError).problems.map((p) => p.field)).toEqual(["from", "to"]);
  });

  it.each(BAD)("dialer.metrics refuses from or to %j, nothing sent", async (bad) => {
    const port = portOf(client).dialer;
    for (const [field, query] of [
      ["from", { campaignId: skillId, metrics: ["answerRate"] as const, from: bad }],
      ["to", { campaignId: skillId, metrics: ["answerRate"] as const, to: bad }],
    ] as const) {
      const { error, sent } = await refusal(emulator.url, async () => port.metrics(query).toArray());
      expectRuleRefusal(error, field, bad);
      expect(sent).toEqual([]);
    }
  });

  it.each(BAD)("lists.attemptPages refuses updatedSince %j, nothing sent", async (bad) => {
    const lists = portOf(client).lists!;
    const { error, sent } = await refusal(emulator.url, () =>
      lists.attemptPages("12345", { updatedSince: bad }).next(),
    );
    expectRuleRefusal(error, "updatedSince", bad);
    expect(sent).toEqual([]);
  });

  it.each(["2026-W10-1T09:00Z", ...BAD])(
    "lists.pushTimed refuses a record's callAt %j before anything is sent (no list made)",
    async (bad) => {
      const lists = portOf(client).lists!;
      const good = { phone: "+13125550101", staleMinutes: 60, score: 1, timeZone: "America/Chicago" };
      const request = {
        listName: `port-instants-${bad}`,
        campaignId: skillId,
        records: [
          { ...good, externalId: "r1", callAt: "2026-03-02T09:00:00-06:00" },
          { ...good, externalId: "r2", callAt: bad },
        ],
        expiresAt: "2026-03-09T00:00:00Z",
      };
      const { error, sent } = await refusal(emulator.url, () => lists.pushTimed(request));
      expectRuleRefusal(error, "record r2: callAt", bad);
      expect(sent).toEqual([]);
    },
  );

  it("an offset the rule takes and Date.parse did not (+02) is read, and sent as UTC", async () => {
    const before = (await requestLog(emulator.url)).length;
    await portOf(client)
      .outcomes.changedCalls({ campaignId: skillId, updatedSince: "2026-03-01T09:00:00+02" })
      .next();
    const listing = (await requestLog(emulator.url))
      .slice(before)
      .find((r) => r.path.endsWith("/contacts/completed"));
    expect(listing?.query?.updatedSince).toBe("2026-03-01T07:00:00.000Z");
  });
});

describe("the seed API's port reads its query instants by the same rule", () => {
  let emulator: RunningEmulator;
  let client: CxoneClient;
  let campaignId = "";
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 61, calls: 200, rateLimitScale: 50 });
    campaignId = emulator.fixtures.campaigns[0]!.id;
    const { clientId, clientSecret } = emulator.fixtures.clients[0]!;
    client = createClient({ connection: { baseUrl: emulator.url, clientId, clientSecret }, http: HTTP });
  });
  afterAll(async () => {
    await client.close();
    await emulator.close();
  });

  it.each(BAD)("outcomes.listCalls and dialer.metrics refuse %j, nothing sent", async (bad) => {
    const port = portOf(client);
    const calls = [
      ["from", () => port.outcomes.listCalls({ campaignId, from: bad, to: GOOD }).toArray()],
      ["to", () => port.outcomes.listCalls({ campaignId, from: GOOD, to: bad }).toArray()],
      ["from", () => port.dialer.metrics({ campaignId, metrics: ["answerRate"], from: bad }).toArray()],
      ["to", () => port.dialer.metrics({ campaignId, metrics: ["answerRate"], to: bad }).toArray()],
    ] as const;
    for (const [field, call] of calls) {
      const { error, sent } = await refusal(emulator.url, async () => call());
      expectRuleRefusal(error, field, bad);
      expect(sent).toEqual([]);
    }
  });
});
