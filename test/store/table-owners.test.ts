import { afterAll, describe, expect, it } from "vitest";
import { filesUnder, SRC, srcText } from "../../scripts/source-tree.ts";
import { openStore } from "../../src/core/store/index.ts";
import { SCHEMA_FILE, TABLE_OWNERS } from "../../src/core/store/tables.ts";
import { tempDataDir } from "./fixtures/temp-dir.ts";

/**
 * One owner per table (src/core/store/tables.ts): a table is named in SQL only by the files its
 * entry lists (and by the migrations, which make the schema). Any other module goes through the
 * owner's functions, so a change to how a table stores something touches its owner alone.
 */

/** Every TypeScript and JavaScript file under src/ (the console's browser modules too), as a path inside src/. */
const sourceFiles = (): string[] => filesUnder(SRC, (name) => /\.(ts|js)$/.test(name));

/** The file's code without its comments (a comment may name a table: it explains, it does not query). */
function codeOf(file: string): string {
  return srcText(file)
    .replace(/^\s*\/\*[\s\S]*?\*\//gm, "")
    .replace(/^\s*\/\/.*$/gm, "");
}

/** The tables `code` names in SQL: after FROM, JOIN, INTO, UPDATE, TABLE or EXISTS. */
function tablesNamed(code: string, tables: readonly string[]): string[] {
  return tables.filter((table) =>
    new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE|TABLE|EXISTS)\\s+${table}\\b`, "i").test(code),
  );
}

describe("one owner per table", () => {
  const dir = tempDataDir();
  afterAll(() => dir.remove());

  it("every table the migrations make has an owner, and only those tables", async () => {
    const store = await openStore(dir.dir);
    try {
      const rows = await store.db.all<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      );
      expect(rows.map((r) => r.name)).toEqual(Object.keys(TABLE_OWNERS).sort());
    } finally {
      await store.close();
    }
  });

  it("no source file but a table's owners (and the migrations) names it in SQL", () => {
    const tables = Object.keys(TABLE_OWNERS);
    const strays: string[] = [];
    for (const file of sourceFiles()) {
      if (file === SCHEMA_FILE) continue;
      for (const table of tablesNamed(codeOf(file), tables))
        if (!TABLE_OWNERS[table]?.includes(file)) strays.push(`${file} names ${table}`);
    }
    expect(strays).toEqual([]);
  });

  it("each owner listed exists and names its table (the list does not outlive the code)", () => {
    const files = new Set(sourceFiles());
    for (const [table, owners] of Object.entries(TABLE_OWNERS))
      for (const owner of owners) {
        expect(files.has(owner), `${owner} (owner of ${table})`).toBe(true);
        expect(tablesNamed(codeOf(owner), [table]), `${owner} names ${table}`).toEqual([table]);
      }
  });

  it("the scan finds a table in the statements cxo writes, and not in prose", () => {
    const tables = ["kv", "consent_ledger", "touches"];
    expect(tablesNamed("db.run(`DELETE FROM kv WHERE namespace = ?`)", tables)).toEqual(["kv"]);
    expect(tablesNamed('"SELECT 1 FROM x JOIN consent_ledger l ON …"', tables)).toEqual(["consent_ledger"]);
    expect(tablesNamed("`INSERT INTO touches (id) VALUES (?)`", tables)).toEqual(["touches"]);
    expect(tablesNamed(codeOf(SCHEMA_FILE), tables)).toEqual(tables);
    expect(tablesNamed("store.kv.get(ns, key); const touchesOf = 1;", tables)).toEqual([]);
  });
});
