import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { oldSqliteStore } from "./fixtures/old-store.ts";
import { tempDataDir } from "./fixtures/temp-dir.ts";

/**
 * The SQLite file's layout, chosen for what a journaled row costs in disk writes (bench
 * tag-commit): 2 KB pages for new stores, checkpoints (kv) in one B-tree. Stores made before keep
 * working and keep their data.
 */
const dirs: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});
const newDir = () => {
  const dir = tempDataDir();
  dirs.push(dir);
  return dir.dir;
};
describe("SQLite store layout", () => {
  it("a new store has 2 KB pages and its checkpoints in one B-tree", async () => {
    const store = await openStore({ dataDir: newDir() });
    try {
      expect(await store.db.get("PRAGMA page_size")).toEqual({ page_size: 2048 });
      const kv = await store.db.get<{ sql: string }>("SELECT sql FROM sqlite_schema WHERE name = 'kv'");
      expect(kv?.sql).toMatch(/WITHOUT ROWID$/);
      const indexes = await store.db.all(
        "SELECT name FROM sqlite_schema WHERE tbl_name = 'kv' AND type = 'index'",
      );
      expect(indexes).toEqual([]);
      await store.kv.set("ns", "k", { done: true });
      expect(await store.kv.get("ns", "k")).toEqual({ done: true });
    } finally {
      await store.close();
    }
  });

  it("an older store keeps its page size and its checkpoints through the upgrade", async () => {
    const dataDir = newDir();
    const raw = oldSqliteStore(dataDir, 6);
    const put = raw.prepare("INSERT INTO kv (namespace, key, value, updated_at) VALUES (?, ?, ?, 't')");
    put.run("dispositions.tag-file:c:d", "0000000001:call-1", JSON.stringify({ done: true, row: 1 }));
    put.run("exports", "cursor", JSON.stringify("page-7"));
    raw.close();

    const store = await openStore({ dataDir });
    try {
      expect(await store.db.get("PRAGMA page_size")).toEqual({ page_size: 4096 });
      expect(await store.kv.get("exports", "cursor")).toBe("page-7");
      expect((await store.kv.list("dispositions.tag-file:c:d")).map((e) => [e.key, e.value])).toEqual([
        ["0000000001:call-1", { done: true, row: 1 }],
      ]);
      const kv = await store.db.get<{ sql: string }>("SELECT sql FROM sqlite_schema WHERE name = 'kv'");
      expect(kv?.sql).toMatch(/WITHOUT ROWID$/);
    } finally {
      await store.close();
    }
  });
});
