import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteDb } from "../../src/core/store/sqlite-db.ts";

/**
 * Stop 57's CI run: `cxo outcomes export` failed with a bare "database is locked" when four
 * commands started together on a fresh data dir. A new SQLite file is in rollback-journal mode
 * until the first opener switches it to WAL; while another process holds its write lock, the
 * switch is refused at once (SQLite sees a possible deadlock and skips the busy handler), so
 * the busy timeout never applied. The open now waits for the lock like any other statement.
 */
describe("opening a store another process is writing for the first time", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Another process takes `lock` on the fresh file and holds it for `holdMs`. */
  async function holdLock(file: string, lock: string, holdMs: number): Promise<{ released: Promise<void> }> {
    const program = `
      const { DatabaseSync } = require("node:sqlite");
      const db = new DatabaseSync(${JSON.stringify(file)});
      db.exec(${JSON.stringify(lock)});
      process.stdout.write("held\\n");
      setTimeout(() => { db.exec("COMMIT"); db.close(); }, ${holdMs});`;
    const child = spawn(process.execPath, ["-e", program], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.once("data", () => resolve());
      child.once("exit", (code) => reject(new Error(`the lock holder exited (${code})`)));
    });
    return { released: exited };
  }

  for (const lock of ["BEGIN IMMEDIATE", "BEGIN EXCLUSIVE"])
    it(`waits for the holder's ${lock} transaction, then opens in WAL mode`, async () => {
      dir = mkdtempSync(path.join(tmpdir(), "cxo-open-contention-"));
      const file = path.join(dir, "cxo.sqlite");
      const { released } = await holdLock(file, lock, 400);
      const db = openSqliteDb(file, { busyTimeoutMs: 20_000 });
      try {
        expect(await db.get<{ journal_mode: string }>("PRAGMA journal_mode")).toEqual({
          journal_mode: "wal",
        });
      } finally {
        await db.close();
        await released;
      }
    });

  it("still gives up when the lock outlasts the busy timeout", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "cxo-open-contention-"));
    const file = path.join(dir, "cxo.sqlite");
    const { released } = await holdLock(file, "BEGIN IMMEDIATE", 2_000);
    expect(() => openSqliteDb(file, { busyTimeoutMs: 200 })).toThrow(/database is locked/);
    await released;
  });
});
