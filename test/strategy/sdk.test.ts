import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { createClient, InputError } from "../../src/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { eveningHistory } from "../support/evening-history.ts";

/** `client.strategy.learn` and `.plan`: local work, one trailing RequestOptions, InputError naming the field. */
let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = (await startEmulator({ port: 0, calls: 20, metricsIntervalMs: 0 })) as RunningEmulator;
});
afterAll(() => emulator.close());

function client() {
  const admin = emulator.fixtures.clients[0]!;
  return createClient({
    connection: { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-strategy-sdk-")),
  });
}

const history = eveningHistory;

const fieldOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).problems[0]?.field;
};

describe("client.strategy.learn and plan", () => {
  it("learn from records, then plan a list at the evening the model learned, writing nothing", async () => {
    const c = client();
    // Planning reads the campaign's hours from the platform (issue 76 §2), and writes nothing.
    const writes = async () =>
      (
        (await adminCall(emulator.url, "GET", "/requests")).requests as Array<{
          method: string;
          group?: string;
        }>
      ).filter((r) => r.method !== "GET" && r.group !== "token").length;
    const before = await writes();
    try {
      const model = await c.strategy.learn(history(), { campaign: "C1" });
      expect(model.learnedFrom.records).toBe(28 * 13);
      const rows: unknown[] = [];
      const answer = await c.strategy.plan(
        [{ recordId: "r1", phone: "+13055552100", consent: true }],
        model,
        { from: "2026-03-02T00:00:00-05:00", days: 2, campaign: "C1", onRow: (row) => rows.push(row) },
      );
      expect(answer.rows).toEqual([]);
      expect(answer.summary).toMatchObject({ records: 1, planned: 1 });
      // 18:00 on a weekday of the horizon: every weekday evening learned alike (weekday hours pool)
      expect(rows).toMatchObject([
        { recordId: "r1", attemptAt: expect.stringMatching(/^2026-03-0[23]T18:00:00-05:00$/) },
      ]);
      const kept = await c.strategy.plan([{ recordId: "r1", phone: "+13055552100", consent: true }], model, {
        from: "2026-03-02T00:00:00-05:00",
        days: 2,
      });
      expect(kept.rows).toEqual(rows);
    } finally {
      await c.close();
    }
    expect(await writes()).toBe(before);
    // The first plan read agents' do-not-call dispositions (issue 77 §3); nothing was written.
    const reads = (await adminCall(emulator.url, "GET", "/requests")).requests as Array<{ path: string }>;
    expect(reads.some((r) => r.path === "/api/v2/outbound/calls")).toBe(true);
  });

  it("bad input is an InputError naming the field, before any row is planned", async () => {
    const c = client();
    try {
      const model = await c.strategy.learn(history(), { campaign: "C1" });
      const list = [{ recordId: "r1", phone: "+13055552100" }];
      const from = "2026-03-02T00:00:00-05:00";
      expect(await fieldOf(c.strategy.learn(42 as never, { campaign: "C1" }))).toBe("records");
      expect(await fieldOf(c.strategy.learn(history(), {} as never))).toBe("campaign");
      expect(await fieldOf(c.strategy.plan(null as never, model, { from, days: 1 }))).toBe("list");
      expect(await fieldOf(c.strategy.plan(list, { version: 1 } as never, { from, days: 1 }))).toMatch(
        /^model/,
      );
      expect(await fieldOf(c.strategy.plan(list, model, { from, days: 1, campaign: "C2" }))).toBe(
        "model.campaign",
      );
      expect(await fieldOf(c.strategy.plan(list, model, { from: "2026-03-02T00:00:00", days: 1 }))).toBe(
        "from",
      );
      expect(await fieldOf(c.strategy.plan(list, model, { from, days: 0 }))).toBe("days");
    } finally {
      await c.close();
    }
  });

  it("an aborted signal stops it", async () => {
    const c = client();
    try {
      const controller = new AbortController();
      controller.abort(new Error("stop"));
      await expect(
        c.strategy.learn(history(), { campaign: "C1" }, { signal: controller.signal }),
      ).rejects.toThrow("stop");
    } finally {
      await c.close();
    }
  });
});
