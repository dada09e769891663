import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../src/client.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeySettings, cxoneApiGet } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { pinClock } from "../support/pinned-clock.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * Issue 88 L13: a day's list goes in batches (`batchRecords`), each its own CXone upload job,
 * so that no request is over what a server takes (a million records' file was 130 MB of base64).
 * A run stopped between two batches — the process gone, or an upload CXone took whose answer was
 * lost — is finished by the next: the batches done stay done, the one in doubt is adopted from
 * the list's jobs (not uploaded again), a number revoked meanwhile is taken out of it, and the
 * rest go in further batches. Each record is in the list once; the list dialer dials no number
 * twice and never the revoked one.
 */
const HOUR = 3_600_000;
let cxone: RunningCxoneEmulator;
let skillId = "";
let clock: ReturnType<typeof pinClock>;
// A Wednesday 09:00 New York: the records go out the same day, inside the skill's hours.
const base = Date.parse("2026-12-02T15:00:00Z");
const at = (hours: number) => new Date(base + hours * HOUR).toISOString().replace(".000Z", "Z");

const plan = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    recordId: `${prefix}${i + 1}`,
    phone: `+1312558${prefix === "a" ? "1" : "2"}${String(i + 1).padStart(3, "0")}`,
    attemptAt: at(2 + (i % 3)),
    zone: "America/Chicago",
    slot: 10,
    attempt: 1,
    estimate: 0.125,
    interval: [0.1, 0.15],
    ruledOut: [],
    campaign: skillId,
    staleMinutes: 59,
  }));

type Logged = { method: string; path: string; status: number };
const requests = async () =>
  ((await adminCall(cxone.url, "GET", "/requests")) as { requests: Logged[] }).requests;
const uploads = async () =>
  (await requests()).filter((r) => r.method === "POST" && /\/upload$/.test(r.path)).length;
const jobsOf = async (listId: string) =>
  (
    (await cxoneApiGet(cxone, "/lists/call-lists/jobs")) as { uploadJobs: Array<{ listId: unknown }> }
  ).uploadJobs.filter((j) => String(j.listId) === listId).length;
const listIds = async (listId: string) => {
  const download = (await cxoneApiGet(cxone, `/lists/call-lists/${listId}?includeRecords=true`)) as {
    resultSet: { contactRecords: Array<{ externalId: unknown }> };
  };
  return download.resultSet.contactRecords.map((r) => String(r.externalId)).sort();
};
const options = () => ({
  ...clientOptionsFromSettings(accessKeySettings(cxone)),
  rateLimits: GENEROUS_LIMITS,
  dataDir: mkdtempSync(path.join(tmpdir(), "cxo-push-batches-")),
});

beforeAll(async () => {
  clock = pinClock();
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 88,
    contacts: 50,
    days: 1,
    uploadJobPolls: 2,
  })) as RunningCxoneEmulator;
  skillId = String(cxone.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!.skillId);
});
afterAll(async () => {
  clock?.restore();
  await cxone?.close();
});

describe("a push in batches (issue 88 L13)", () => {
  it("an upload CXone took whose answer was lost, a revocation, the re-run: adopted, not sent twice", async () => {
    await adminCall(cxone.url, "DELETE", "/requests");
    const rows = plan("a", 5);
    const settings = options();
    // The job polls are slow, so the second batch's upload comes after the fault is in place.
    await adminCall(cxone.url, "POST", "/faults", {
      group: "lists",
      route: "GET /lists/call-lists/jobs/:jobId",
      latencyMs: 300,
    });
    const first = createInternalClient(settings);
    try {
      const pushing = first.strategy.push(rows, {
        campaign: skillId,
        listName: "Batches A",
        batchRecords: 2,
      });
      await waitUntil(async () => (await uploads()) >= 1, {
        what: "the first batch's upload",
        intervalMs: 25,
      });
      // CXone takes the second batch's upload; its answer is cut off: the run fails.
      await adminCall(cxone.url, "POST", "/faults", {
        group: "lists",
        route: "POST /lists/call-lists/:listId/upload",
        truncateRate: 1,
        count: 1,
      });
      expect(await pushing.catch((e) => e)).toBeInstanceOf(Error);
      expect(await uploads()).toBe(2);
      // By time the batches are a1 a4 | a2 a5 | a3: a5 is in the upload CXone took. Revoked
      // now, it must come out of the list.
      await first.consent.revoke({ phone: "+13125581005", channel: "sms" });
    } finally {
      await first.close();
      await adminCall(cxone.url, "DELETE", "/faults");
    }
    const second = createInternalClient(settings);
    try {
      const done = await second.strategy.push(rows, {
        campaign: skillId,
        listName: "Batches A",
        batchRecords: 2,
      });
      expect(done).toMatchObject({
        records: 4,
        removed: 1,
        blocked: { consent_revoked: 1 },
        source: "resumed",
      });
      expect(done.notRemoved).toBeUndefined();
      expect(await listIds(done.listId)).toEqual(["a1", "a2", "a3", "a4"]);
      // Three batches, three jobs: the second adopted, never uploaded again.
      expect(await uploads()).toBe(3);
      expect(await jobsOf(done.listId)).toBe(3);
      await adminCall(cxone.url, "POST", `/lists/${done.listId}/dial`, { until: at(30) });
      const dials = (await adminCall(cxone.url, "GET", `/lists/${done.listId}/dials`)) as {
        dials: Array<{ externalId: string; phone: string }>;
      };
      expect(dials.dials.map((d) => d.externalId).sort()).toEqual(["a1", "a2", "a3", "a4"]);
      // Pushed again: the store answers, nothing sent.
      expect(
        await second.strategy.push(rows, { campaign: skillId, listName: "Batches A", batchRecords: 2 }),
      ).toMatchObject({ listId: done.listId, records: 4, source: "store" });
      expect(await uploads()).toBe(3);
    } finally {
      await second.close();
    }
  });

  it("a run stopped between batches: the next re-drives the batch in flight and sends the rest", async () => {
    await adminCall(cxone.url, "DELETE", "/requests");
    const rows = plan("b", 5);
    const settings = options();
    await adminCall(cxone.url, "POST", "/faults", {
      group: "lists",
      route: "GET /lists/call-lists/jobs/:jobId",
      latencyMs: 300,
    });
    const first = createInternalClient(settings);
    const stop = new AbortController();
    try {
      const pushing = first.strategy.push(
        rows,
        { campaign: skillId, listName: "Batches B", batchRecords: 2 },
        { signal: stop.signal },
      );
      // Stopped while the second batch's job is polled: its journal row stays pending.
      await waitUntil(async () => (await uploads()) >= 2, {
        what: "the second batch's upload",
        intervalMs: 25,
      });
      stop.abort();
      expect(await pushing.catch((e) => e)).toBeInstanceOf(Error);
      // b5 is in the batch in flight (b1 b4 | b2 b5 | b3).
      await first.consent.revoke({ phone: "+13125582005", channel: "sms" });
    } finally {
      await first.close();
      await adminCall(cxone.url, "DELETE", "/faults");
    }
    const second = createInternalClient(settings);
    try {
      const done = await second.strategy.push(rows, {
        campaign: skillId,
        listName: "Batches B",
        batchRecords: 2,
      });
      expect(done).toMatchObject({ records: 4, source: "resumed" });
      expect(await listIds(done.listId)).toEqual(["b1", "b2", "b3", "b4"]);
      expect(await uploads()).toBe(3);
      expect(await jobsOf(done.listId)).toBe(3);
    } finally {
      await second.close();
    }
  });

  it("refuses a batch size CXone would not take, naming the field, nothing sent", async () => {
    const client = createInternalClient(options());
    try {
      const refusal = await client.strategy
        .push(plan("c", 1), { campaign: skillId, batchRecords: 600_000 })
        .catch((e: Error) => e.message);
      expect(refusal).toMatch(/batchRecords/);
    } finally {
      await client.close();
    }
  });
});
