import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningRndEmulator, startRndEmulator } from "../../src/emulator/rnd/index.ts";
import { type CxoneClient, createClient, type ListRow } from "../../src/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * What `cxo strategy plan` needs of `client.strategy.plan` to run through it: a list read more
 * than once without being held (a function answering a fresh read: the RND asked first, then the
 * plan), its accounts checked before anything is sent, each row stamped with its campaign, the
 * answer naming what the report needs, a sink the plan waits on, a history's summary where the
 * CLI's file summary stands.
 */
const DATA_AS_OF = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const root = mkdtempSync(path.join(tmpdir(), "cxo-plan-stream-"));
const model = buildModel(new SlotCounts(), { campaign: "C1" });
const params = { from: "2026-12-01T08:00:00-05:00", days: 2 };
let emu: RunningRndEmulator;
const clients: CxoneClient[] = [];

beforeAll(async () => {
  emu = await startRndEmulator({ dataAsOf: DATA_AS_OF, disconnectRate: 0 });
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await emu?.close();
});

const rndClient = (name: string) => {
  const client = createClient({
    dataDir: path.join(root, name),
    rnd: { url: emu.url, clientId: emu.fixtures.clientId, clientSecret: emu.fixtures.clientSecret },
  });
  clients.push(client);
  return client;
};

/** `n` records, each its own number and debt; every third with a consent date. */
function* rows(n: number, extra: (i: number) => Partial<ListRow> = () => ({})): Generator<ListRow> {
  for (let i = 0; i < n; i++)
    yield {
      recordId: `r${i}`,
      phone: `+1305555${String(1000 + (i % 9000)).padStart(4, "0")}`,
      consent: true,
      accountId: `A${i}`,
      ...(i % 3 === 0 ? { columns: { consentDate: "2024-03-01" } } : {}),
      ...extra(i),
    };
}

describe("client.strategy.plan as the CLI's plan", () => {
  it("streams a list given as a function: read for the RND, then again to plan, none of it held", async () => {
    let reads = 0;
    let live = 0;
    let most = 0;
    const list = () => {
      reads++;
      return (async function* () {
        live++;
        most = Math.max(most, live);
        try {
          yield* rows(12_000);
        } finally {
          live--;
        }
      })();
    };
    const answer = await rndClient("stream").strategy.plan(list, model, { ...params, onBatch: () => {} });
    expect(reads).toBeGreaterThanOrEqual(3); // the accounts' check, the RND, the plan
    expect(most).toBe(1); // one read at a time: none kept open while another runs
    expect(answer.rows).toEqual([]);
    expect(answer.summary.records).toBe(12_000);
    expect(answer.rnd).toMatchObject({ numbers: 3_000, withoutConsentDate: 8_000 });
  });

  it("checks a streamed list's accounts before anything is sent: exit before the RND is asked", async () => {
    await adminCall(emu.url, "POST", "/reset");
    const list = () => rows(20, (i) => (i === 7 ? { accountId: undefined } : {}));
    const refused = await rndClient("check")
      .strategy.plan(list, model, { ...params, kind: "collections" })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "invalid_input", problems: [{ field: "accountId", row: 8 }] });
    const long = () => rows(3, (i) => (i === 2 ? { accountId: "x".repeat(129) } : {}));
    const tooLong = await rndClient("check")
      .strategy.plan(long, model, { ...params, kind: "collections" })
      .catch((error: unknown) => error);
    expect(tooLong).toMatchObject({ problems: [{ field: "accountId", row: 3 }] });
    expect((await adminCall(emu.url, "GET", "/requests")).requests).toEqual([]);
  });

  it("stamps each row with its campaign and answers the campaign, the horizon and the RND's counts", async () => {
    const answer = await rndClient("answer").strategy.plan([...rows(6)], model, params);
    expect(answer.rows.length).toBeGreaterThan(0);
    expect(new Set(answer.rows.map((row) => row.campaign))).toEqual(new Set(["C1"]));
    expect(answer).toMatchObject({ campaign: "C1", from: "2026-12-01T13:00:00.000Z", days: 2 });
    expect(answer.rnd).toMatchObject({ numbers: 2, asked: 2, refused: 0, withoutConsentDate: 4 });
    expect(answer.campaignName).toBeUndefined();
  });

  it("waits on its sink: no batch (or row) is planned while the last one is still being written", async () => {
    const client = rndClient("sink");
    const overlaps: number[] = [];
    let busy = false;
    let batches = 0;
    const write = async () => {
      if (busy) overlaps.push(batches);
      busy = true;
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
      busy = false;
    };
    const byBatch = await client.strategy.plan([...rows(12_000)], model, {
      ...params,
      onBatch: async (planned) => {
        batches++;
        expect(planned.length).toBeGreaterThan(0);
        await write();
      },
    });
    expect(batches).toBeGreaterThanOrEqual(2);
    let each = 0;
    await client.strategy.plan([...rows(50)], model, {
      ...params,
      onRow: async () => {
        each++;
        await write();
      },
    });
    expect(each).toBeGreaterThan(0);
    expect(overlaps).toEqual([]);
    expect(byBatch.rows).toEqual([]);
  });

  it("a history file is read once for the attempts and the lift: the summary says both, as the CLI prints them", async () => {
    const file = path.join(root, "history.ndjson");
    // 40 days of one number's calls to campaign C1, the evening's answered: 28 are the fewest the lift needs.
    const lines: string[] = [];
    for (let day = 0; day < 40; day++)
      for (const hour of [14, 17, 22]) {
        const at = new Date(Date.UTC(2026, 9, 1 + day, hour, 5)).toISOString();
        const answered = hour === 22 || day % 5 === 0;
        lines.push(
          JSON.stringify({
            campaignId: "C1",
            startTime: at,
            phoneNumber: "+13055550100",
            dispositionCode: answered ? "CONVERTED" : "NO_ANSWER",
            agentId: answered ? "A1" : null,
          }),
        );
      }
    writeFileSync(file, `${lines.join("\n")}\n`);
    const client = rndClient("history-file");
    const answer = await client.strategy.plan([...rows(3)], model, { ...params, history: { file } });
    expect(answer.summary.history).toEqual({ source: "file", file, attempts: 120 });
    expect(answer.summary.expectedLift).toMatchObject({ estimated: true, heldOut: { days: 14 } });
    // Last in the summary, where the CLI's --json has it.
    expect(Object.keys(answer.summary).at(-1)).toBe("expectedLift");
    const none = await client.strategy.plan([...rows(3)], model, params);
    expect(none.summary.expectedLift).toMatchObject({ estimated: false });
    expect(none.summary.expectedLift.headline).toMatch(/no outcome history given: `history` FILE/);
    const missing = await client.strategy
      .plan([...rows(3)], model, { ...params, history: { file: path.join(root, "none.ndjson") } })
      .catch((error: unknown) => error);
    expect(missing).toMatchObject({ code: "invalid_input", problems: [{ field: "history" }] });
    const odd = await client.strategy
      .plan([...rows(3)], model, { ...params, history: { path: file } as never })
      .catch((error: unknown) => error);
    expect(odd).toMatchObject({ code: "invalid_input", problems: [{ field: "history" }] });
  });

  it("a given history's summary stands before staleMinutes, where the CLI's history file's stands", async () => {
    const answer = await rndClient("history").strategy.plan([...rows(3)], model, { ...params, history: [] });
    const keys = Object.keys(answer.summary);
    expect(keys.indexOf("history")).toBeGreaterThan(-1);
    expect(keys.indexOf("history")).toBeLessThan(keys.indexOf("staleMinutes"));
  });
});
