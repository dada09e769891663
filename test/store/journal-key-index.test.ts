import { afterEach, describe, expect, it } from "vitest";
import { type Operation, openStore } from "../../src/core/store/index.ts";
import { STORE_BACKENDS, useFreshStore, useStoreBackend } from "./fixtures/backends.ts";
import { oldSqliteStore } from "./fixtures/old-store.ts";
import { tempDataDir } from "./fixtures/temp-dir.ts";

/**
 * The journal indexes only the idempotency keys callers chose (migration 6). A derived key is a
 * content hash nobody looks up; its index put every row of a bulk run on a random index page,
 * one more page written per row. `findByKey` still finds every key a caller gave.
 */
const op: Operation<{ n: number }, number> = {
  kind: "test.key-index",
  effect: async (payload) => payload.n,
  finish: () => ({ outcome: "done", status: 200 }),
};

describe.each(STORE_BACKENDS)("journal key index (%s)", (backendName) => {
  const fresh = useFreshStore(useStoreBackend(backendName));

  it("finds operations by the keys their callers gave; derived keys stay out of the index", async () => {
    for (let n = 0; n < 3; n++) await fresh.store.journal.run(op, { target: `derived-${n}`, payload: { n } });
    await fresh.store.journal.run(op, { target: "given", payload: { n: 10 }, idempotencyKey: "step-a" });
    await fresh.store.journal.run(op, { target: "given", payload: { n: 11 }, idempotencyKey: "step-b" });

    expect(await fresh.store.journal.findByKey("step-a")).toMatchObject({ target: "given", status: "done" });
    expect(await fresh.store.journal.findByKey("step-b")).toMatchObject({ status: "done" });
    const derived = await fresh.store.db.get<{ idempotency_key: string }>(
      "SELECT idempotency_key FROM journal WHERE target = 'derived-0'",
    );
    expect(derived?.idempotency_key).toMatch(/^idk_/);
    expect(await fresh.store.journal.findByKey(derived!.idempotency_key)).toBeUndefined();
    const flagged = await fresh.store.db.all<{ target: string }>(
      "SELECT target FROM journal WHERE caller_key = 1 ORDER BY seq",
    );
    expect(flagged.map((r) => r.target)).toEqual(["given", "given"]);

    if (backendName === "sqlite") {
      const plan = await fresh.store.db.all<{ detail: string }>(
        "EXPLAIN QUERY PLAN SELECT * FROM journal WHERE caller_key = 1 AND idempotency_key = ? ORDER BY seq DESC LIMIT 1",
        ["step-a"],
      );
      expect(plan.map((row) => row.detail).join("\n")).toContain("journal_by_caller_key");
      // Pending rows (re-drive, lease renewal) come from the partial index of pending rows.
      for (const sql of [
        "SELECT * FROM journal WHERE status = 'pending' ORDER BY seq",
        "UPDATE journal SET lease_until_ms = 0 WHERE lease_owner = 'x' AND status = 'pending'",
      ]) {
        const steps = await fresh.store.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`);
        expect(steps.map((row) => row.detail).join("\n")).toContain("journal_pending");
      }
      const indexed = await fresh.store.db.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM journal INDEXED BY journal_pending WHERE status = 'pending'",
      );
      expect(Number(indexed?.n)).toBe(0);
    }
  });
});

describe("journal key index: upgrading a store made before migration 6 (sqlite)", () => {
  const dirs: Array<{ remove(): void }> = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it("keeps finding the caller keys recorded before the upgrade", async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    // A version-5 store, made by the migrations as they shipped, with one row of each kind of key.
    const raw = oldSqliteStore(dir.dir, 5);
    const insert = raw.prepare(
      `INSERT INTO journal (id, kind, target, idempotency_key, payload, payload_digest, status, attempts,
        created_at, updated_at) VALUES (?, 'campaigns.set-status', 'c1', ?, '{}', 'd', 'done', 1, 't', 't')`,
    );
    insert.run("op_1", "inc-1:pause-primary");
    insert.run("op_2", `idk_${"a".repeat(40)}`);
    raw.close();

    const store = await openStore({ dataDir: dir.dir });
    try {
      expect(await store.journal.findByKey("inc-1:pause-primary")).toMatchObject({
        id: "op_1",
        status: "done",
      });
      expect(await store.journal.findByKey(`idk_${"a".repeat(40)}`)).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
