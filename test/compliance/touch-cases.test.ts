import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { ATTEMPT_LOOKBACK_MS, callsInWindow, NO_REGISTRIES } from "../../src/compliance/index.ts";
import { recordRevocations } from "../../src/consent/ledger.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { planCallsOf } from "../../src/strategy/history.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { placeOf } from "../../src/strategy/place.ts";
import { newPlanSummary, plan } from "../../src/strategy/plan.ts";
import type { PlanRow } from "../../src/strategy/plan-format.ts";
import { storedRulesFor, withStoredRules } from "../../src/strategy/stored-rules.ts";
import { runCli } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";
import { TOUCH_CASES, type TouchCase } from "./touch-cases.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Issue 79's goal: the case table (touch-cases.ts, ≥ 40 cases) is answered 100% right by
 * `cxo compliance check --json` — the touches made elsewhere imported with `cxo touches import`,
 * the revocations in the consent ledger, the seller and its Texas registration in the config —
 * and the planner gives the same verdict for every call among them (a one-record list, the
 * platform's window open at the case's instant only: planned there iff the check allows it).
 */
const REGISTRATION = { number: "TX-2025-0042", until: "2026-08-31" };

interface Dir {
  dataDir: string;
  config: string;
  registrations: Record<string, { number: string; until: string }>;
}

function dataDir(registered: boolean): Dir {
  const root = mkdtempSync(path.join(tmpdir(), "cxo-touch-cases-"));
  const config = path.join(root, "cxo.config.yaml");
  const registrations: Dir["registrations"] = registered ? { TX: REGISTRATION } : {};
  writeFileSync(
    config,
    `consent:\n  seller: acme\n${registered ? `compliance:\n  registrations:\n    TX: { number: ${REGISTRATION.number}, until: "${REGISTRATION.until}" }\n` : ""}`,
  );
  return { dataDir: path.join(root, ".cxo"), config, registrations };
}

const dirs = { plain: dataDir(false), texas: dataDir(true) };
const dirOf = (c: TouchCase) => (c.registeredInTexas ? dirs.texas : dirs.plain);
const env = (dir: Dir) => ({ CXO_DATA_DIR: dir.dataDir });

function checkArgs(c: TouchCase, dir: Dir): string[] {
  const args = ["--json", "--config", dir.config, "compliance", "check", "--phone", c.phone, "--at", c.at];
  if (c.consent !== false) args.push("--consent", "yes");
  if (c.kind) args.push("--kind", c.kind);
  if (c.channel) args.push("--channel", c.channel);
  if (c.account) args.push("--account", c.account);
  if (c.zip) args.push("--zip", c.zip);
  if (c.lastTransaction) args.push("--last-transaction", c.lastTransaction);
  if (c.numberType) args.push("--number-type", c.numberType);
  return args;
}

async function importTouches(dir: Dir, cases: readonly TouchCase[]): Promise<void> {
  const lines = ["phone,at,channel,account,seller"];
  for (const c of cases)
    for (const t of c.touches ?? [])
      lines.push([t.phone ?? c.phone, t.at, t.channel, t.account ?? "", t.seller ?? ""].join(","));
  if (lines.length === 1) return;
  const file = path.join(path.dirname(dir.dataDir), "touches.csv");
  writeFileSync(file, `${lines.join("\n")}\n`);
  const imported = await runCli(
    ["--json", "--config", dir.config, "touches", "import", "--file", file],
    env(dir),
  );
  expect(imported.code, imported.stderr).toBe(0);
  expect(JSON.parse(imported.stdout)).toMatchObject({ rows: lines.length - 1, added: lines.length - 1 });
}

async function recordCaseRevocations(store: Store, cases: readonly TouchCase[]): Promise<void> {
  const revocations = cases.flatMap((c) =>
    (c.revocations ?? []).map((r) => ({
      phone: c.phone,
      receivedAt: r.at,
      channel: r.channel,
      scope: { kind: "tenant" as const },
      source: `case ${c.id}`,
    })),
  );
  await recordRevocations(store, revocations, { actor: "test" });
}

interface CheckDoc {
  allowed: boolean;
  reasons: Array<{ code: string; ruleId: string; citation: string; window?: unknown; touches?: unknown[] }>;
  caps: Array<{ ruleId: string; counted: number; citation: string }>;
}

const stores: Store[] = [];
const verdicts = new Map<string, CheckDoc>();

beforeAll(async () => {
  for (const dir of Object.values(dirs)) {
    const cases = TOUCH_CASES.filter((c) => dirOf(c) === dir);
    await importTouches(dir, cases);
    const store = await openStore(dir.dataDir);
    stores.push(store);
    await recordCaseRevocations(store, cases);
  }
  const results = await runCliBatch(
    TOUCH_CASES.map((c) => ({ args: checkArgs(c, dirOf(c)), env: env(dirOf(c)), cwd: process.cwd() })),
  );
  TOUCH_CASES.forEach((c, i) => {
    const result = results[i];
    expect(result?.code, `${c.id}: ${result?.stderr}`).toBe(0);
    verdicts.set(c.id, JSON.parse(result?.stdout ?? "{}") as CheckDoc);
  });
}, 120_000);

afterAll(async () => {
  for (const store of stores) await store.close();
});

describe("issue 79: the case table from cxo compliance check --json", () => {
  it("has at least 40 cases, each phone its own", () => {
    expect(TOUCH_CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(TOUCH_CASES.map((c) => c.phone)).size).toBe(TOUCH_CASES.length);
  });

  it.each(TOUCH_CASES.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const doc = verdicts.get(c.id) as CheckDoc;
    expect(doc.allowed, JSON.stringify(doc.reasons)).toBe(c.allowed);
    expect([...new Set(doc.reasons.map((r) => r.code))].sort()).toEqual([...c.codes].sort());
    for (const ruleId of c.ruleIds ?? []) expect(doc.reasons.map((r) => r.ruleId)).toContain(ruleId);
    for (const reason of doc.reasons) expect(reason.citation).not.toBe("");
    for (const [ruleId, counted] of Object.entries(c.counted ?? {})) {
      const cap = doc.caps.find((x) => x.ruleId === ruleId);
      expect(cap, `${ruleId} in caps`).toBeDefined();
      expect(cap?.counted).toBe(counted);
      expect(cap?.citation).not.toBe("");
    }
    // A cap's reason names its window and the touches it counted.
    for (const reason of doc.reasons.filter((r) => r.code === "frequency_cap")) {
      expect(reason.window).toBeDefined();
      expect(reason.touches?.length).toBeGreaterThan(0);
    }
  });
});

/**
 * The cases the planner can ask: calls (a plan plans calls). A list row carries the rest of a
 * case: its account, ZIP code, last transaction and number type.
 */
const PLANNABLE = TOUCH_CASES.filter((c) => (c.channel ?? "call") === "call");

describe("issue 79: the same verdicts from strategy plan", () => {
  it("plans at least 20 of the cases", () => {
    expect(PLANNABLE.length).toBeGreaterThanOrEqual(20);
  });

  it.each(PLANNABLE.map((c) => [c.id, c] as const))("%s", async (_id, c) => {
    const dir = dirOf(c);
    const store = stores[dir === dirs.plain ? 0 : 1] as Store;
    const atMs = Date.parse(c.at);
    const zone = placeOf(c.phone)?.zones[0] as string;
    const local = DateTime.fromMillis(atMs, { zone });
    const rules = await storedRulesFor(store, NO_REGISTRIES, "C1", {
      seller: "acme",
      registrations: dir.registrations,
    });
    // The touches the plan counts, gathered as every count gathers them (debt-calls.ts).
    const counted = planCallsOf(
      await callsInWindow({ store }, { fromMs: atMs - ATTEMPT_LOOKBACK_MS, toMs: atMs + 86_400_000 }),
    );
    const options = withStoredRules(
      {
        calls: counted.history,
        accountCalls: counted.accountCalls,
        campaign: "C1",
        from: c.at,
        days: 1,
        kind: c.kind,
        staleMinutes: 0,
        // The platform dials this record at the case's instant only: planned there iff allowed.
        skillHours: {
          zoneHours: [],
          window: {
            zone,
            startMinute: local.hour * 60 + local.minute,
            endMinute: local.hour * 60 + local.minute + 1,
            weekdays: [local.weekday],
          },
        },
      },
      rules,
    );
    const summary = newPlanSummary();
    const rows: PlanRow[] = [];
    const row = {
      recordId: c.id,
      phone: c.phone,
      ...(c.consent === false ? {} : { consent: true }),
      // A collections plan needs each row's account (Regulation F).
      ...(c.account ? { accountId: c.account } : c.kind === "collections" ? { accountId: `P-${c.id}` } : {}),
      ...(c.zip ? { zip: c.zip } : {}),
      ...(c.lastTransaction ? { lastTransactionAt: c.lastTransaction } : {}),
      ...(c.numberType ? { numberType: c.numberType } : {}),
      columns: {},
    };
    for await (const planned of plan(
      engine,
      [row],
      buildModel(new SlotCounts(), { campaign: "C1" }),
      options,
      summary,
    ))
      rows.push(planned);
    expect(rows.length, JSON.stringify(summary.ruledOutByRule)).toBe(c.allowed ? 1 : 0);
    if (c.allowed) expect(Date.parse(rows[0]?.attemptAt as string)).toBe(atMs);
    else expect(c.codes.some((code) => (summary.ruledOutByRule[code] ?? 0) > 0)).toBe(true);
  });
});
