import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import * as sdk from "../../src/index.ts";
import {
  type CanonicalRecord,
  CSV_HEADER,
  canonicalRecord,
  csvRows,
} from "../../src/outcomes/record-format.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * `strategy.learn` and `strategy.evaluate` read their own sources (review 8 gap 4): an outcomes
 * export's file (`{ file }`, NDJSON or CSV, read as `strategy.plan`'s `history: { file }` is) and
 * a campaign's outcomes from CXone (`{ campaignId, from, to }`, through the client's own
 * `outcomes.list`), with the model and the evaluation those records give when handed in; bad
 * input an InputError naming the SDK's field, nothing sent.
 */
let emulator: RunningEmulator;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-strategy-sources-"));
const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 5);

beforeAll(async () => {
  emulator = (await startEmulator({ port: 0, calls: 300, metricsIntervalMs: 0 })) as RunningEmulator;
  writeFileSync(
    ndjson,
    `${records()
      .map((r) => JSON.stringify(r))
      .join("\n")}\n`,
  );
  writeFileSync(csv, `${CSV_HEADER}${csvRows(records() as unknown as CanonicalRecord[])}`);
});
afterAll(() => emulator.close());

const ndjson = path.join(dir, "history.ndjson");
const csv = path.join(dir, "history.csv");

function client(): sdk.CxoneClient {
  const admin = emulator.fixtures.clients[0]!;
  return sdk.createClient({
    connection: { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
    dataDir: mkdtempSync(path.join(dir, "data-")),
  });
}
const local = () => sdk.createClient({ dataDir: mkdtempSync(path.join(dir, "local-")) });

/** 50 days of one call an hour to Miami and Dallas numbers, answered at 18:00 UTC only (as an export writes them). */
function records(): sdk.OutcomeRecord[] {
  return Array.from({ length: 50 * 24 }, (_, i) => {
    const rpc = i % 24 === 18 && i % 3 !== 0;
    return canonicalRecord({
      id: `call-${i}`,
      campaignId: "C1",
      startTime: new Date(START + i * 3_600_000).toISOString(),
      phoneNumber: `+1${i % 2 === 0 ? "305" : "214"}555${String(2000 + (i % 300)).padStart(4, "0")}`,
      dispositionCode: rpc ? "CONVERTED" : "NO_ANSWER",
      agentId: rpc ? "A1" : null,
      durationSeconds: rpc ? 120 : 0,
    }) as unknown as sdk.OutcomeRecord;
  });
}

const failureOf = (call: () => Promise<unknown>): Promise<unknown> =>
  call().then(
    () => undefined,
    (error: unknown) => error,
  );
const problemsOf = (error: unknown) => {
  expect(error).toBeInstanceOf(sdk.InputError);
  return (error as sdk.InputError).problems.map((p) => ({ field: p.field, rule: p.rule }));
};

const LEARNED_TO = new Date(START + 35 * DAY).toISOString();

describe("strategy.learn and evaluate on { file }", () => {
  it("learn reads an NDJSON or CSV export into the model its records give", async () => {
    await using c = local();
    const params = { campaign: "C1", to: LEARNED_TO };
    const given = await c.strategy.learn(records(), params);
    expect(given.learnedFrom.records).toBeGreaterThan(0);
    expect(await c.strategy.learn({ file: ndjson }, params)).toEqual(given);
    expect(await c.strategy.learn({ file: csv }, params)).toEqual(given);
  });

  it("evaluate reads the history from its file: the evaluation of the same records", async () => {
    await using c = local();
    const model = await c.strategy.learn(records(), { campaign: "C1", to: LEARNED_TO });
    const params = { holdoutDays: 14 };
    const given = await c.strategy.evaluate(records(), model, params);
    expect(given.attempts).toBeGreaterThan(0);
    expect(await c.strategy.evaluate({ file: ndjson }, model, params)).toEqual(given);
    expect(await c.strategy.evaluate({ file: csv }, model, params)).toEqual(given);
  });

  it("a missing or empty file, or a source of no kind, is an InputError naming the SDK's field", async () => {
    await using c = local();
    const missing = path.join(dir, "missing.ndjson");
    const model = await c.strategy.learn(records(), { campaign: "C1", to: LEARNED_TO });
    expect(
      problemsOf(await failureOf(() => c.strategy.learn({ file: missing }, { campaign: "C1" }))),
    ).toEqual([{ field: "file", rule: `file ${missing} does not exist` }]);
    expect(
      problemsOf(await failureOf(() => c.strategy.evaluate({ file: missing }, model, { holdoutDays: 14 }))),
    ).toEqual([{ field: "history", rule: `file ${missing} does not exist` }]);
    expect(
      problemsOf(await failureOf(() => c.strategy.learn({ file: "" }, { campaign: "C1" })))[0]?.field,
    ).toBe("file");
    // Not a source at all: named, never a TypeError from inside the evaluation.
    const none = 42 as unknown as sdk.OutcomeRecordsSource;
    expect(
      problemsOf(await failureOf(() => c.strategy.evaluate(none, model, { holdoutDays: 14 })))[0]?.field,
    ).toBe("history");
    expect(problemsOf(await failureOf(() => c.strategy.learn(none, { campaign: "C1" })))[0]?.field).toBe(
      "records",
    );
  });
});

describe("strategy.learn and evaluate on { campaignId, from, to }", () => {
  const campaign = () => emulator.fixtures.campaigns.find((c) => c.callCount > 0)!;
  const window = () => ({
    from: emulator.fixtures.callWindow.start,
    to: new Date(Date.parse(emulator.fixtures.callWindow.end) - 60_000).toISOString(),
  });
  /** The campaign's outcomes as a caller had to build them: `outcomes.list`, each call's record. */
  async function listed(c: sdk.CxoneClient): Promise<sdk.OutcomeRecord[]> {
    const out: sdk.OutcomeRecord[] = [];
    for await (const call of c.outcomes.list({ campaignId: campaign().id, ...window() }))
      out.push(canonicalRecord(call.raw) as unknown as sdk.OutcomeRecord);
    return out;
  }

  it("learn reads the campaign's outcomes through outcomes.list: learned for it over its window", async () => {
    await using c = client();
    const source = { campaignId: campaign().id, ...window() };
    const model = await c.strategy.learn(source, { campaign: campaign().id });
    const given = await c.strategy.learn(await listed(c), {
      campaign: campaign().id,
      ...window(),
      source: "campaign",
    });
    expect(given.learnedFrom.records).toBeGreaterThan(0);
    expect(model).toEqual(given);
    expect(model.learnedFrom).toMatchObject({ source: "campaign", from: window().from, to: window().to });
  });

  it("evaluate reads the campaign's outcomes as its history", async () => {
    await using c = client();
    const { from, to } = window();
    const model = await c.strategy.learn(
      { campaignId: campaign().id, from, to: new Date(Date.parse(to) - 40 * DAY).toISOString() },
      { campaign: campaign().id },
    );
    const params = { holdoutDays: 14 };
    const given = await c.strategy.evaluate(await listed(c), model, params);
    expect(await c.strategy.evaluate({ campaignId: campaign().id, from, to }, model, params)).toEqual(given);
  });

  it("a bad query, or another campaign than params.campaign, is an InputError before anything is sent", async () => {
    await using c = client();
    await c.outcomes.list({ campaignId: campaign().id, ...window() }).toArray(); // token fetched
    await adminCall(emulator.url, "DELETE", "/requests");
    const other = problemsOf(
      await failureOf(() =>
        c.strategy.learn({ campaignId: campaign().id, ...window() }, { campaign: "another" }),
      ),
    );
    expect(other[0]?.field).toBe("campaignId");
    expect(other[0]?.rule).toMatch(/every record would be skipped/);
    const naive = problemsOf(
      await failureOf(() =>
        c.strategy.learn(
          { campaignId: campaign().id, from: "2026-01-01T00:00:00", to: window().to },
          { campaign: campaign().id },
        ),
      ),
    );
    expect(naive[0]?.field).toBe("from");
    const log = (await adminCall(emulator.url, "GET", "/requests")) as { requests: unknown[] };
    expect(log.requests).toEqual([]);
  });

  it("without a connection the campaign cannot be read: the listing's ConnectionMissingError", async () => {
    await using c = local();
    const error = await failureOf(() =>
      c.strategy.learn({ campaignId: "C1", ...window() }, { campaign: "C1" }),
    );
    // The client's own outcomes listing says why (old: refused as not records).
    expect(error).toBeInstanceOf(sdk.ConnectionMissingError);
  });
});

describe("strategy.learn's window", () => {
  it("from and to are instants with a zone, real dates, from before to: an InputError naming the field before a record is read", async () => {
    const cxo = local();
    try {
      let read = 0;
      const records = (async function* () {
        read++;
        yield* [];
      })();
      for (const [window, field] of [
        [{ from: "2026-01-05T00:00:00" }, "from"], // no zone: read in the machine's zone before
        [{ to: "2026-13-45T00:00:00Z" }, "to"], // no such date: NaN, then a raw RangeError before
        [{ from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }, "from"],
      ] as const) {
        const error = await failureOf(() => cxo.strategy.learn(records, { campaign: "C1", ...window }));
        expect(error).toBeInstanceOf(sdk.InputError);
        expect(problemsOf(error).map((p) => p.field)).toEqual([field]);
      }
      expect(read).toBe(0);
    } finally {
      await cxo.close();
    }
  });
});
