import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { createClient, InputError, ListingTooLargeError, type SegmentedContact } from "../../src/index.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * Issue 43 §2: lists you can iterate. `cxo.outcomes.list(query, options)` and
 * `cxo.campaigns.contacts(listId, query, options)` are async iterables that page on their own, in
 * constant memory (one page or one contact at a time, the next fetched as the loop gets to it),
 * with a capped `toArray({ limit })`, beside today's sinks (`export`, `segment`).
 */
let emulator: RunningEmulator;
const admin$ = (method: string, route: string, body?: unknown) =>
  adminCall(emulator.url, method, route, body);
const requestsTo = async (prefix: string) =>
  (
    (await admin$("GET", "/requests")) as { requests: Array<{ method: string; path: string }> }
  ).requests.filter((r) => r.method === "GET" && r.path.startsWith(prefix));
const clientOn = () => {
  const admin = emulator.fixtures.clients[0]!;
  return createClient({
    connection: { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-sdk-lists-")),
    http: { rateLimitScale: 1000 },
  });
};

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, calls: 600, rateLimitScale: 1000, metricsIntervalMs: 0 });
});
afterAll(() => emulator.close());

describe("outcomes.list", () => {
  const query = (pageSize?: number) => ({
    campaignId: emulator.fixtures.campaigns[0]!.id,
    from: new Date(Date.now() - 80 * 86_400_000),
    to: new Date(Date.now() - 60_000),
    ...(pageSize ? { pageSize } : {}),
  });

  it("iterates every record of the window, page after page, as the export counts them", async () => {
    await using cxo = clientOn();
    const exported = await cxo.outcomes.export(query(), {
      out: path.join(mkdtempSync(path.join(tmpdir(), "x-")), "o.ndjson"),
    });
    await admin$("DELETE", "/requests");
    const ids = new Set<string>();
    for await (const call of cxo.outcomes.list(query(7))) {
      expect(call.campaignId).toBe(query().campaignId);
      ids.add(call.id);
    }
    expect(ids.size).toBe(exported.totalRecords);
    expect(exported.totalRecords).toBeGreaterThan(20);
    // A full last page carries no next token (the emulator knows the listing's end), so no empty
    // page is asked for: ⌈N / 7⌉ requests. (⌈(N + 1) / 7⌉ is one more exactly when N is a
    // multiple of 7: a clean-clone CI run got 13 requests where the test asked for 14.)
    expect(await requestsTo("/api/v2/outbound/calls")).toHaveLength(Math.ceil(exported.totalRecords / 7));
  });

  it("toArray({ limit }) fetches no page past the last item it keeps; leaving a loop early fetches nothing more", async () => {
    await using cxo = clientOn();
    await admin$("DELETE", "/requests");
    const first10 = await cxo.outcomes.list(query(7)).toArray({ limit: 10 });
    expect(first10).toHaveLength(10);
    expect(await requestsTo("/api/v2/outbound/calls")).toHaveLength(2);
    // The older form, a bare number, still works.
    expect(await cxo.outcomes.list(query(7)).toArray(3)).toHaveLength(3);

    await admin$("DELETE", "/requests");
    let seen = 0;
    for await (const _call of cxo.outcomes.list(query(5))) if (++seen === 6) break;
    expect(await requestsTo("/api/v2/outbound/calls")).toHaveLength(2);
  });

  it("a bad query is an InputError from the loop, naming the field; nothing is sent", async () => {
    await using cxo = clientOn();
    await admin$("DELETE", "/requests");
    const listing = cxo.outcomes.list({ ...query(), from: "yesterday-ish" });
    const error = await listing.toArray().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]?.field).toBe("from");
    expect(await requestsTo("/api/v2/outbound/calls")).toHaveLength(0);
    const bad = await cxo.outcomes
      .list(query(), { maxAttempts: 0 })
      .toArray()
      .catch((e: unknown) => e);
    expect((bad as InputError).problems[0]?.field).toBe("maxAttempts");
  });

  it("a deadline bounds the whole iteration", async () => {
    await using cxo = clientOn();
    await admin$("POST", "/faults", { group: "outcomes", latencyMs: 500 });
    try {
      const error = await cxo.outcomes
        .list(query(5), { deadlineMs: 300 })
        .toArray()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "deadline_exceeded" });
    } finally {
      await admin$("DELETE", "/faults");
    }
  });
});

describe("campaigns.contacts", () => {
  const listId = () => emulator.fixtures.contactLists[0]!.id;

  it("iterates every contact of the list with its verdict, as segment counts them", async () => {
    await using cxo = clientOn();
    const rows: SegmentedContact[] = [];
    const summary = await cxo.campaigns.segment(listId(), {
      sink: { write: (row) => void rows.push(row), end: async () => {} },
      atMs: Date.parse("2026-03-02T15:00:00Z"),
      pageSize: 50,
    });
    const iterated: SegmentedContact[] = [];
    for await (const contact of cxo.campaigns.contacts(listId(), {
      atMs: Date.parse("2026-03-02T15:00:00Z"),
      pageSize: 50,
    }))
      iterated.push(contact);
    expect(iterated).toHaveLength(summary.total);
    expect(summary.total).toBeGreaterThan(100);
    expect(iterated).toEqual(rows);
    expect(iterated.filter((c) => c.allowed)).toHaveLength(summary.callable);
  });

  it("toArray({ limit }) and an early break stop the listing: no page past the one in hand", async () => {
    await using cxo = clientOn();
    const prefix = `/api/v2/omnichannel/contactlists/${listId()}/contacts`;
    await admin$("DELETE", "/requests");
    const five = await cxo.campaigns.contacts(listId(), { pageSize: 20 }).toArray({ limit: 5 });
    expect(five).toHaveLength(5);
    // The page in hand, and at most the one prefetched behind it.
    expect((await requestsTo(prefix)).length).toBeLessThanOrEqual(2);

    await admin$("DELETE", "/requests");
    let seen = 0;
    for await (const _contact of cxo.campaigns.contacts(listId(), { pageSize: 20 })) if (++seen === 25) break;
    expect((await requestsTo(prefix)).length).toBeLessThanOrEqual(3);
  });

  it("toArray() without a limit is capped: a listing past the cap is an error, not a memory blow-up", async () => {
    const { collect, TO_ARRAY_CAP } = await import("../../src/core/http/pagination.ts");
    async function* many() {
      for (let i = 0; i <= TO_ARRAY_CAP; i++) yield i;
    }
    await expect(collect(many())).rejects.toBeInstanceOf(ListingTooLargeError);
    expect(await collect(many(), { limit: 2 })).toEqual([0, 1]);
  });

  it("segment streams into a sink and resolves with the summary", async () => {
    await using cxo = clientOn();
    let written = 0;
    const summary = await cxo.campaigns.segment(
      listId(),
      { sink: { write: () => void written++, end: async () => {} } },
      { deadlineMs: 60_000 },
    );
    expect(summary.total).toBe(written);
  });
});
