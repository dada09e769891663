import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { InputError } from "../../src/core/input-error.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeySettings } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { pinClock } from "../support/pinned-clock.ts";

/**
 * Issue 92 §2 through the SDK on the production emulator: a plan made for an AI voice (its rows
 * say `voice: ai`, kind sales) is pushed only for records whose consent the ledger holds written
 * (`consent.grant`). A row without it breaks the voice rule by itself: the whole push is refused
 * (InputError naming the row and the code), nothing sent; the granted row alone is pushed.
 */
const HOUR = 3_600_000;
const base = Date.parse("2026-12-02T15:00:00Z");
const at = (hours: number) => new Date(base + hours * HOUR).toISOString().replace(".000Z", "Z");
const GRANTED = "+13125530201";
const BARE = "+13125530202";
let cxone: RunningCxoneEmulator;
let client: InternalClient;
let skillId = "";
let clock: ReturnType<typeof pinClock>;

const row = (recordId: string, phone: string) => ({
  recordId,
  phone,
  attemptAt: at(1),
  zone: "America/Chicago",
  slot: 10,
  attempt: 1,
  estimate: 0.125,
  interval: [0.1, 0.15],
  ruledOut: [],
  campaign: skillId,
  staleMinutes: 59,
  kind: "sales",
  voice: "ai",
});

beforeAll(async () => {
  clock = pinClock();
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 92,
    contacts: 10,
    days: 1,
    uploadJobPolls: 1,
  })) as RunningCxoneEmulator;
  skillId = String(cxone.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!.skillId);
  client = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(cxone)),
    rateLimits: GENEROUS_LIMITS,
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-push-voice-")),
  });
  await client.consent.grant({
    phone: GRANTED,
    purpose: "telemarketing",
    written: true,
    aiDisclosed: true,
    at: "2026-11-01T10:00:00-05:00",
  });
});
afterAll(async () => {
  clock?.restore();
  await client.close();
  await cxone.close();
});

describe("strategy.push of an AI-voiced plan", () => {
  it("refuses the plan whole when a row's record has no written consent; pushes the granted one", async () => {
    await adminCall(cxone.url, "DELETE", "/requests");
    const refused = await client.strategy
      .push([row("r1", GRANTED), row("r2", BARE)], { campaign: skillId, listName: "AI" })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(InputError);
    expect(String((refused as InputError).message)).toMatch(/artificial_voice_no_written_consent|WRITTEN/);
    expect(JSON.stringify((refused as InputError).problems)).toMatch(/r2|"row":2/);
    const log = (await adminCall(cxone.url, "GET", "/requests")) as {
      requests: Array<{ method: string; path: string }>;
    };
    expect(log.requests.filter((r) => r.method === "POST" && r.path.includes("/lists/"))).toEqual([]);

    const pushed = await client.strategy.push([row("r1", GRANTED)], { campaign: skillId, listName: "AI" });
    expect(pushed).toMatchObject({ records: 1, source: "created" });
  });
});
