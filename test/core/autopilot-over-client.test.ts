import { describe, expect, it } from "vitest";
import { srcModules, srcText } from "../../scripts/source-tree.ts";

// The autopilot is an application over the client (docs/autopilot.md): it calls the client's
// public groups and is given the rest by the SDK's application host (src/sdk/application-host.ts):
// the store for its own state, the SDK's way of running a call, the platform's answers. It never
// opens the client's runtime or reads the port.
const AUTOPILOT = "autopilot/";

/** What an application must not reach: the client's internals, its runtime, the port or the platform's adapters. */
const INTERNAL_REACH =
  /from\s+"\.\.\/sdk\/internals\.ts"|import\("\.\.\/sdk\/internals\.ts"\)|\bruntimeOf\(|\binternalsOf\(|\.port\.|from\s+"\.\.\/platform\/(?!ports\/)/;

/**
 * The store's SQL handle (`store.db`, `db.prepare`): tables another room owns (consent's DNC copy,
 * its read of CXone's completed contacts) are read for the autopilot by the application host. The
 * autopilot keeps its own state through the store's key-value and local-operation helpers.
 */
const STORE_HANDLE = /\.db\b|\{[^}]*\bdb\b[^}]*\}\s*=/;

/**
 * Modules that still use the store's handle. This list only shrinks: the scan fails on a module
 * not in it, and on a module in it that no longer needs its row.
 */
const STORE_HANDLE_ALLOWED: string[] = [];

/** The code lines (comments left out) of src/autopilot matching `pattern`, as `file:line: text`. */
function codeLinesMatching(pattern: RegExp): string[] {
  return srcModules(AUTOPILOT).flatMap((file) =>
    srcText(file)
      .split("\n")
      .map((line, i) => ({ line, at: `${file.slice(AUTOPILOT.length)}:${i + 1}` }))
      .filter(({ line }) => !line.trimStart().startsWith("//") && !line.trimStart().startsWith("*"))
      .filter(({ line }) => pattern.test(line))
      .map(({ at, line }) => `${at}: ${line.trim()}`),
  );
}

describe("the autopilot over the client", () => {
  it("the matcher finds each way into the client's internals", () => {
    for (const planted of [
      'import { runtimeOf } from "../sdk/internals.ts";',
      "const store = await runtimeOf(client).store();",
      'runtime.port.support.unsupported("dncGroups")',
      'import { cxonePort } from "../platform/cxone/port.ts";',
    ]) {
      expect(INTERNAL_REACH.test(planted), planted).toBe(true);
    }
    expect(INTERNAL_REACH.test('import type { ListAttempt } from "../platform/ports/lists.ts";')).toBe(false);
    expect(INTERNAL_REACH.test('import { applicationHostOf } from "../sdk/application-host.ts";')).toBe(
      false,
    );
  });

  it("no module of src/autopilot reaches the client's runtime, its internals or the port", () => {
    expect(codeLinesMatching(INTERNAL_REACH)).toEqual([]);
  });

  it("the store-handle matcher finds store.db and a db handle taken apart, not a word ending in db", () => {
    for (const planted of [
      "const standIn = await dncCopyStandIn(store.db, skill);",
      "const rows = await store.db.all(sql);",
      "const { db } = store;",
      "const { kv, db: sql } = await host.store();",
      "await tx.db.run(sql);",
      "runtime.store().db",
    ])
      expect(STORE_HANDLE.test(planted), planted).toBe(true);
    for (const planted of ["const db = 1;", "host.dncCopyStandIn(skill)", "mongodb", "a.dbName"])
      expect(STORE_HANDLE.test(planted), planted).toBe(false);
  });

  it("no module of src/autopilot opens the store's SQL handle (consent's tables through the host)", () => {
    const files = [...new Set(codeLinesMatching(STORE_HANDLE).map((hit) => hit.split(":")[0]))];
    expect(files).toEqual(STORE_HANDLE_ALLOWED);
  });
});
