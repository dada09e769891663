import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../../src/client.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { accessKeySettings } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../../support/generous-limits.ts";

/**
 * Issue 100 §4: a calling list's dials (`GET /lists/call-lists/{id}/attempts`) are read a page of
 * 10,000 at a time (NICE's sample request for the route takes skip/top), whatever the list's size:
 * asked whole, a list past ~155,000 dials answered more than the 32 MiB any answer may have, and
 * from then on no plan or push of the business unit could count its calls. Read from a count's
 * window when one is given; a tenant that ignores `skip` fails the read (never the first page
 * read again and again as if it were the rest).
 */
let emulator: RunningCxoneEmulator;
let client: InternalClient;
let listId = "";
const dir = mkdtempSync(path.join(tmpdir(), "cxo-list-attempts-"));
const FROM = "2026-11-20T00:00:00.000Z";

interface Logged {
  path: string;
  query: Record<string, string>;
}
const attemptRequests = async (): Promise<Logged[]> =>
  ((await adminCall(emulator.url, "GET", "/requests")) as { requests: Logged[] }).requests.filter((r) =>
    r.path.endsWith("/attempts"),
  );

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 7,
    contacts: 20,
    days: 1,
  })) as RunningCxoneEmulator;
  const list = (emulator.fixtures as unknown as { callingLists: Array<{ listId: number }> }).callingLists[0];
  if (!list) throw new Error("the emulator seeds no calling list");
  listId = String(list.listId);
  // 25,000 dials, one a minute: three pages of 10,000.
  await adminCall(emulator.url, "POST", `/lists/${listId}/bulk-dials`, {
    count: 25_000,
    from: FROM,
    stepSeconds: 60,
  });
  client = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(emulator)),
    rateLimits: GENEROUS_LIMITS,
    dataDir: path.join(dir, "client"),
  });
}, 60_000);

afterAll(async () => {
  await client?.close();
  await emulator?.close();
});

describe("a calling list's dials", () => {
  it("are read whole, a page of 10,000 at a time", async () => {
    await adminCall(emulator.url, "DELETE", "/requests");
    const lists = client.port.lists!;
    const all = await lists.attempts(listId);
    const bulk = all.filter((a) => a.recordId.startsWith("BULK"));
    expect(bulk).toHaveLength(25_000);
    expect(new Set(bulk.map((a) => a.contactId)).size).toBe(25_000);
    expect(bulk[24_999]).toMatchObject({
      recordId: "BULK24999",
      at: new Date(Date.parse(FROM) + 24_999 * 60_000).toISOString(),
    });
    const requests = await attemptRequests();
    expect(requests.map((r) => [r.query.skip, r.query.top])).toEqual([
      ["0", "10000"],
      ["10000", "10000"],
      ["20000", "10000"],
    ]);
  });

  it("through the SDK: a listing that reads a page when it needs one (the first dial costs one request)", async () => {
    await adminCall(emulator.url, "DELETE", "/requests");
    let first: string | undefined;
    for await (const attempt of client.strategy.attempts(listId)) {
      first = attempt.recordId;
      break;
    }
    expect(first).toBeDefined();
    expect(await attemptRequests()).toHaveLength(1);
    await adminCall(emulator.url, "DELETE", "/requests");
    expect(await client.strategy.attempts(listId).toArray({ limit: Number.POSITIVE_INFINITY })).toHaveLength(
      (await client.port.lists!.attempts(listId)).length,
    );
  });

  it("from a count's window: only the dials since it are asked for, page by page", async () => {
    await adminCall(emulator.url, "DELETE", "/requests");
    const since = new Date(Date.parse(FROM) + 20_000 * 60_000).toISOString();
    const pages: number[] = [];
    for await (const page of client.port.lists!.attemptPages(listId, { updatedSince: since }))
      pages.push(page.filter((a) => a.recordId.startsWith("BULK")).length);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(5_000);
    const requests = await attemptRequests();
    expect(requests).toHaveLength(1);
    expect(requests[0]?.query.updatedSince).toBe(since);
  });

  it("a tenant that ignores skip: the read fails (cxone_listing_incomplete), it does not take the first page for the rest", async () => {
    await adminCall(emulator.url, "POST", "/knobs", { ignoreSkip: true });
    try {
      await expect(client.port.lists!.attempts(listId)).rejects.toMatchObject({
        code: "cxone_listing_incomplete",
        reason: "repeated-page",
      });
    } finally {
      await adminCall(emulator.url, "POST", "/knobs", { ignoreSkip: false });
    }
  });
});
