import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";

/**
 * Opening a store must not release the locks another connection of the same process holds on
 * its files: closing ANY descriptor of a SQLite file drops every POSIX lock the process has on
 * it. Narrowing the files' modes through an open-and-close did that, and a writer in another
 * process then wrote at the same time ("database disk image is malformed" in the tenants test).
 */
describe("opening a store keeps this process's locks", () => {
  it("a write lock held here still blocks another process after a second open (and mode narrowing)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-lock-"));
    const first = await openStore(dir);
    await first.close();
    const file = path.join(dir, "cxo.sqlite");
    const holder = new DatabaseSync(file);
    holder.exec("PRAGMA journal_mode = WAL");
    holder.exec("BEGIN IMMEDIATE");
    try {
      // Widened, so the second open has something to narrow.
      for (const f of [file, `${file}-wal`, `${file}-shm`]) chmodSync(f, 0o644);
      const second = await openStore(dir).catch(() => undefined);
      await second?.close().catch(() => undefined);
      const script = `const { DatabaseSync } = require("node:sqlite"); const db = new DatabaseSync(${JSON.stringify(file)}); db.exec("PRAGMA busy_timeout = 0"); try { db.exec("BEGIN IMMEDIATE"); db.exec("ROLLBACK"); console.log("acquired"); } catch (e) { console.log("busy"); }`;
      const answer = execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }).trim();
      expect(answer).toBe("busy");
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
  });
});
