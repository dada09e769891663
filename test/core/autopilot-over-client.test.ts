import { describe, expect, it } from "vitest";
import { importsOf, srcModules, srcText } from "../../scripts/source-tree.ts";

// The autopilot is an application over the client (docs/autopilot.md): it calls the client's
// public groups and is given the rest by the SDK's application host (src/sdk/application-host.ts):
// the store for its own state, the SDK's way of running a call, the platform's answers. It never
// opens the client's runtime or reads the port.
const AUTOPILOT = "autopilot/";

/** What an application's code must not do: open the client's runtime or internals, read the port. */
const INTERNAL_REACH = /\bruntimeOf\(|\binternalsOf\(|\.port\./;

/**
 * What an application must not import (statically, by `import()` or for a type), by the module the
 * import resolves to, however deep the importer sits (by the package's own name too): the client's
 * internals, the package's internal entry (`cxone-outbound/internal`), or the platform but its
 * port's types (`platform/ports/`).
 */
const internalModule = (target: string) =>
  target === "sdk/internals.ts" ||
  target === "internal.ts" ||
  (target.startsWith("platform/") && !target.startsWith("platform/ports/"));

/** The imports of internal modules among `modules` (paths inside src/), as `file imports target`. */
const internalImports = (modules: ReadonlyArray<{ file: string; text: string }>) =>
  modules.flatMap(({ file, text }) =>
    importsOf(file, text)
      .filter(internalModule)
      .map((target) => `${file} imports ${target}`),
  );

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
  it("the matchers find each way into the client's internals, at any depth", () => {
    for (const planted of [
      "const store = await runtimeOf(client).store();",
      "const { port } = internalsOf(client);",
      'runtime.port.support.unsupported("dncGroups")',
    ]) {
      expect(INTERNAL_REACH.test(planted), planted).toBe(true);
    }
    const plant = (file: string, text: string) => internalImports([{ file, text }]);
    expect(plant("autopilot/x.ts", 'import { runtimeOf } from "../sdk/internals.ts";')).toEqual([
      "autopilot/x.ts imports sdk/internals.ts",
    ]);
    // A module a folder deeper reaches the same modules with one more `../`.
    expect(plant("autopilot/sub/x.ts", 'import { runtimeOf } from "../../sdk/internals.ts";')).toEqual([
      "autopilot/sub/x.ts imports sdk/internals.ts",
    ]);
    expect(plant("autopilot/sub/x.ts", 'const m = await import("../../sdk/internals.ts");')).toEqual([
      "autopilot/sub/x.ts imports sdk/internals.ts",
    ]);
    expect(
      plant("autopilot/a/b/x.ts", 'import { cxonePort } from "../../../platform/cxone/port.ts";'),
    ).toEqual(["autopilot/a/b/x.ts imports platform/cxone/port.ts"]);
    expect(plant("autopilot/x.ts", 'import type { CxonePort } from "../platform/port.ts";')).toEqual([
      "autopilot/x.ts imports platform/port.ts",
    ]);
    // By the package's own name (Node resolves it, tsconfig.json's paths type it).
    expect(plant("autopilot/x.ts", 'import { portOf } from "cxone-outbound/internal";')).toEqual([
      "autopilot/x.ts imports internal.ts",
    ]);
    for (const [file, text] of [
      ["autopilot/x.ts", 'import type { ListAttempt } from "../platform/ports/lists.ts";'],
      ["autopilot/sub/x.ts", 'import type { ListAttempt } from "../../platform/ports/lists.ts";'],
      ["autopilot/x.ts", 'import { applicationHostOf } from "../sdk/application-host.ts";'],
      // The autopilot's own folder named like a forbidden one is not it.
      ["autopilot/sub/x.ts", 'import { y } from "../platform/y.ts";'],
    ] as const)
      expect(plant(file, text), `${file}: ${text}`).toEqual([]);
  });

  it("no module of src/autopilot reaches the client's runtime, its internals or the port", () => {
    expect(codeLinesMatching(INTERNAL_REACH)).toEqual([]);
    expect(internalImports(srcModules(AUTOPILOT).map((file) => ({ file, text: srcText(file) })))).toEqual([]);
    // The scan reads the autopilot's imports at all (the application host is how it is given the rest).
    expect(srcModules(AUTOPILOT).flatMap((file) => importsOf(file))).toContain("sdk/application-host.ts");
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
