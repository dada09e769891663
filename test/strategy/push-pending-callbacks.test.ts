import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { InputError } from "../../src/core/input-error.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeySettings, cxoneApiGet } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { pinClock } from "../support/pinned-clock.ts";

/**
 * Issue 90 §2: `strategy push`'s reach check counts CXone's pending scheduled callbacks as dials —
 * per number, and against every account the number was read for (a callback names no debt), so a
 * debt whose other number has 7 callbacks pending this week gets no 8th call (Regulation F, 12 CFR
 * 1006.14(b)(2)). Production emulator; the clock pinned before the callbacks are due (none dialled).
 */
const MONDAY = "2026-12-07T09:30:00-05:00";
const R1 = "+12125558921"; // the debt's number the plan calls
const R2 = "+12125558922"; // the debt's other number, with 7 callbacks pending
const R3 = "+12125558923"; // another debt's number
let emulator: RunningCxoneEmulator;
let client: InternalClient;
let skillId = "";
let clock: ReturnType<typeof pinClock>;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-push-pending-callbacks-"));

/** A collections plan row as `strategy plan` writes it (one attempt, a 59-minute window). */
const row = (recordId: string, phone: string, accountId: string) => ({
  recordId,
  phone,
  accountId,
  attemptAt: "2026-12-07T15:00:00-05:00",
  zone: "America/New_York",
  slot: 15,
  attempt: 1,
  estimate: 0.125,
  interval: [0.1, 0.15],
  ruledOut: [],
  campaign: skillId,
  staleMinutes: 59,
  kind: "collections",
});

const listCount = async () =>
  ((await cxoneApiGet(emulator, "/lists/call-lists")) as { callingLists?: unknown[] }).callingLists?.length ??
  0;

beforeAll(async () => {
  clock = pinClock(MONDAY);
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 90,
    contacts: 20,
    days: 1,
    uploadJobPolls: 1,
    knobs: { listDialRules: "timing-only" },
  })) as RunningCxoneEmulator;
  skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isRunning)
      ?.skillId,
  );
  client = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(emulator)),
    rateLimits: GENEROUS_LIMITS,
    dataDir: path.join(dir, ".cxo"),
  });
  // R2 is the debt's: an email about it last week (an email counts toward no call cap).
  const touches = path.join(dir, "touches.csv");
  writeFileSync(touches, `phone,at,channel,account\n${R2},2026-12-01T10:00:00-05:00,email,ACC-C\n`);
  await client.touches.import({ file: touches });
  // Seven callbacks to R2 today, 10:00 to 13:00 New York, pending in CXone.
  for (let i = 0; i < 7; i++) {
    const at = new Date(Date.parse("2026-12-07T10:00:00-05:00") + i * 30 * 60_000).toISOString();
    await client.callbacks.schedule({ phone: R2, campaign: skillId, at });
  }
}, 60_000);

afterAll(async () => {
  clock?.restore();
  await client?.close();
  await emulator?.close();
});

describe("strategy push counts pending scheduled callbacks (issue 90 §2)", () => {
  it("another debt's number is pushed; the debt with 7 callbacks pending on its other number gets no 8th call", async () => {
    expect(await client.callbacks.list({ campaign: skillId }).toArray()).toHaveLength(7);
    const other = await client.strategy.push([row("r3", R3, "ACC-D")], { campaign: skillId });
    expect(other).toMatchObject({ records: 1, source: "created" });

    const before = await listCount();
    await expect(client.strategy.push([row("r1", R1, "ACC-C")], { campaign: skillId })).rejects.toThrow(
      /reg_f_7_in_7/,
    );
    // Per number too: R2 itself.
    await expect(client.strategy.push([row("r2", R2, "ACC-C")], { campaign: skillId })).rejects.toThrow(
      /reg_f_7_in_7/,
    );
    expect(await listCount()).toBe(before);
  });
});

describe("SDK callbacks.schedule: bad input (issue 90, Bad input)", () => {
  it("a time without an offset or in the past, a number that is not NANP: InputError naming it, nothing sent", async () => {
    await adminCall(emulator.url, "DELETE", "/requests");
    const cases: Array<[Record<string, string>, string]> = [
      [{ phone: "+13125550181", at: "2026-12-08T10:00:00" }, "at"],
      [{ phone: "+13125550181", at: "2026-12-06T10:00:00-05:00" }, "at"],
      [{ phone: "+11235550181", at: "2026-12-08T10:00:00-05:00" }, "phone"],
      [{ phone: "+13121550181", at: "2026-12-08T10:00:00-05:00" }, "phone"],
      [{ phone: "+33612345678", at: "2026-12-08T10:00:00-05:00" }, "phone"],
    ];
    for (const [params, field] of cases) {
      const error = await client.callbacks
        .schedule({ campaign: skillId, phone: params.phone as string, at: params.at as string })
        .catch((e: unknown) => e);
      expect(error, JSON.stringify(params)).toBeInstanceOf(InputError);
      expect((error as InputError).problems.map((p) => p.field)).toEqual([field]);
    }
    const log = (await adminCall(emulator.url, "GET", "/requests")) as { requests: Array<{ path: string }> };
    expect(log.requests.filter((r) => /scheduled-callbacks/i.test(r.path))).toEqual([]);
  });
});
