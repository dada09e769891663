import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { addToDnc } from "../../src/compliance/dnc.ts";
import { InputError } from "../../src/core/input-error.ts";
import { openStore } from "../../src/core/store/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeySettings, cxoneApi } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { pinClock } from "../support/pinned-clock.ts";

/**
 * Issue 103 §3 through the SDK on the production emulator: the skill's presented caller id
 * (`callerIdOverride` on GET /skills/{id}) is judged before anything is sent. A telemarketing
 * (sales) plan from a skill presenting none, an invalid number, one of the campaign's own blocked
 * numbers, or whose record shows no caller id at all, is refused (InputError naming the skill and
 * the rule) with no write in the emulator's request log; a collections plan goes, with a warning.
 */
const HOUR = 3_600_000;
const base = Date.parse("2026-12-02T15:00:00Z");
const at = (hours: number) => new Date(base + hours * HOUR).toISOString().replace(".000Z", "Z");
let cxone: RunningCxoneEmulator;
let client: InternalClient;
let dataDir = "";
let skillId = "";
let clock: ReturnType<typeof pinClock>;
let n = 0;

const row = (phone: string, kind: "sales" | "collections") => ({
  recordId: `r${++n}`,
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
  kind,
  ...(kind === "collections" ? { accountId: `acct-${n}` } : {}),
});

const setCallerId = (value: string) =>
  cxoneApi(cxone, "PUT", `/skills/${skillId}`, { skill: { callerIdOverride: value } });

async function writesSince(): Promise<string[]> {
  const log = (await adminCall(cxone.url, "GET", "/requests")) as {
    requests: Array<{ method: string; path: string }>;
  };
  return log.requests
    .filter((r) => r.method !== "GET" && !/token|access-key/.test(r.path))
    .map((r) => `${r.method} ${r.path}`);
}

async function refusal(phone: string): Promise<InputError> {
  const error = await client.strategy
    .push([row(phone, "sales")], { campaign: skillId, listName: `L${n}` })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

beforeAll(async () => {
  clock = pinClock();
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 103,
    contacts: 10,
    days: 1,
    uploadJobPolls: 1,
  })) as RunningCxoneEmulator;
  skillId = String(cxone.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!.skillId);
  dataDir = mkdtempSync(path.join(tmpdir(), "cxo-push-callerid-"));
  const store = await openStore(dataDir);
  await addToDnc(store, ["+13125530177"], { reason: "the campaign's own blocked number" });
  await store.close();
  client = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(cxone)),
    rateLimits: GENEROUS_LIMITS,
    dataDir,
  });
});
afterAll(async () => {
  clock?.restore();
  await client.close();
  await cxone.close();
});
beforeEach(async () => {
  await adminCall(cxone.url, "POST", "/knobs", { skillCallerIdField: "callerIdOverride" });
});

interface CaseRow {
  id: string;
  case: string;
  via: string;
  callerIdOverride?: string;
  knobs?: Record<string, unknown>;
  kind?: "sales" | "collections";
  expect: { refused?: string | null; warning?: string };
}
/** The caller-id rows of issue 103's case table (test/fixtures/compliance/rule-book-2027-cases.json). */
const CASES = (
  JSON.parse(readFileSync(path.resolve("test/fixtures/compliance/rule-book-2027-cases.json"), "utf8")) as {
    rows: CaseRow[];
  }
).rows.filter((r) => r.via === "push");

describe("strategy.push and the skill's presented caller id (47 CFR 64.1601(e))", () => {
  it.each(CASES.filter((r) => typeof r.expect.refused === "string").map((r) => [r.id, r] as const))(
    "%s: refused, naming the skill and the rule, nothing sent",
    async (_id, c) => {
      await setCallerId(c.callerIdOverride ?? "");
      if (c.knobs) await adminCall(cxone.url, "POST", "/knobs", c.knobs);
      await adminCall(cxone.url, "DELETE", "/requests");
      const error = await refusal(`+1312553${String(300 + n).padStart(4, "0")}`);
      expect(error.problems[0]).toMatchObject({ field: "campaign" });
      expect(error.message).toContain(`skill ${skillId}: ${c.expect.refused}`);
      expect(error.message).toContain("64.1601(e)");
      expect(await writesSince()).toEqual([]);
    },
  );

  it("cid-collections: a collections plan from a withheld caller id goes, with a warning (not telemarketing)", async () => {
    const c = CASES.find((r) => r.id === "cid-collections")!;
    await setCallerId(c.callerIdOverride ?? "");
    const pushed = await client.strategy.push([row("+13125530303", "collections")], {
      campaign: skillId,
      listName: "COLL",
    });
    expect(pushed).toMatchObject({ records: 1, source: "created" });
    expect(pushed.warnings.join("\n")).toMatch(new RegExp(`${c.expect.warning}.*not telemarketing`));
  });

  it("cid-valid: a sales plan from a skill presenting a valid number of its own goes; its evidence records the number", async () => {
    const c = CASES.find((r) => r.id === "cid-valid")!;
    await setCallerId(c.callerIdOverride ?? "");
    const pushed = await client.strategy.push([row("+13125530304", "sales")], {
      campaign: skillId,
      listName: "OK",
    });
    expect(pushed).toMatchObject({ records: 1, source: "created" });
    expect(pushed.warnings.join("\n")).not.toMatch(/callerid_/);
    // Its dials' evidence records the number the skill presents (a list's dial names none itself).
    await adminCall(cxone.url, "POST", `/lists/${pushed.listId}/dial`, { until: at(3) });
    const out = path.join(dataDir, "evidence.ndjson");
    await client.compliance.evidence({ listId: pushed.listId, out }).catch(() => undefined);
    const records = readFileSync(out, "utf8")
      .split("\n")
      .filter((line) => line.startsWith("{") && line.includes('"phone"'))
      .map((line) => JSON.parse(line) as { callerId?: string; phone: string });
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(r.callerId).toBe("+13125530999");
  });
});
