import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../src/client.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import type { ListRow } from "../../src/strategy/list-format.ts";
import { type PlanRow, planRowSchema } from "../../src/strategy/plan-format.ts";
import { accessKeyEnv, accessKeySettings } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * `cxo strategy plan` builds its rules where the SDK's `strategy.plan` does, so it reads what
 * `strategy push` reads: agents' "Do Not Call" dispositions set in CXone (a fresh data dir plans
 * neither number an agent marked), the skill's hours and weekly schedule (a model that rates 08:00
 * and 20:00 best, hours the law allows and the skill does not dial, gets the skill's hours), and a
 * CXone that cannot answer for the dispositions fails the plan (exit 1) instead of planning on a
 * ledger that may lack a "Do Not Call". The CLI's plan and the SDK's plan of one list are the same
 * rows. Before, the CLI built its own rules: it planned both marked numbers, the hours outside the
 * skill's, and exited 0 with `/contacts/completed` answering 503.
 */
const NOW = "2026-12-02T12:00:00Z"; // a Wednesday, 07:00 in New York
const FROM = "2026-12-02T07:00:00-05:00";
let emulator: RunningCxoneEmulator;
let skillId = "";
let clock: ReturnType<typeof pinClock>;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-plan-reads-"));
const file = (name: string) => path.join(dir, name);
/** The numbers agents marked "Do Not Call" on calls of the business unit (set below). */
const marked: string[] = [];

/** Accounts of one or two numbers in six zones (Florida's 850 spans two). */
const CLEAN: Array<[string, string]> = [
  ["+12125557301", "A1"],
  ["+13125557302", "A2"],
  ["+13035557303", "A3"],
  ["+12135557304", "A4"],
  ["+18505557305", "A5"],
  ["+16025557306", "A6"],
  ["+12125557307", "A6"],
];
const listRows = (): ListRow[] =>
  [...CLEAN, ...marked.map((phone, i) => [phone, `D${i + 1}`] as [string, string])].map(
    ([phone, accountId], i) => ({ recordId: `r${i + 1}`, phone, accountId, consent: true }),
  );

const env = (name: string, extra: Record<string, string> = {}) => ({
  ...accessKeyEnv(emulator),
  CXO_DATA_DIR: file(name),
  ...cliClockEnv(),
  ...extra,
});
const plan = (dataDir: string, out: string) => ({
  args: [
    "--json",
    "strategy",
    "plan",
    "--list",
    file("list.csv"),
    "--model",
    file("model.json"),
    "--campaign",
    skillId,
    "--kind",
    "collections",
    "--from",
    FROM,
    "--days",
    "3",
    "--out",
    file(out),
  ],
  env: env(dataDir),
  cwd: dir,
});
const planned = (name: string): PlanRow[] =>
  readFileSync(file(name), "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => planRowSchema.parse(JSON.parse(line)) as PlanRow);

let cliPlan: CliResult;

beforeAll(async () => {
  clock = pinClock(NOW);
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 88,
    contacts: 50,
    days: 1,
  })) as RunningCxoneEmulator;
  await adminCall(emulator.url, "POST", "/knobs", { warehouseLagS: 0 });
  const f = emulator.fixtures;
  skillId = String(f.skills.find((s) => s.outboundStrategy === "Personal Connection")?.skillId);
  // Two agents say "Do Not Call" on live calls, which then end (the business unit's completed contacts).
  const dnc = f.dispositions.find((d) => d.dispositionName === "Do Not Call");
  const busy = f.skills.find((s) => s.isRunning && dnc && s.dispositionIds.includes(dnc.dispositionId));
  if (!dnc || !busy) throw new Error("fixtures lack a Do Not Call disposition on a running skill");
  const desk = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(emulator)),
    rateLimits: GENEROUS_LIMITS,
    dataDir: file(".cxo-desk"),
  });
  try {
    const { contacts } = (await adminCall(emulator.url, "POST", `/skills/${busy.skillId}/contacts`, {
      count: 2,
    })) as { contacts: Array<{ contactId: number }> };
    for (const { contactId } of contacts) {
      const id = String(contactId);
      marked.push((await desk.port.dispositions.getCall(id)).phone as string);
      await desk.port.dispositions.setCallDisposition(id, {
        dispositionCodeId: String(dnc.dispositionId),
        tags: [],
      });
      await adminCall(emulator.url, "POST", `/contacts/${id}/end`);
    }
  } finally {
    await desk.close();
  }
  // 08:00 and 20:00 local answer best, every day: hours the law allows and the skill never dials.
  const counts = new SlotCounts();
  for (let s = 0; s < 168; s++)
    counts.add(["state"], { state: "ZZ" }, s, 400, [8, 20].includes(s % 24) ? 300 : 8);
  writeFileSync(file("model.json"), JSON.stringify(buildModel(counts, { campaign: skillId })));
  writeFileSync(
    file("list.csv"),
    `recordId,phone,accountId,consent\n${listRows()
      .map((r) => `${r.recordId},${r.phone},${r.accountId},true`)
      .join("\n")}\n`,
  );
  writeFileSync(file("cxo.config.yaml"), "http:\n  rateLimitScale: 100\n");
  [cliPlan] = (await runCliBatch([plan(".cxo-cli", "cli.ndjson")], 1)) as [CliResult];
}, 120_000);

afterAll(async () => {
  clock?.restore();
  await emulator?.close();
});

describe("cxo strategy plan reads what strategy push reads", () => {
  it("on a fresh data dir, never plans a number an agent marked Do Not Call in CXone", () => {
    expect(marked).toHaveLength(2);
    expect(cliPlan.code, cliPlan.stderr).toBe(0);
    const phones = new Set(planned("cli.ndjson").map((r) => r.phone));
    for (const phone of marked) expect(phones.has(phone)).toBe(false);
    expect(phones.size).toBe(CLEAN.length);
    expect(JSON.parse(cliPlan.stdout).suppressed).toMatchObject({ consent_revoked: 2 });
  });

  it("plans inside the skill's hours and weekly schedule, not at the law's edges", () => {
    const rows = planned("cli.ndjson");
    expect(rows.length).toBeGreaterThan(0);
    // The skill dials 09:00-20:00 in each zone it lists, on a weekday schedule of 09:00-20:00
    // Eastern: Arizona (no row of its own) by the law's 08:00 and the schedule's 18:00 there.
    for (const row of rows) {
      const local = Number(row.attemptAt.slice(11, 13));
      const [open, close] = row.zone === "America/Phoenix" ? [8, 18] : [9, 20];
      expect(local, `${row.phone} at ${row.attemptAt}`).toBeGreaterThanOrEqual(open);
      expect(local + 1, `${row.phone} at ${row.attemptAt}`).toBeLessThanOrEqual(close);
    }
    expect(JSON.parse(cliPlan.stdout).ruledOutByRule).toHaveProperty("outside_skill_hours");
  });

  it("the CLI's plan and the SDK's plan of one list are the same rows", async () => {
    const client = createInternalClient({
      ...clientOptionsFromSettings(accessKeySettings(emulator)),
      rateLimits: GENEROUS_LIMITS,
      dataDir: file(".cxo-sdk"),
    });
    try {
      const model = JSON.parse(readFileSync(file("model.json"), "utf8"));
      const sdk = await client.strategy.plan(listRows(), model, {
        campaign: skillId,
        kind: "collections",
        from: FROM,
        days: 3,
      });
      const cli = planned("cli.ndjson");
      expect(sdk.rows.length).toBeGreaterThan(0);
      expect(cli).toEqual(sdk.rows.map((row) => planRowSchema.parse({ ...row, campaign: skillId })));
    } finally {
      await client.close();
    }
  });

  it("a list given once (an async iterable) is planned whole on CXone; a list given as a function is read twice, not three times", async () => {
    const client = createInternalClient({
      ...clientOptionsFromSettings(accessKeySettings(emulator)),
      rateLimits: GENEROUS_LIMITS,
      dataDir: file(".cxo-sdk-reads"),
    });
    try {
      const model = JSON.parse(readFileSync(file("model.json"), "utf8"));
      const params = { campaign: skillId, kind: "collections" as const, from: FROM, days: 3 };
      const whole = await client.strategy.plan(listRows(), model, params);
      // Read once: the counts' numbers (CXone's dials of the list's numbers) and the plan share it.
      const once = await client.strategy.plan(
        (async function* () {
          yield* listRows();
        })(),
        model,
        params,
      );
      expect(once.summary.records).toBe(listRows().length);
      expect(once.rows).toEqual(whole.rows);
      // A function is read afresh each time: the accounts' check (which notes the list's numbers
      // and debts for the counts) before anything is sent, then the plan.
      let reads = 0;
      const fresh = await client.strategy.plan(
        () => {
          reads++;
          return listRows();
        },
        model,
        params,
      );
      expect(fresh.rows).toEqual(whole.rows);
      expect(reads).toBe(2);
    } finally {
      await client.close();
    }
  });

  it("a CXone calling list given as { listId } is planned as the CLI plans --list ID, read as a function is (twice)", async () => {
    const listId = emulator.fixtures.callingLists.find(
      (l) => l.size > 0 && l.skillIds.includes(Number(skillId)),
    )?.listId;
    expect(listId).toBeDefined();
    const job = plan(".cxo-cli-list", "cli-list.ndjson");
    const args = [...job.args];
    args.splice(args.indexOf("--list") + 1, 1, String(listId));
    args.splice(args.indexOf("--kind") + 1, 1, "sales");
    const [run] = (await runCliBatch([{ ...job, args }], 1)) as [CliResult];
    expect(run.code, run.stderr).toBe(0);
    const client = createInternalClient({
      ...clientOptionsFromSettings(accessKeySettings(emulator)),
      rateLimits: GENEROUS_LIMITS,
      dataDir: file(".cxo-sdk-list"),
    });
    try {
      const model = JSON.parse(readFileSync(file("model.json"), "utf8"));
      // Each read of the list is one listing of the client's contacts: the accounts' check, then the plan.
      const contacts = client.campaigns.contacts.bind(client.campaigns);
      let reads = 0;
      client.campaigns.contacts = (...args) => {
        reads++;
        return contacts(...args);
      };
      const sdk = await client.strategy.plan({ listId: String(listId) }, model, {
        campaign: skillId,
        kind: "sales",
        from: FROM,
        days: 3,
      });
      // CXone's contacts carry no consent to calls: every record is read and ruled out, the same
      // way on both sides (and the numbers on CXone's DNC list suppressed), no row planned.
      const cli = JSON.parse(run.stdout) as Record<string, unknown>;
      const { records, planned: count, unplannable, ruledOutByRule, suppressed } = sdk.summary;
      expect(records).toBe(emulator.fixtures.callingLists.find((l) => l.listId === listId)?.size);
      expect(ruledOutByRule).toHaveProperty("no_consent");
      expect(suppressed).toHaveProperty("cxone_dnc");
      expect(cli).toMatchObject({ records, planned: count, unplannable, ruledOutByRule, suppressed });
      expect(planned("cli-list.ndjson")).toEqual(
        sdk.rows.map((row) => planRowSchema.parse({ ...row, campaign: skillId })),
      );
      expect(reads).toBe(2);
    } finally {
      await client.close();
    }
  });

  it("CXone cannot answer for the agents' dispositions: exit 1, no plan written", async () => {
    await adminCall(emulator.url, "POST", "/faults", { group: "completed", errorRate: 1, errorStatus: 503 });
    writeFileSync(file("one-attempt.yaml"), "http:\n  maxAttempts: 1\n  rateLimitScale: 100\n");
    try {
      const job = plan(".cxo-broken", "broken.ndjson");
      const [run] = (await runCliBatch(
        [{ ...job, args: ["--config", file("one-attempt.yaml"), ...job.args] }],
        1,
      )) as [CliResult];
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(/contacts\/completed|503/);
      expect(() => readFileSync(file("broken.ndjson"))).toThrow();
    } finally {
      await adminCall(emulator.url, "DELETE", "/faults");
    }
  });
});
