import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { openStore } from "../../src/core/store/index.ts";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import { planRecords, pushKeyOf } from "../../src/strategy/push.ts";
import { pushLeaseName } from "../../src/strategy/push-lease.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { startListEmulator } from "../support/cxone-list-dialer.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { createTestDatabase } from "../support/postgres-server.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCli } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * One push of a plan at a time, across processes sharing a store: five `cxo strategy push` of one
 * plan started together (two cron hosts, a retry wrapper, an operator beside the cron) make one
 * list with one upload, on SQLite and on PostgreSQL, and the emulator's list dialer dials each
 * number at most once. Each run either did the push, found it done (`store`), or — had the
 * first held the plan for longer than the wait — exited 1 saying another push of the plan runs.
 */
const HOUR = 3_600_000;
let cxone: RunningCxoneEmulator;
let skillId = "";
let clock: ReturnType<typeof pinClock>;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-push-lease-"));
// The clock is pinned (a Wednesday 09:00 New York); the records go out the same day.
const base = Date.parse("2026-12-02T15:00:00Z");
const at = (hours: number) => new Date(base + hours * HOUR).toISOString().replace(".000Z", "Z");

/** A plan of `n` Chicago numbers, one attempt each within the next hours. */
function planFile(name: string, prefix: string, n: number): string {
  const rows = Array.from({ length: n }, (_, i) => ({
    recordId: `${prefix}${i + 1}`,
    phone: `+1312555${String(7000 + i).padStart(4, "0")}`,
    attemptAt: at(2 + (i % 4)),
    zone: "America/Chicago",
    slot: 10,
    attempt: 1,
    estimate: 0.125,
    interval: [0.1, 0.15],
    ruledOut: [],
    campaign: skillId,
    staleMinutes: 59,
  }));
  const file = path.join(dir, name);
  writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
  return file;
}

type Logged = { method: string; path: string; status: number };

/** Five pushes of one plan at once; what they answered and what the emulator saw. */
async function fivePushes(plan: string, env: Record<string, string>) {
  await adminCall(cxone.url, "DELETE", "/requests");
  const push = ["--json", "strategy", "push", "--plan", plan, "--campaign", skillId];
  const results = await runCliBatch(
    Array.from({ length: 5 }, () => ({ args: push, env, cwd: dir })),
    5,
  );
  const log = ((await adminCall(cxone.url, "GET", "/requests")) as { requests: Logged[] }).requests;
  return { results, log };
}

function expectOnePush(results: CliResult[], log: Logged[]) {
  // One list made, one upload into it.
  expect(log.filter((r) => r.method === "POST" && /\/upload$/.test(r.path))).toHaveLength(1);
  expect(log.filter((r) => r.method === "POST" && /\/lists\/call-lists$/.test(r.path))).toHaveLength(1);
  const done = results.filter((r) => r.code === 0).map((r) => JSON.parse(r.stdout));
  for (const r of results)
    if (r.code !== 0) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/another push of this plan is running/);
    }
  expect(done.filter((s) => s.source === "created")).toHaveLength(1);
  for (const summary of done) expect(["created", "store"]).toContain(summary.source);
  const listIds = new Set(done.map((s) => s.listId as string));
  expect(listIds.size).toBe(1);
  // What the list holds (a number in the emulator's CXone DNC groups is left out).
  return { listId: [...listIds][0] as string, records: done[0].records as number };
}

/** Every record the list holds dialled once, no number twice. */
async function expectDialledOnce({ listId, records }: { listId: string; records: number }) {
  await adminCall(cxone.url, "POST", `/lists/${listId}/dial`, { until: at(30) });
  const { dials } = (await adminCall(cxone.url, "GET", `/lists/${listId}/dials`)) as {
    dials: Array<{ externalId: string; phone: string }>;
  };
  expect(dials).toHaveLength(records);
  expect(new Set(dials.map((d) => d.phone)).size).toBe(records);
  expect(new Set(dials.map((d) => d.externalId)).size).toBe(records);
}

beforeAll(async () => {
  clock = pinClock();
  ({ emulator: cxone, skillId } = await startListEmulator(88));
});
afterAll(async () => {
  clock?.restore();
  await cxone?.close();
});

describe("five pushes of one plan started together", () => {
  it("on SQLite: one list, one upload, each number dialled once", async () => {
    const env = { ...accessKeyEnv(cxone), CXO_DATA_DIR: path.join(dir, "sqlite"), ...cliClockEnv() };
    const { results, log } = await fivePushes(planFile("plan-sqlite.ndjson", "s", 24), env);
    await expectDialledOnce(expectOnePush(results, log));
  });

  it("on PostgreSQL: one list, one upload, each number dialled once", async () => {
    const db = await createTestDatabase(inject("pgUrl"), "cxo_push_lease");
    try {
      const env = {
        ...accessKeyEnv(cxone),
        CXO_DATA_DIR: path.join(dir, "pg"),
        CXO_DATABASE_URL: db.url,
        ...cliClockEnv(),
      };
      const { results, log } = await fivePushes(planFile("plan-pg.ndjson", "p", 24), env);
      await expectDialledOnce(expectOnePush(results, log));
    } finally {
      await db.drop();
    }
  });
});

describe("a push whose plan another run holds", () => {
  it("exits 1 at once with --wait-s 0, saying so, nothing sent; goes once the other is done", async () => {
    const dataDir = path.join(dir, "held");
    const env = { ...accessKeyEnv(cxone), CXO_DATA_DIR: dataDir, ...cliClockEnv() };
    const plan = planFile("plan-held.ndjson", "h", 3);
    const rows = readFileSync(plan, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const { key } = pushKeyOf(await planRecords(engine, rows, { campaign: skillId }), skillId);
    // Another run (this process, alive) holds the plan's lease.
    const store = await openStore(dataDir);
    try {
      const other = await store.leases.acquire(pushLeaseName(key), 60_000);
      expect(other).not.toBeNull();
      await adminCall(cxone.url, "DELETE", "/requests");
      const push = ["strategy", "push", "--plan", plan, "--campaign", skillId];
      const refused = await runCli([...push, "--wait-s", "0"], env, { cwd: dir });
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toMatch(/^error: another push of this plan is running \(held by /);
      const log = ((await adminCall(cxone.url, "GET", "/requests")) as { requests: Logged[] }).requests;
      expect(log.filter((r) => r.path.includes("/lists/"))).toEqual([]);

      await store.leases.release(other!);
      const done = await runCli(["--json", ...push, "--wait-s", "0"], env, { cwd: dir });
      expect(done.code, done.stderr).toBe(0);
      expect(JSON.parse(done.stdout)).toMatchObject({ source: "created" });
    } finally {
      await store.close();
    }
  });
});
