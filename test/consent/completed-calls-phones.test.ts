import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completedCallsIn, keepCompletedCalls } from "../../src/consent/completed-calls.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import type { OutboundCall } from "../../src/platform/types.ts";

/**
 * A count that knows its numbers (a plan's) reads only their kept calls: the same calls, in the
 * same order, as reading the skill's whole window and keeping theirs — asked in batches under the
 * databases' parameter limits, and read whole past the bound where an IN list stops paying.
 */
let store: Store;
const BASE = Date.parse("2026-12-07T14:00:00Z");
const phoneOf = (i: number) => `+1312555${String(i).padStart(4, "0")}`;

beforeAll(async () => {
  store = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-completed-phones-")));
  // 6,000 numbers, each called once on skill 301 and every tenth also on skill 9 (another skill).
  const calls: OutboundCall[] = [];
  for (let i = 0; i < 6000; i++) {
    const at = new Date(BASE + ((i * 7919) % 6000) * 60_000).toISOString();
    calls.push({
      id: `c${i}`,
      campaignId: "301",
      startTime: at,
      phoneNumber: phoneOf(i),
      raw: { phoneNumber: phoneOf(i) },
    } as never);
    if (i % 10 === 0)
      calls.push({
        id: `o${i}`,
        campaignId: "9",
        startTime: at,
        phoneNumber: phoneOf(i),
        raw: { phoneNumber: phoneOf(i) },
      } as never);
  }
  await store.db.transaction(async (tx) => {
    await keepCompletedCalls(tx, calls);
  });
});
afterAll(async () => store.close());

const window = { fromMs: BASE - 1, toMs: BASE + 6000 * 60_000 };

describe("the kept completed calls of a count's numbers", () => {
  it("are those of the whole read to those numbers, oldest first, across batches", async () => {
    const numbers = new Set(Array.from({ length: 1234 }, (_, k) => phoneOf(k * 4)));
    const whole = await completedCallsIn(store.db, ["301"], window);
    expect(whole).toHaveLength(6000);
    const asked = await completedCallsIn(store.db, ["301"], window, numbers);
    expect(asked).toEqual(whole.filter((c) => numbers.has(c.phone)));
    expect(asked).toHaveLength(1234);
    expect(asked.map((c) => c.startMs)).toEqual([...asked.map((c) => c.startMs)].sort((a, b) => a - b));
  });

  it("keep to the skills and the window asked", async () => {
    const numbers = new Set([phoneOf(0), phoneOf(10), phoneOf(11)]);
    const asked = await completedCallsIn(store.db, ["9"], window, numbers);
    expect(asked.map((c) => c.contactId).sort()).toEqual(["o0", "o10"]);
    const none = await completedCallsIn(store.db, ["301"], { fromMs: 0, toMs: BASE - 1 }, numbers);
    expect(none).toEqual([]);
    expect(await completedCallsIn(store.db, ["301"], window, new Set())).toEqual([]);
  });

  it("past the bound of numbers asked by name, read the window whole and keep theirs", async () => {
    const numbers = new Set(Array.from({ length: 5500 }, (_, k) => phoneOf(k)));
    const asked = await completedCallsIn(store.db, ["301"], window, numbers);
    const whole = await completedCallsIn(store.db, ["301"], window);
    expect(asked).toEqual(whole.filter((c) => numbers.has(c.phone)));
    expect(asked).toHaveLength(5500);
  });

  it("a call with an agent is a conversation; agent 0 (CXone's and the seed API's none) or no agent is not", async () => {
    const own = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-completed-agent-")));
    try {
      const call = (id: string, agentId: string | undefined, i: number) =>
        ({
          id,
          campaignId: "301",
          startTime: new Date(BASE + i * 60_000).toISOString(),
          phoneNumber: phoneOf(i),
          ...(agentId === undefined ? {} : { agentId }),
          raw: {},
        }) as never;
      await own.db.transaction(async (tx) => {
        await keepCompletedCalls(tx, [
          call("a", "1042", 1),
          call("b", "0", 2),
          call("c", undefined, 3),
          call("d", "", 4),
        ]);
      });
      const kept = await completedCallsIn(own.db, ["301"], window);
      expect(Object.fromEntries(kept.map((c) => [c.contactId, c.conversation]))).toEqual({
        a: true,
        b: false,
        c: false,
        d: false,
      });
    } finally {
      await own.close();
    }
  });
});
