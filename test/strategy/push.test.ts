import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { ClientClosedError } from "../../src/core/client-closed-error.ts";
import { InputError } from "../../src/core/input-error.ts";
import { type RunningCxoneEmulator, type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { NotSupportedError } from "../../src/platform/errors.ts";
import { accessKeySettings, cxoneApiGet } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { pinClock } from "../support/pinned-clock.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * Issue 55 §3: a plan handed to the dialer. On the production emulator: one list created with
 * its call-time columns, one upload, the job polled; the same plan again sends nothing; an upload
 * whose answer was lost (the connection cut after the emulator took it) is finished by pushing
 * again — no second list, no second upload. On the seed platform: NotSupportedError and bad
 * input (missing column, another campaign, attemptAt without offset) an InputError, nothing sent.
 */
const HOUR = 3_600_000;
let cxone: RunningCxoneEmulator;
let seed: RunningEmulator;
let client: InternalClient;
let skillId = "";
// The clock is pinned (pinClock): a Wednesday 09:00 New York; the records go out the same day,
// inside the default skill's hours (09:00–20:00 local) and schedule (weekdays).
const base = Date.parse("2026-12-02T15:00:00Z");
let clock: ReturnType<typeof pinClock>;
const at = (hours: number) => new Date(base + hours * HOUR).toISOString().replace(".000Z", "Z");

const row = (recordId: string, phone: string, hours: number, attempt = 1) => ({
  recordId,
  phone,
  attemptAt: at(hours),
  zone: "America/Chicago",
  slot: 10,
  attempt,
  estimate: 0.125,
  interval: [0.1, 0.15],
  ruledOut: [],
  campaign: skillId,
  staleMinutes: 59,
});

type Logged = { method: string; path: string; status: number };
const listRequests = async (url: string) =>
  ((await adminCall(url, "GET", "/requests")) as { requests: Logged[] }).requests.filter((r) =>
    r.path.includes("/lists/"),
  );
const writes = (log: Logged[], suffix: RegExp) =>
  log.filter((r) => r.method === "POST" && suffix.test(r.path));

beforeAll(async () => {
  clock = pinClock();
  [cxone, seed] = (await Promise.all([
    startEmulator({ platform: "cxone", port: 0, seed: 31, contacts: 100, days: 1, uploadJobPolls: 2 }),
    startEmulator({ port: 0, calls: 10, metricsIntervalMs: 0 }),
  ])) as [RunningCxoneEmulator, RunningEmulator];
  skillId = String(cxone.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!.skillId);
  client = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(cxone)),
    rateLimits: GENEROUS_LIMITS,
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-push-")),
  });
});
afterAll(async () => {
  clock?.restore();
  await client.close();
  await Promise.all([cxone.close(), seed.close()]);
});

describe("strategy.push on the production platform", () => {
  it("creates one list with call times, uploads once, and pushes the same plan only once", async () => {
    await adminCall(cxone.url, "DELETE", "/requests");
    const plan = [
      row("r1", "+13125530101", 1),
      row("r2", "+13125530102", 3),
      row("r1", "+13125530101", 30, 2), // a later attempt: deferred
    ];
    const first = await client.strategy.push(plan, { campaign: skillId, listName: "Week A" });
    expect(first).toMatchObject({
      listName: "Week A",
      records: 2,
      deferred: 1,
      source: "created",
      pastAtPush: 0,
    });
    const again = await client.strategy.push(plan, { campaign: skillId, listName: "Week A" });
    expect(again).toMatchObject({ listId: first.listId, source: "store" });
    const log = await listRequests(cxone.url);
    expect(writes(log, /\/lists\/call-lists$/)).toHaveLength(1);
    expect(writes(log, /\/upload$/)).toHaveLength(1);

    const fixtures = (await adminCall(cxone.url, "GET", "/fixtures")) as {
      callingLists: Array<{ listId: number; size: number }>;
    };
    expect(fixtures.callingLists.find((l) => String(l.listId) === first.listId)?.size).toBe(2);
  });

  it("sends each record's time zone (the stricter of a two-zone area code at its window) and ZIP code", async () => {
    // 850 spans Eastern and Central Florida: at 19:00 Eastern (18:00 Central) the evening edge is
    // nearer in Eastern time; at 10:00 Eastern (09:00 Central) the morning edge in Central time.
    const evening = Date.parse("2026-12-02T19:00:00-05:00");
    const morning = Date.parse("2026-12-02T10:00:00-05:00");
    const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
    const plan = [
      { ...row("z1", "+18505552101", 1), attemptAt: iso(evening), zip: "32301" },
      // As a CSV plan gives it: every column text, an empty zip.
      { ...row("z2", "+18505552102", 1), attemptAt: iso(morning), staleMinutes: "59", zip: "" },
      { ...row("z3", "+13125552103", 1), attemptAt: iso(morning), zip: "60601" },
    ];
    const pushed = await client.strategy.push(plan, { campaign: skillId, listName: "Zones" });
    expect(pushed.staleMinutes).toBe(59);
    const log = (await adminCall(cxone.url, "GET", "/requests")) as {
      requests: Array<{ method: string; path: string; query: Record<string, string> }>;
    };
    const create = log.requests
      .filter((r) => r.method === "POST" && /\/lists\/call-lists$/.test(r.path))
      .at(-1);
    expect(create?.query).toMatchObject({ timeZoneColumn: "TimeZone", zipColumn: "Zip" });
    const download = (await cxoneApiGet(cxone, `/lists/call-lists/${pushed.listId}?includeRecords=true`)) as {
      resultSet: { contactRecords: Array<Record<string, unknown>> };
    };
    const byId = new Map(download.resultSet.contactRecords.map((r) => [String(r.externalId), r]));
    expect(byId.get("z1")).toMatchObject({ timeZone: "Eastern Standard Time", zip: "32301" });
    expect(byId.get("z2")).toMatchObject({ timeZone: "Central Standard Time" });
    expect(byId.get("z2")?.zip).toBeUndefined();
    expect(byId.get("z3")).toMatchObject({ timeZone: "Central Standard Time", zip: "60601" });
  });

  it("finishes a push whose upload answer was lost: one list, one upload", async () => {
    await adminCall(cxone.url, "DELETE", "/requests");
    await adminCall(cxone.url, "POST", "/faults", {
      group: "lists",
      route: "POST /lists/call-lists/:listId/upload",
      truncateRate: 1,
      count: 1,
    });
    const plan = [row("s1", "+13125530111", 2), row("s2", "+13125530112", 5)];
    const failed = await client.strategy
      .push(plan, { campaign: skillId, listName: "Week B" })
      .catch((e) => e);
    expect(failed).toBeInstanceOf(Error);
    expect(failed).not.toBeInstanceOf(InputError);
    const done = await client.strategy.push(plan, { campaign: skillId, listName: "Week B" });
    expect(done).toMatchObject({ records: 2, source: "resumed" });
    const log = await listRequests(cxone.url);
    expect(writes(log, /\/lists\/call-lists$/)).toHaveLength(1);
    expect(writes(log, /\/upload$/)).toHaveLength(1);
    // A list of that name this push did not make is not taken over.
    const foreign = await client.strategy
      .push([row("t1", "+13125530121", 2)], { campaign: skillId, listName: "Week B" })
      .catch((e) => e);
    expect(String(foreign)).toMatch(/already exists/);
    // …nor on the next try of the same push.
    const again = await client.strategy
      .push([row("t1", "+13125530121", 2)], { campaign: skillId, listName: "Week B" })
      .catch((e) => e);
    expect(String(again)).toMatch(/already exists/);
    expect(writes(await listRequests(cxone.url), /\/upload$/)).toHaveLength(1);
  });
});

describe("a push stopped mid-way (the process gone while the upload job runs)", () => {
  it("is finished by the next client on the same data dir: no second list, no second upload", async () => {
    await adminCall(cxone.url, "DELETE", "/requests");
    const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-push-stop-"));
    const options = {
      ...clientOptionsFromSettings(accessKeySettings(cxone)),
      rateLimits: GENEROUS_LIMITS,
      dataDir,
    };
    const first = createInternalClient(options);
    // The job poll hangs a while: the push is stopped after its upload was taken.
    await adminCall(cxone.url, "POST", "/faults", {
      group: "lists",
      route: "GET /lists/call-lists/jobs/:jobId",
      latencyMs: 3000,
      count: 1,
    });
    const plan = [row("u1", "+13125530131", 4), row("u2", "+13125530132", 6)];
    const stop = new AbortController();
    const pushing = first.strategy.push(
      plan,
      { campaign: skillId, listName: "Week C" },
      { signal: stop.signal },
    );
    await waitUntil(async () => writes(await listRequests(cxone.url), /\/upload$/).length > 0, {
      what: "the list's upload sent",
      timeoutMs: 60_000,
      intervalMs: 25,
    });
    stop.abort();
    expect(await pushing.catch((e) => e)).toBeInstanceOf(Error);
    await first.close();
    await adminCall(cxone.url, "DELETE", "/faults");
    const second = createInternalClient(options);
    const done = await second.strategy.push(plan, { campaign: skillId, listName: "Week C" });
    // Finished by this run (its store re-drove the stopped push): resumed, not "pushed before".
    const again = await second.strategy.push(plan, { campaign: skillId, listName: "Week C" });
    await second.close();
    expect(done).toMatchObject({ records: 2, source: "resumed" });
    expect(again).toMatchObject({ records: 2, source: "store", listId: done.listId });
    const log = await listRequests(cxone.url);
    expect(writes(log, /\/lists\/call-lists$/)).toHaveLength(1);
    expect(writes(log, /\/upload$/)).toHaveLength(1);
  });
});

describe("close() while a push waits for its upload job (issue 68 §1)", () => {
  it("rejects with ClientClosedError, and the next client finishes it: one list, one upload", async () => {
    await adminCall(cxone.url, "DELETE", "/requests");
    const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-push-close-"));
    const options = {
      ...clientOptionsFromSettings(accessKeySettings(cxone)),
      rateLimits: GENEROUS_LIMITS,
      dataDir,
    };
    const first = createInternalClient(options);
    await adminCall(cxone.url, "POST", "/faults", {
      group: "lists",
      route: "GET /lists/call-lists/jobs/:jobId",
      latencyMs: 3000,
      count: 1,
    });
    const plan = [row("c1", "+13125530141", 4), row("c2", "+13125530142", 6)];
    const pushing = first.strategy.push(plan, { campaign: skillId, listName: "Week D" });
    await waitUntil(async () => writes(await listRequests(cxone.url), /\/upload$/).length > 0, {
      what: "the list's upload sent",
      timeoutMs: 60_000,
      intervalMs: 25,
    });
    await first.close();
    expect(await pushing.catch((e) => e)).toBeInstanceOf(ClientClosedError);
    await adminCall(cxone.url, "DELETE", "/faults");
    const second = createInternalClient(options);
    try {
      const done = await second.strategy.push(plan, { campaign: skillId, listName: "Week D" });
      expect(done).toMatchObject({ records: 2, source: "resumed" });
    } finally {
      await second.close();
    }
    const log = await listRequests(cxone.url);
    expect(writes(log, /\/lists\/call-lists$/)).toHaveLength(1);
    expect(writes(log, /\/upload$/)).toHaveLength(1);
  });
});

describe("strategy.push refusals (nothing sent)", () => {
  it("bad rows are an InputError naming the field and the row; the seed platform is NotSupportedError", async () => {
    const admin = seed.fixtures.clients[0]!;
    const seedClient = createInternalClient({
      connection: { baseUrl: seed.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
      dataDir: mkdtempSync(path.join(tmpdir(), "cxo-push-seed-")),
    });
    await adminCall(seed.url, "DELETE", "/requests");
    await adminCall(cxone.url, "DELETE", "/requests");
    const good = { ...row("r1", "+13125530101", 1), campaign: "C1" };
    const { attemptAt: _a, ...noTime } = good;
    const cases: Array<[InternalClient, unknown[], string, RegExp]> = [
      [client, [noTime], "attemptAt", /has no attemptAt/],
      [client, [{ ...good, campaign: "999" }, good], "campaign", /made for campaign 999/],
      [client, [{ ...good, campaign: skillId, attemptAt: "2026-12-01T10:00:00" }], "attemptAt", /offset/],
      [seedClient, [good, { ...good, recordId: "r2", campaign: "C2" }], "campaign", /not C1/],
      // Issue 62 §3: a plan made for a shorter dial window than the dialer would be given.
      [client, [{ ...good, campaign: skillId, staleMinutes: 30 }], "staleMinutes", /made for a 30-minute/],
      [client, [{ ...good, campaign: skillId, staleMinutes: undefined }], "staleMinutes", /version 1/],
    ];
    for (const [c, plan, field, rule] of cases) {
      const campaign = c === client ? skillId : "C1";
      const error = await c.strategy.push(plan, { campaign, staleMinutes: 59 }).catch((e) => e);
      expect(error, field).toBeInstanceOf(InputError);
      expect((error as InputError).problems[0]).toMatchObject({ field });
      expect((error as InputError).message).toMatch(rule);
    }
    // The plan's own window is the push's default: a 30-minute plan pushes with 30, not 59.
    const shorter = { ...good, campaign: skillId, staleMinutes: 30 };
    const longer = await client.strategy
      .push([shorter], { campaign: skillId, staleMinutes: 31 })
      .catch((e) => e);
    expect((longer as InputError).problems?.[0]).toMatchObject({ field: "staleMinutes", row: 1 });
    const unsupported = await seedClient.strategy.push([good], { campaign: "C1" }).catch((e) => e);
    expect(unsupported).toBeInstanceOf(NotSupportedError);
    expect(
      await seedClient.strategy
        .attempts("L1")
        .toArray()
        .catch((e: unknown) => e),
    ).toBeInstanceOf(NotSupportedError);
    await seedClient.close();
    expect(((await adminCall(seed.url, "GET", "/requests")) as { requests: unknown[] }).requests).toEqual([]);
    expect(await listRequests(cxone.url)).toEqual([]);
  });
});
