import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { recordAttempt } from "../../src/compliance/attempts.ts";
import { addToDnc } from "../../src/compliance/dnc.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { createTestDatabase } from "../support/postgres-server.ts";
import { inTurn, runCli } from "../support/run-cli.ts";
import { waitUntil } from "../support/wait-until.ts";
import { tempDataDir } from "./fixtures/temp-dir.ts";

/**
 * `cxo store migrate --to postgres://…` copies every table of an SQLite store, row for row, and
 * the audit chain verifies on the copy (`cxo audit verify` with CXO_DATABASE_URL).
 */
let data: ReturnType<typeof tempDataDir>;
let database: Awaited<ReturnType<typeof createTestDatabase>>;

async function fill(store: Store): Promise<void> {
  const effect = async () => ({ ok: true });
  const op = (kind: string) => ({
    kind,
    effect,
    finish: () => ({
      outcome: "done" as const,
      events: [{ type: `${kind}.done`, destination: "bi", data: { kind }, orderKey: "k" }],
      checkpoints: [{ namespace: "job", key: kind, value: { row: kind.length } }],
    }),
  });
  for (let i = 0; i < 30; i++)
    await store.journal.run(op(`op.${i % 3}`), { target: `t-${i}`, payload: { i } });
  // A pending row (a crash mid-effect) and a dead-lettered event must move with their state.
  void store.journal.run(
    { ...op("op.hang"), effect: () => new Promise(() => {}) },
    { target: "t-hang", payload: {} },
  );
  await waitUntil(async () => (await store.journal.pending()).length > 0, {
    what: "the hanging row pending",
  });
  const [first] = await store.outbox.list({ limit: 1 });
  await store.outbox.settle([{ seq: first!.seq, outcome: "dead", status: 500, error: "HTTP 500" }]);
  await store.audit.appendBatch(
    Array.from({ length: 50 }, (_, i) => ({ operation: "bulk", outcome: "done", target: `b${i}` })),
  );
  await addToDnc(store, ["+12025550123", "+12025550124"], { reason: "asked" });
  await recordAttempt(store, {
    phone: "+12025550125",
    campaignId: "camp-1",
    at: Date.now(),
    outcome: "answered",
  });
  await store.seenIds.claim("cxone", ["wh-1", "wh-2"]);
  // More checkpoints than one copy page (500), in a table keyed by (namespace, key), not rowid.
  for (let row = 0; row < 1_200; row++)
    await store.kv.set("bulk", String(row).padStart(10, "0"), { done: true, row });
  await store.leases.acquire("service.leader", 5000);
}

beforeAll(async () => {
  data = tempDataDir();
  database = await createTestDatabase(inject("pgUrl"), "cxo_migrate");
  const store = await openStore(data.dir);
  await fill(store);
  await store.close();
});

afterAll(async () => {
  await database.drop();
  data.remove();
});

describe("cxo store migrate --to postgres://…", () => {
  it("copies every table with its rows and states; the audit chain verifies on PostgreSQL", async () => {
    const env = { CXO_DATA_DIR: data.dir };
    const result = await runCli(["--json", "store", "migrate", "--to", database.url], env, {
      timeoutMs: 30_000,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.audit).toMatchObject({ ok: true, records: 30 + 50 + 2 });
    expect(report.tables).toMatchObject({
      journal: 31,
      audit_log: 82,
      outbox: 30,
      kv: 3 + 1_200,
      dnc_numbers: 2,
      call_attempts: 1,
      webhook_ids: 2,
      leases: 1,
    });

    const verify = await runCli(["--json", "audit", "verify"], { ...env, CXO_DATABASE_URL: database.url });
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, records: 82, firstBrokenAt: null });

    const sqlite = await openStore(data.dir);
    const pg = await openStore({ dataDir: data.dir, store: { url: database.url } });
    try {
      expect(pg.backend).toBe("postgres");
      expect(await pg.outbox.list({ limit: 100 })).toEqual(await sqlite.outbox.list({ limit: 100 }));
      expect(await pg.journal.pending()).toEqual(await sqlite.journal.pending());
      expect(await pg.journal.counts()).toEqual({ pending: 1, done: 30, failed: 0 });
      expect(await pg.kv.list("job")).toEqual(await sqlite.kv.list("job"));
      expect(await pg.kv.list("bulk")).toEqual(await sqlite.kv.list("bulk"));
      expect(await pg.audit.head()).toEqual(await sqlite.audit.head());
      // The copy keeps working: new rows continue the sequences and the chain.
      await pg.outbox.enqueue([{ type: "after", destination: "bi", data: {} }]);
      expect((await pg.outbox.list({ limit: 100 })).at(-1)!.seq).toBeGreaterThan(30);
      await pg.audit.append({ operation: "after", outcome: "done" });
      expect(await pg.audit.verify()).toMatchObject({ ok: true, records: 83 });
    } finally {
      await sqlite.close();
      await pg.close();
    }

    // A second copy into a database that holds a store is refused (exit 2), nothing changed.
    const again = await runCli(["store", "migrate", "--to", database.url], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a store/);
  }, 120_000);

  it("a database whose store holds only a lease (an instance ran there) is refused with exit 2, unchanged", async () => {
    const other = await createTestDatabase(inject("pgUrl"), "cxo_migrate_lease");
    try {
      const running = await openStore({ dataDir: data.dir, store: { url: other.url } });
      await running.leases.acquire("service.leader", 60_000);
      await running.close();
      const result = await runCli(["store", "migrate", "--to", other.url], { CXO_DATA_DIR: data.dir });
      expect(result.stderr).toMatch(/already holds a store \(leases has 1 rows?\)/);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.code).toBe(2);
      const after = await openStore({ dataDir: data.dir, store: { url: other.url } });
      try {
        expect(await after.journal.counts()).toEqual({ pending: 0, done: 0, failed: 0 });
        expect((await after.leases.get("service.leader"))?.token).toBe(1);
      } finally {
        await after.close();
      }
    } finally {
      await other.drop();
    }
  }, 120_000);

  it("bad targets are exit 2 with one line naming --to", async () => {
    const env = { CXO_DATA_DIR: data.dir };
    const [notPg, missing, down] = await inTurn([
      () => runCli(["store", "migrate", "--to", "mysql://x/y"], env),
      () => runCli(["store", "migrate"], env),
      // A database that does not answer: exit 1, says which (without its password) and why.
      () =>
        runCli(["audit", "verify"], {
          ...env,
          CXO_DATABASE_URL: "postgres://cxo:hunter2-secret@127.0.0.1:1/none",
        }),
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /PostgreSQL store at postgres:\/\/cxo:\*\*\*@127\.0\.0\.1:1\/none could not be opened/,
    );
    expect(down.stderr).not.toContain("hunter2-secret");
    expect(notPg.code).toBe(2);
    expect(notPg.stderr).toMatch(/--to.*postgres/);
    expect(missing.code).toBe(2);
  });
});
