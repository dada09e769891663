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
 * The modules (a path inside src/) or folders (ending in `/`) src/autopilot may import outside
 * itself — statically, by `import()` or for a type, however deep the importer sits, by the
 * package's own name too — each with why. Anything else fails: the client's internals
 * (`sdk/internals.ts`, `internal.ts`), its runtime's machinery (`sdk/call.ts`), the HTTP core
 * (`core/http/`), the platform's adapters, and any module no one has yet said the autopilot needs.
 * An entry the autopilot no longer imports fails too, so the list is today's set.
 */
const AUTOPILOT_MAY_IMPORT: Record<string, string> = {
  // The SDK: the client the autopilot is an application over, and what it is handed.
  "sdk/client-types.ts": "the client's type (its public groups), which the autopilot calls",
  "sdk/application-host.ts":
    "the host the SDK hands an application: the store, runCall, the platform's answers",
  "sdk/runtime.ts":
    "the request-option rules every group method applies (idOf, optionsOf, RequestOptions); not ClientRuntime, which INTERNAL_REACH refuses",
  "sdk/honour.ts":
    "consent honour, the one operation `cxo consent honour` and `cxo serve` also run, over client.consent",
  // The port's types only: what a list attempt is, as the client's lists answer it.
  "platform/ports/lists.ts": "ListAttempt, the type of the client's list attempts (no adapter)",
  // Rooms below: the planner the autopilot drives each morning, the diagnosis `why` explains.
  "strategy/":
    "the planner the autopilot drives: list, model, plan and push formats, plan reads, the skill watch",
  "campaigns/diagnose/": "the diagnosis `cxo why` explains (its causes, facts, params and summary)",
  "compliance/cxone-dnc-freshness.ts": "the type of the CXone DNC copy's freshness the day report states",
  "consent/dnc-copy-stand-in.ts": "how the day report words the DNC copy's stand-in",
  "outcomes/record-format.ts": "canonicalRecord, to learn from the campaign's outcomes as exported",
  // core: rules and helpers every room shares (not its HTTP: that is the client's).
  "core/http/errors.ts": "NotFoundError, a typed SDK error as users catch it (the only module of core/http)",
  "core/call-agent.ts": "dialWasConversation, the one rule for a dial that reached a person",
  "core/clock/now.ts": "clockNowMs, the product's clock (CXO_CLOCK)",
  "core/config/autopilot-schema.ts": "the autopilot's own settings schema",
  "core/config/schema.ts": "the Settings type the job is read from",
  "core/input-error.ts": "InputError, bad input (exit 2)",
  "core/json-number.ts": "jsonNumber, the day report schema's numbers",
  "core/lazy-module.ts": "lazyModule, loading the job's check when first asked",
  "core/local-day.ts": "the local day (localDayOf) and a wall-clock time on it (atWallMinute)",
  "core/printable.ts": "printable, a name safe to print",
  "core/safe-write.ts": "the report and evidence files written safely",
  "core/store/held-lease.ts": "whileHolding, one run per campaign at a time",
  "core/store/index.ts": "the Store type the host hands the autopilot for its own state",
  "core/store/local-operation.ts": "localOperation, the autopilot's own writes journalled and audited",
};

/** The entry of AUTOPILOT_MAY_IMPORT that allows `target` (a path inside src/), if any. */
const allowedBy = (target: string) =>
  Object.keys(AUTOPILOT_MAY_IMPORT).find((entry) =>
    entry.endsWith("/") ? target.startsWith(entry) : target === entry,
  );

/** Each module's imports outside src/autopilot, as [file, target]. */
const outsideImports = (modules: ReadonlyArray<{ file: string; text: string }>) =>
  modules.flatMap(({ file, text }) =>
    importsOf(file, text)
      .filter((target) => !target.startsWith(AUTOPILOT))
      .map((target) => [file, target] as const),
  );

/** The imports among `modules` (paths inside src/) that no entry allows, as `file imports target`. */
const internalImports = (modules: ReadonlyArray<{ file: string; text: string }>) =>
  outsideImports(modules)
    .filter(([, target]) => allowedBy(target) === undefined)
    .map(([file, target]) => `${file} imports ${target}`);

const autopilotModules = () => srcModules(AUTOPILOT).map((file) => ({ file, text: srcText(file) }));

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
    // What a block-list let through: the SDK's call machinery, the HTTP core beside its errors,
    // another port's types, a room no entry names.
    expect(plant("autopilot/x.ts", 'import { runCall } from "../sdk/call.ts";')).toEqual([
      "autopilot/x.ts imports sdk/call.ts",
    ]);
    expect(plant("autopilot/x.ts", 'import type { CxoneHttp } from "../core/http/create.ts";')).toEqual([
      "autopilot/x.ts imports core/http/create.ts",
    ]);
    expect(plant("autopilot/x.ts", 'import type { RndPort } from "../platform/ports/rnd.ts";')).toEqual([
      "autopilot/x.ts imports platform/ports/rnd.ts",
    ]);
    expect(plant("autopilot/x.ts", 'import { startService } from "../service/start.ts";')).toEqual([
      "autopilot/x.ts imports service/start.ts",
    ]);
    // A folder entry allows its folder, not a name that starts like it.
    expect(plant("autopilot/x.ts", 'import { x } from "../strategy-extra/x.ts";')).toEqual([
      "autopilot/x.ts imports strategy-extra/x.ts",
    ]);
    for (const [file, text] of [
      ["autopilot/x.ts", 'import type { ListAttempt } from "../platform/ports/lists.ts";'],
      ["autopilot/sub/x.ts", 'import type { ListAttempt } from "../../platform/ports/lists.ts";'],
      ["autopilot/x.ts", 'import { applicationHostOf } from "../sdk/application-host.ts";'],
      ["autopilot/x.ts", 'import { readPlanRows } from "../strategy/plan-read.ts";'],
      ["autopilot/x.ts", 'import { NotFoundError } from "../core/http/errors.ts";'],
      // The autopilot's own modules, and its own folder named like a forbidden one, are not outside it.
      ["autopilot/x.ts", 'import { instantOn } from "./local-day.ts";'],
      ["autopilot/sub/x.ts", 'import { y } from "../platform/y.ts";'],
    ] as const)
      expect(plant(file, text), `${file}: ${text}`).toEqual([]);
  });

  it("no module of src/autopilot reaches the client's runtime, its internals or the port", () => {
    expect(codeLinesMatching(INTERNAL_REACH)).toEqual([]);
    expect(
      internalImports(autopilotModules()),
      "an import outside src/autopilot that AUTOPILOT_MAY_IMPORT does not allow: add it there, with why, if the autopilot needs it",
    ).toEqual([]);
    // The scan reads the autopilot's imports at all (the application host is how it is given the rest).
    expect(srcModules(AUTOPILOT).flatMap((file) => importsOf(file))).toContain("sdk/application-host.ts");
  });

  it("each allowed entry is still imported (else it leaves the list)", () => {
    const used = new Set(outsideImports(autopilotModules()).map(([, target]) => allowedBy(target)));
    expect(Object.keys(AUTOPILOT_MAY_IMPORT).filter((entry) => !used.has(entry))).toEqual([]);
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
