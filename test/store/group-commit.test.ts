import { describe, expect, it } from "vitest";
import { GroupCommitter } from "../../src/core/store/group-commit.ts";
import { type Operation, openStore, type SqlDb } from "../../src/core/store/index.ts";
import { waitUntil } from "../support/wait-until.ts";
import { STORE_BACKENDS, useFreshStore, useStoreBackend } from "./fixtures/backends.ts";

/** The store's db, counting the transactions it commits. */
function counting(db: SqlDb): SqlDb & { commits: number } {
  const wrapped = Object.create(db) as SqlDb & { commits: number };
  wrapped.commits = 0;
  wrapped.transaction = async (fn, options) => {
    const result = await db.transaction(fn, options);
    wrapped.commits += 1;
    return result;
  };
  return wrapped;
}

const noop: Operation<{ n: number }, number> = {
  kind: "test.noop",
  effect: async (payload) => {
    await new Promise((resolve) => setTimeout(resolve, 1 + (payload.n % 5)));
    return payload.n;
  },
  finish: (settled) => ({ outcome: settled.ok ? "done" : "failed", status: 200 }),
};

describe.each(STORE_BACKENDS)("journal group commit (%s)", (backendName) => {
  const fresh = useFreshStore(useStoreBackend(backendName));

  it("64 concurrent operations share a few commits, not two each, and all are done and audited", async () => {
    const db = fresh.store.db;
    let transactions = 0;
    const original = db.transaction.bind(db);
    db.transaction = (fn, options) => {
      transactions += 1;
      return original(fn, options);
    };
    try {
      const results = await Promise.all(
        Array.from({ length: 64 }, (_, n) =>
          fresh.store.journal.run(noop, { target: `t-${n}`, payload: { n } }),
        ),
      );
      expect(results).toEqual(Array.from({ length: 64 }, (_, n) => n));
    } finally {
      db.transaction = original;
    }
    // One commit per step would be 128 transactions (pending, then done + audit). PostgreSQL
    // groups concurrent commits on the server; the journal groups them itself on SQLite only.
    if (backendName === "sqlite") expect(transactions).toBeLessThanOrEqual(32);
    expect(await fresh.store.journal.counts()).toEqual({ pending: 0, done: 64, failed: 0 });
    expect(await fresh.store.audit.verify()).toMatchObject({ ok: true, records: 64 });
  });

  it("a unit that throws is rolled back alone; the others of its group commit", async () => {
    await fresh.store.db.exec("CREATE TABLE gc_probe (v INTEGER)");
    const commits = new GroupCommitter(fresh.store.db, { windowMs: 20 });
    const insert = (v: number) => commits.submit((tx) => tx.run("INSERT INTO gc_probe (v) VALUES (?)", [v]));
    const failing = commits.submit(async (tx) => {
      await tx.run("INSERT INTO gc_probe (v) VALUES (?)", [99]);
      throw new Error("this unit fails");
    });
    const settled = await Promise.allSettled([insert(1), failing, insert(2)]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(commits.stats()).toEqual({ groups: 1, units: 3 });
    const rows = await fresh.store.db.all<{ v: number }>("SELECT v FROM gc_probe ORDER BY v");
    expect(rows.map((r) => Number(r.v))).toEqual([1, 2]);
  });

  it("a unit resolves only after its group committed; a failed commit rejects every unit", async () => {
    await fresh.store.db.exec("CREATE TABLE gc_probe2 (v INTEGER)");
    const db = counting(fresh.store.db);
    const commits = new GroupCommitter(db, { windowMs: 5 });
    const seenCommits: number[] = [];
    await Promise.all(
      [1, 2, 3].map((v) =>
        commits
          .submit((tx) => tx.run("INSERT INTO gc_probe2 (v) VALUES (?)", [v]))
          .then(() => seenCommits.push(db.commits)),
      ),
    );
    expect(seenCommits).toEqual([1, 1, 1]);

    const broken = Object.create(fresh.store.db) as SqlDb;
    broken.transaction = async (fn) => {
      await fresh.store.db.transaction(async (tx) => {
        await fn(tx);
        throw new Error("disk full at COMMIT");
      });
      return undefined as never;
    };
    const failingCommits = new GroupCommitter(broken, { windowMs: 5 });
    const settled = await Promise.allSettled(
      [4, 5].map((v) => failingCommits.submit((tx) => tx.run("INSERT INTO gc_probe2 (v) VALUES (?)", [v]))),
    );
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected"]);
    const rows = await fresh.store.db.all<{ v: number }>("SELECT v FROM gc_probe2 ORDER BY v");
    expect(rows.map((r) => Number(r.v))).toEqual([1, 2, 3]);
  });

  it("a group that every declared participant has joined closes without waiting out its window", async () => {
    await fresh.store.db.exec("CREATE TABLE gc_probe3 (v INTEGER)");
    // A window no test would wait for: only the early close can commit these groups.
    const commits = new GroupCommitter(fresh.store.db, { windowMs: 600_000 });
    const insert = (v: number) => commits.submit((tx) => tx.run("INSERT INTO gc_probe3 (v) VALUES (?)", [v]));
    const leaveA = commits.enter();
    const leaveB = commits.enter();
    let firstDone = false;
    const first = insert(1).then(() => {
      firstDone = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(firstDone).toBe(false); // B may still join
    await Promise.all([first, insert(2)]);
    expect(commits.stats()).toEqual({ groups: 1, units: 2 });

    // The other participant leaves instead of joining: the one waiting goes alone.
    const third = insert(3);
    leaveB();
    await third;
    expect(commits.stats()).toEqual({ groups: 2, units: 3 });
    leaveA();
    leaveA(); // a second leave is a no-op
    await commits.flush();
  });

  it.runIf(backendName === "sqlite")(
    "a lone journaled operation never waits for a group to fill",
    async () => {
      await fresh.store.close();
      fresh.store = await openStore({ ...fresh.data.target, store: { groupCommitMs: 100_000 } });
      expect(await fresh.store.journal.run(noop, { target: "alone", payload: { n: 1 } })).toBe(1);
      expect(fresh.store.journal.groupCommitStats()).toEqual({ groups: 2, units: 2 });
    },
  );

  it.runIf(backendName === "sqlite")(
    "a re-drive finishes each row without waiting out the window",
    async () => {
      // A row left pending: its effect never returns, then its store closes (leases released).
      void fresh.store.journal.run(
        { ...noop, effect: () => new Promise<number>(() => {}) },
        { target: "left", payload: { n: 2 } },
      );
      await waitUntil(async () => (await fresh.store.journal.pending()).length > 0, {
        what: "the row left pending",
        intervalMs: 5,
      });
      await fresh.store.close();
      fresh.store = await openStore({ ...fresh.data.target, store: { groupCommitMs: 100_000 } });
      const report = await fresh.store.journal.redrivePending([noop as Operation<never, unknown>]);
      expect(report).toMatchObject({ redriven: 1, done: 1 });
      expect(await fresh.store.journal.counts()).toEqual({ pending: 0, done: 1, failed: 0 });
    },
  );
});
