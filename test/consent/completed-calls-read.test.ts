import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { completedCallsIn, completedCallsKept } from "../../src/consent/completed-calls.ts";
import {
  type DispositionReader,
  FIRST_READ_MS,
  readDncDispositions,
  unfinishedRead,
} from "../../src/consent/cxone-dispositions.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { UnreadableAnswerError } from "../../src/platform/errors.ts";
import type { CxonePort } from "../../src/platform/port.ts";
import type { ChangedCallsEnd, ChangedCallsPage, ChangedCallsQuery } from "../../src/platform/types.ts";
import { accessKeySettings } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";

/**
 * Issue 100 §3: CXone's completed contacts are read once, tenant-wide and incrementally, at the
 * largest page the tenant answers, into the store every count of a debt's calls reads; the read
 * keeps its progress page by page, so one that is killed (cron's timeout during a first read of
 * 30 days) resumes where it stopped; a page CXone answers unreadably fails the read, keeping what
 * came before it.
 */
let emulator: RunningCxoneEmulator;
let client: InternalClient;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-completed-read-"));
const stores: Store[] = [];

interface Logged {
  path: string;
  query: Record<string, string>;
}
const completedRequests = async (): Promise<Logged[]> =>
  ((await adminCall(emulator.url, "GET", "/requests")) as { requests: Logged[] }).requests.filter((r) =>
    r.path.endsWith("/contacts/completed"),
  );

async function freshStore(name: string): Promise<Store> {
  const store = await openStore(path.join(dir, name));
  stores.push(store);
  return store;
}

const readerOf = (store: Store, port: CxonePort = client.port): DispositionReader => ({
  port,
  store,
  matrixOf: async () => null,
  actor: "test",
  cxoneGroupId: undefined,
});

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 100,
    contacts: 3000,
    days: 30,
    history: "any-hour",
  })) as RunningCxoneEmulator;
  // Pages of 700 whatever is asked (a tenant's own cap, clamped): several pages from a small warehouse.
  await adminCall(emulator.url, "POST", "/knobs", { warehouseLagS: 0, topCap: 700 });
  client = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(emulator)),
    rateLimits: GENEROUS_LIMITS,
    dataDir: path.join(dir, "client"),
  });
}, 60_000);

afterAll(async () => {
  for (const store of stores) await store.close();
  await client?.close();
  await emulator?.close();
});

let wholeRead = 0;

describe("the tenant-wide read of CXone's completed contacts", () => {
  it("asks the largest page (10,000), reaches back 32 days the first time, keeps every contact read", async () => {
    const store = await freshStore("whole");
    await adminCall(emulator.url, "DELETE", "/requests");
    const read = await readDncDispositions(readerOf(store));
    const requests = await completedRequests();
    expect(requests.length).toBeGreaterThan(3);
    expect(new Set(requests.map((r) => r.query.top))).toEqual(new Set(["10000"]));
    const first = Date.parse(requests[0]!.query.updatedSince!);
    expect(Math.abs(Date.now() - FIRST_READ_MS - first)).toBeLessThan(60_000);
    wholeRead = await completedCallsKept(store.db);
    expect(wholeRead).toBeGreaterThan(2000);
    expect(read.calls).toBeGreaterThanOrEqual(wholeRead);
    // What a count reads: a skill's calls in a window, from the store.
    const skill = String(
      emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")?.skillId,
    );
    const window = { fromMs: Date.now() - 7 * 86_400_000, toMs: Date.now() };
    const calls = await completedCallsIn(store.db, [skill], window);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.skillId).toBe(skill);
      expect(call.startMs).toBeGreaterThan(window.fromMs);
      expect(call.phone).toMatch(/^\+\d{10,15}$/);
    }
  });

  it("a read stopped after its second page resumes from where it stopped, not 32 days back", async () => {
    const store = await freshStore("resumed");
    const stop = new AbortController();
    const marks: string[] = [];
    await expect(
      readDncDispositions(readerOf(store), {
        signal: stop.signal,
        onProgress: (p) => {
          marks.push(p.upTo);
          if (p.pages === 2) stop.abort();
        },
      }),
    ).rejects.toThrow();
    expect(marks.length).toBe(2);
    const keptBefore = await completedCallsKept(store.db);
    expect(keptBefore).toBeGreaterThan(0);
    expect(keptBefore).toBeLessThan(wholeRead);
    // Not read whole: the next command reads (its freshness is the last finished read's), and
    // whoever waits on the read is told where it stands (`cxo autopilot status`).
    expect(await store.kv.get("consent.watcher", "tenant.readAt")).toBeUndefined();
    expect(await unfinishedRead(store)).toMatchObject({ pages: 2, first: true, upTo: marks[1] });
    await adminCall(emulator.url, "DELETE", "/requests");
    await readDncDispositions(readerOf(store));
    const requests = await completedRequests();
    const resumedFrom = Date.parse(requests[0]!.query.updatedSince!);
    // The mark less the warehouse's overlap (35 minutes), nowhere near 32 days back.
    expect(resumedFrom).toBe(Date.parse(marks[1]!) - 35 * 60_000);
    expect(await completedCallsKept(store.db)).toBe(wholeRead);
    expect(await unfinishedRead(store)).toBeUndefined();
  });

  it("the next read reads only what changed since (one page), nothing already kept again", async () => {
    const store = await freshStore("whole");
    await adminCall(emulator.url, "DELETE", "/requests");
    await readDncDispositions(readerOf(store));
    const requests = await completedRequests();
    expect(requests.length).toBe(1);
    expect(await completedCallsKept(store.db)).toBe(wholeRead);
  });

  it("a page CXone answers unreadably fails the read; the pages before it are kept and the next read starts after them", async () => {
    const store = await freshStore("broken");
    let asked: ChangedCallsQuery | undefined;
    const port: CxonePort = {
      ...client.port,
      outcomes: {
        ...client.port.outcomes,
        async *changedCallPages(query, signal): AsyncGenerator<ChangedCallsPage, ChangedCallsEnd> {
          asked ??= query;
          const pages = client.port.outcomes.changedCallPages(query, signal);
          const first = await pages.next();
          if (!first.done) yield first.value;
          await pages.return({ unchanged: false, lastPollTime: undefined });
          throw new UnreadableAnswerError("GET /contacts/completed", "an array under completedContacts", {
            status: 200,
          });
        },
      },
    };
    let mark = "";
    await expect(
      readDncDispositions(readerOf(store, port), {
        onProgress: (p) => {
          mark = p.upTo;
        },
      }),
    ).rejects.toMatchObject({ code: "cxone_unreadable_answer" });
    expect(await completedCallsKept(store.db)).toBeGreaterThan(0);
    expect(await store.kv.get("consent.watcher", "tenant")).toBe(mark);
    expect(await store.kv.get("consent.watcher", "tenant.readAt")).toBeUndefined();
    expect(asked?.updatedSince).toBeDefined();
  });
});
