import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeySettings, cxoneApiGet } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { pinClock } from "../support/pinned-clock.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * Issue 78 §2 (and §12): a push is keyed on the plan AS GIVEN. After a revocation the same plan
 * file names the list that already holds it — no second list, no second upload — and the newly
 * blocked record is taken out of that list. A push stopped before its upload (the process gone)
 * is re-driven by the next client with its payload screened against the ledger first: the number
 * revoked in between is never uploaded. One stopped after its upload has the record taken out.
 */
const HOUR = 3_600_000;
let cxone: RunningCxoneEmulator;
let client: InternalClient;
let skillId = "";
// The clock is pinned (pinClock): a Wednesday 09:00 New York; the records go out the same day,
// inside the default skill's hours (09:00–20:00 local) and schedule (weekdays).
const base = Date.parse("2026-12-02T15:00:00Z");
let clock: ReturnType<typeof pinClock>;
const at = (hours: number) => new Date(base + hours * HOUR).toISOString().replace(".000Z", "Z");

const row = (recordId: string, phone: string, hours: number) => ({
  recordId,
  phone,
  attemptAt: at(hours),
  zone: "America/Chicago",
  slot: 10,
  attempt: 1,
  estimate: 0.125,
  interval: [0.1, 0.15],
  ruledOut: [],
  campaign: skillId,
  staleMinutes: 59,
});

type Logged = { method: string; path: string; status: number };
const listRequests = async () =>
  ((await adminCall(cxone.url, "GET", "/requests")) as { requests: Logged[] }).requests.filter((r) =>
    r.path.includes("/lists/"),
  );
const count = (log: Logged[], method: string, suffix: RegExp) =>
  log.filter((r) => r.method === method && suffix.test(r.path)).length;

/** The external ids the platform's list holds now (read past the client under test). */
const listIds = async (listId: string) => {
  const download = (await cxoneApiGet(cxone, `/lists/call-lists/${listId}?includeRecords=true`)) as {
    resultSet: { contactRecords: Array<{ externalId: unknown }> };
  };
  return download.resultSet.contactRecords.map((r) => String(r.externalId)).sort();
};
const listByName = async (name: string) => {
  const all = (await cxoneApiGet(cxone, "/lists/call-lists")) as {
    callingLists: Array<{ listId: unknown; listName: string }>;
  };
  return all.callingLists.filter((l) => l.listName === name).map((l) => String(l.listId));
};

const until = (condition: () => Promise<boolean>) =>
  waitUntil(condition, { what: "the requests awaited", timeoutMs: 60_000, intervalMs: 25 });

beforeAll(async () => {
  clock = pinClock();
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 78,
    contacts: 50,
    days: 1,
    uploadJobPolls: 2,
  })) as RunningCxoneEmulator;
  skillId = String(cxone.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!.skillId);
  client = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(cxone)),
    rateLimits: GENEROUS_LIMITS,
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-push-rerun-")),
  });
});
afterAll(async () => {
  clock?.restore();
  await client?.close();
  await cxone?.close();
});

describe("a re-run of a push after a revocation (issue 78 §2)", () => {
  it("names the list that holds the plan, uploads nothing, and takes the revoked record out", async () => {
    await adminCall(cxone.url, "DELETE", "/requests");
    const plan = [row("a1", "+13125557801", 2), row("a2", "+13125557802", 3), row("a3", "+13125557803", 4)];
    const first = await client.strategy.push(plan, { campaign: skillId });
    expect(first).toMatchObject({ records: 3, source: "created" });
    expect(await listIds(first.listId)).toEqual(["a1", "a2", "a3"]);

    await client.consent.revoke({ phone: "+13125557802", channel: "sms" });
    const again = await client.strategy.push(plan, { campaign: skillId });
    expect(again).toMatchObject({
      listId: first.listId,
      listName: first.listName,
      planDigest: first.planDigest,
      records: 2,
      removed: 1,
      blocked: { consent_revoked: 1 },
      source: "store",
    });
    expect(await listIds(first.listId)).toEqual(["a1", "a3"]);

    // A third run: the list already lacks a2, nothing is sent at all.
    const third = await client.strategy.push(plan, { campaign: skillId });
    expect(third).toMatchObject({ listId: first.listId, records: 2, source: "store" });
    expect(third.removed).toBeUndefined();

    const log = await listRequests();
    expect(count(log, "POST", /\/lists\/call-lists$/)).toBe(1);
    expect(count(log, "POST", /\/upload$/)).toBe(1);
    expect(count(log, "DELETE", /\/removeProspects$/)).toBe(1);
    expect(await listByName(first.listName)).toEqual([first.listId]);
  });

  it("a plan pushed with a record already blocked keeps its key when more are revoked", async () => {
    const plan = [row("b1", "+13125557811", 2), row("b2", "+13125557812", 3), row("b3", "+13125557813", 4)];
    await client.consent.revoke({ phone: "+13125557811", channel: "email" });
    const first = await client.strategy.push(plan, { campaign: skillId, listName: "Rerun B" });
    expect(first).toMatchObject({ records: 2, source: "created", blocked: { consent_revoked: 1 } });
    await adminCall(cxone.url, "DELETE", "/requests");
    await client.consent.revoke({ phone: "+13125557813", channel: "email" });
    const again = await client.strategy.push(plan, { campaign: skillId, listName: "Rerun B" });
    expect(again).toMatchObject({ listId: first.listId, records: 1, removed: 1, source: "store" });
    expect(await listIds(first.listId)).toEqual(["b2"]);
    const log = await listRequests();
    expect(count(log, "POST", /\/upload$/)).toBe(0);
    expect(count(log, "POST", /\/lists\/call-lists$/)).toBe(0);
  });
});

describe("a push stopped mid-way, then a revocation, then the next client (issue 78 §2)", () => {
  it("before its upload: the pending payload is screened before the re-drive, the number never uploaded", async () => {
    await adminCall(cxone.url, "DELETE", "/requests");
    const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-push-redrive-"));
    const options = {
      ...clientOptionsFromSettings(accessKeySettings(cxone)),
      rateLimits: GENEROUS_LIMITS,
      dataDir,
    };
    const first = createInternalClient(options);
    // The list's creation hangs: the process is stopped with the journal row pending, nothing uploaded.
    await adminCall(cxone.url, "POST", "/faults", {
      group: "lists",
      route: "POST /lists/call-lists",
      latencyMs: 1500,
      count: 1,
    });
    const plan = [row("k1", "+13125557821", 2), row("k2", "+13125557822", 3)];
    const stop = new AbortController();
    const pushing = first.strategy.push(
      plan,
      { campaign: skillId, listName: "Killed A" },
      { signal: stop.signal },
    );
    // The push's journal row is written before its first request (the list looked up by name).
    await until(async () => count(await listRequests(), "GET", /\/lists\/call-lists$/) > 0);
    stop.abort();
    expect(await pushing.catch((e) => e)).toBeInstanceOf(Error);
    // Revoked while the push lies pending.
    await first.consent.revoke({ phone: "+13125557822", channel: "sms" });
    await first.close();
    await adminCall(cxone.url, "DELETE", "/faults");

    const second = createInternalClient(options);
    try {
      const done = await second.strategy.push(plan, { campaign: skillId, listName: "Killed A" });
      expect(done).toMatchObject({ records: 1, source: "resumed" });
      expect(await listIds(done.listId)).toEqual(["k1"]);
    } finally {
      await second.close();
    }
    const log = await listRequests();
    expect(count(log, "POST", /\/upload$/)).toBe(1);
    expect(await listByName("Killed A")).toHaveLength(1);
  });

  it("after its upload: the re-drive takes the number revoked in between out of the list", async () => {
    await adminCall(cxone.url, "DELETE", "/requests");
    const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-push-redrive-"));
    const options = {
      ...clientOptionsFromSettings(accessKeySettings(cxone)),
      rateLimits: GENEROUS_LIMITS,
      dataDir,
    };
    const first = createInternalClient(options);
    await adminCall(cxone.url, "POST", "/faults", {
      group: "lists",
      route: "GET /lists/call-lists/jobs/:jobId",
      latencyMs: 1500,
      count: 1,
    });
    const plan = [row("m1", "+13125557831", 2), row("m2", "+13125557832", 3)];
    const stop = new AbortController();
    const pushing = first.strategy.push(
      plan,
      { campaign: skillId, listName: "Killed B" },
      { signal: stop.signal },
    );
    await until(async () => count(await listRequests(), "POST", /\/upload$/) > 0);
    stop.abort();
    expect(await pushing.catch((e) => e)).toBeInstanceOf(Error);
    await first.consent.revoke({ phone: "+13125557832", channel: "sms" });
    await first.close();
    await adminCall(cxone.url, "DELETE", "/faults");

    const second = createInternalClient(options);
    try {
      const done = await second.strategy.push(plan, { campaign: skillId, listName: "Killed B" });
      expect(done).toMatchObject({ records: 1, source: "resumed" });
      expect(await listIds(done.listId)).toEqual(["m1"]);
    } finally {
      await second.close();
    }
    const log = await listRequests();
    expect(count(log, "POST", /\/upload$/)).toBe(1);
    expect(count(log, "DELETE", /\/removeProspects$/)).toBe(1);
  });
});

describe("a revocation recorded while a push is in flight (issue 78 §12)", () => {
  it("is caught after the upload: the record is taken out of the list, and the summary says so", async () => {
    await adminCall(cxone.url, "DELETE", "/requests");
    // The upload job's poll is slow: the revocation lands while the push waits for it.
    await adminCall(cxone.url, "POST", "/faults", {
      group: "lists",
      route: "GET /lists/call-lists/jobs/:jobId",
      latencyMs: 800,
      count: 1,
    });
    const plan = [row("f1", "+13125557841", 2), row("f2", "+13125557842", 3)];
    const pushing = client.strategy.push(plan, { campaign: skillId, listName: "In flight" });
    await until(async () => count(await listRequests(), "POST", /\/upload$/) > 0);
    await client.consent.revoke({ phone: "+13125557842", channel: "web" });
    const done = await pushing;
    await adminCall(cxone.url, "DELETE", "/faults");
    expect(done).toMatchObject({ records: 1, removed: 1, source: "created" });
    expect(await listIds(done.listId)).toEqual(["f1"]);
  });
});

describe("a push whose upload CXone took but whose answer was lost, a revocation, the re-run", () => {
  it("takes the revoked number out of the upload it adopts; the list dialer never dials it", async () => {
    await adminCall(cxone.url, "DELETE", "/requests");
    const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-push-truncated-"));
    const options = {
      ...clientOptionsFromSettings(accessKeySettings(cxone)),
      rateLimits: GENEROUS_LIMITS,
      dataDir,
    };
    // CXone takes the upload; its answer is cut off, so the push fails (the process exits 1).
    await adminCall(cxone.url, "POST", "/faults", {
      group: "lists",
      route: "POST /lists/call-lists/:listId/upload",
      truncateRate: 1,
      count: 1,
    });
    const plan = [
      row("t1", "+13125557851", 2),
      row("t2", "+13125557852", 3),
      row("t3", "+13125557853", 4),
      row("t4", "+13125557854", 5),
    ];
    const first = createInternalClient(options);
    try {
      // t4 is blocked before the first run: never uploaded, so never to be taken out either.
      await first.consent.revoke({ phone: "+13125557854", channel: "sms" });
      const failed = await first.strategy
        .push(plan, { campaign: skillId, listName: "Truncated" })
        .catch((e) => e);
      expect(failed).toBeInstanceOf(Error);
      // Revoked after CXone took the upload that holds it.
      await first.consent.revoke({ phone: "+13125557852", channel: "sms" });
    } finally {
      await first.close();
      await adminCall(cxone.url, "DELETE", "/faults");
    }
    expect(count(await listRequests(), "POST", /\/upload$/)).toBe(1);

    const second = createInternalClient(options);
    try {
      const done = await second.strategy.push(plan, { campaign: skillId, listName: "Truncated" });
      // The list holds what the summary counts: the revoked record is out, and counted once (blocked, not held).
      expect(done).toMatchObject({
        records: 2,
        removed: 1,
        blocked: { consent_revoked: 2 },
        source: "resumed",
      });
      expect(done.notRemoved).toBeUndefined();
      expect(await listIds(done.listId)).toEqual(["t1", "t3"]);
      await adminCall(cxone.url, "POST", `/lists/${done.listId}/dial`, { until: at(30) });
      const dials = (await adminCall(cxone.url, "GET", `/lists/${done.listId}/dials`)) as {
        dials: Array<{ externalId: string; phone: string }>;
      };
      expect(dials.dials.map((d) => d.externalId).sort()).toEqual(["t1", "t3"]);
      expect(dials.dials.some((d) => d.phone === "+13125557852")).toBe(false);
    } finally {
      await second.close();
    }
    const log = await listRequests();
    expect(count(log, "POST", /\/upload$/)).toBe(1);
    expect(count(log, "DELETE", /\/removeProspects$/)).toBe(1);
  });
});
