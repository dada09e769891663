import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { InputError } from "../../src/core/input-error.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeySettings, cxoneApi } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { pinClock } from "../support/pinned-clock.ts";

/**
 * Issue 76 §3's goal on the production emulator (its platform rules: the skill's state, agents,
 * hours): a 500-record plan pushed to a skill with 2 agents logged in is accepted and dialled by
 * the list dialer as ordinary records (`deliveredAsCallback` false on every attempt). The same
 * 500 records uploaded with call-request times are callbacks: CXone takes at most 50 + 100 × 2 per
 * 15 minutes per skill and rejects the upload whole — and a push of them as callbacks is refused
 * before anything is sent.
 */
const NOON = DateTime.fromISO("2026-12-02T11:00:00", { zone: "America/New_York" });
let emulator: RunningCxoneEmulator;
let client: InternalClient;
let skillId = "";
let clock: ReturnType<typeof pinClock>;

const rows = (callback: boolean) =>
  Array.from({ length: 500 }, (_, i) => ({
    recordId: `${callback ? "cb" : "or"}${i}`,
    // New York numbers, all in one hour's window (callbacks: one 15-minute period).
    phone: `+1212555${String(4000 + i).padStart(4, "0")}`,
    attemptAt: (callback ? NOON.plus({ hours: 2 }) : NOON.plus({ hours: 1 })).toISO() as string,
    attempt: 1,
    estimate: 0.1,
    staleMinutes: callback ? 10 : 59,
    campaign: skillId,
    ...(callback ? { callback: true } : {}),
  }));

beforeAll(async () => {
  clock = pinClock(NOON.toUTC().toISO() as string);
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 76,
    contacts: 50,
    days: 1,
    uploadJobPolls: 1,
  })) as RunningCxoneEmulator;
  skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!.skillId,
  );
  // Started, staffed by 2 agents (none on a call), under its abandonment cap.
  await adminCall(emulator.url, "POST", `/skills/${skillId}/live`, {
    isActive: true,
    isRunning: true,
    contactsStopped: true,
    agentsLoggedIn: 2,
    abandonRate: 0,
  });
  client = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(emulator)),
    rateLimits: GENEROUS_LIMITS,
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-push-callbacks-")),
  });
}, 60_000);

afterAll(async () => {
  clock?.restore();
  await client?.close();
  await emulator?.close();
});

describe("plans go in as predictive work; callbacks stay callbacks (issue 76 §3)", () => {
  it("500 planned records with 2 agents logged in: accepted, dialled as ordinary records", async () => {
    const pushed = await client.strategy.push(rows(false), { campaign: skillId, listName: "ordinary 500" });
    // Every record went, but a number an agent of the emulator's seeded calls marked "Do Not Call".
    const blocked = Object.values(pushed.blocked ?? {}).reduce((a, b) => a + b, 0);
    expect(blocked).toBeLessThanOrEqual(2);
    expect(pushed).toMatchObject({ records: 500 - blocked, callbacks: 0, source: "created" });
    const uploads = (await adminCall(emulator.url, "GET", `/lists/${pushed.listId}/uploads`)) as {
      uploads: Array<{ accepted: boolean; callbacks: number }>;
    };
    expect(uploads.uploads).toMatchObject([{ accepted: true, callbacks: 0 }]);
    const dialled = await adminCall(emulator.url, "POST", `/lists/${pushed.listId}/dial`, {
      until: NOON.plus({ hours: 3 }).toUTC().toISO(),
    });
    expect(dialled).toMatchObject({ attempts: pushed.records, callbacks: 0 });
    const attempts = await client.strategy.attempts(pushed.listId).toArray();
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((a) => a.deliveredAsCallback === false)).toBe(true);
  });

  it("the same 500 with call-request times: a push refuses them (nothing sent), CXone rejects the upload whole", async () => {
    await adminCall(emulator.url, "DELETE", "/requests");
    const refused = await client.strategy
      .push(rows(true), { campaign: skillId, listName: "callbacks 500" })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).message).toMatch(
      /49\d callbacks fall in the 15 minutes .* at most 250 per skill/,
    );
    const log = (await adminCall(emulator.url, "GET", "/requests")) as {
      requests: Array<{ method: string }>;
    };
    expect(log.requests.filter((r) => r.method !== "GET" && r.method !== "HEAD").length).toBeLessThanOrEqual(
      1,
    );

    // Sent anyway, past cxo: the emulator rejects the upload whole, as CXone's help page says.
    const created = (await cxoneApi(
      emulator,
      "POST",
      "/lists/call-lists?listName=raw%20callbacks&externalIdColumn=ExternalId&callRequestTimeColumn=CallRequestTime&callRequestStaleColumn=CallRequestStale&timeZoneColumn=TimeZone",
      { destinationMappings: [{ fieldName: "PhoneNumber", fieldValue: "PhoneNumber" }] },
    )) as { listId: number };
    const csv = [
      "ExternalId,PhoneNumber,CallRequestTime,CallRequestStale,TimeZone",
      ...rows(true).map((r) => `${r.recordId},${r.phone.slice(2)},${r.attemptAt},10,Eastern Standard Time`),
    ].join("\r\n");
    const job = (await cxoneApi(emulator, "POST", `/lists/call-lists/${created.listId}/upload`, {
      listFile: Buffer.from(csv).toString("base64"),
      fileName: "raw.csv",
      skillId: Number(skillId),
      expirationDate: NOON.plus({ days: 1 }).toUTC().toISO(),
      forceOverwrite: false,
      startSkill: false,
      sendEmail: false,
    })) as { jobId: string };
    // The job completes when it is polled, as a client polls it.
    await cxoneApi(emulator, "GET", `/lists/call-lists/jobs/${job.jobId}`);
    const uploads = (await adminCall(emulator.url, "GET", `/lists/${created.listId}/uploads`)) as {
      uploads: Array<{ accepted: boolean; records: number; rejectedBecause?: unknown }>;
    };
    expect(uploads.uploads).toHaveLength(1);
    expect(uploads.uploads[0]).toMatchObject({ accepted: false });
    expect(uploads.uploads[0]?.rejectedBecause).toBeDefined();
  });
});
