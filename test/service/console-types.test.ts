import { describe, expect, it } from "vitest";
import { filesUnder, SRC, srcText } from "../../scripts/source-tree.ts";
import type { OutboxAnswer } from "../../src/service/answers/panels.ts";
// @ts-expect-error: a browser module, typed by its JSDoc for the console's own check
import { emit, on } from "../../src/service/static/events.js";

type Rows = OutboxAnswer["destinations"];

/**
 * Issue 68 §4: the console's modules are type-checked strictly (`npm run lint` runs `tsc -p
 * src/service/static`, which must report zero errors), their JSON typed from the server's own
 * answers, and they talk through a typed bus, not `document` events. Here: the settings that
 * make the check strict, no `any` in the modules' types, the answers imported from
 * src/service/answers/, no `document` event left, and the bus doing what the board relies on.
 */
const STATIC = "service/static/";
/** The console's modules and declarations (src/service/static/*.js, *.d.ts; not its subfolders), by name. */
const modules = filesUnder(SRC, (name) => name.endsWith(".js") || name.endsWith(".d.ts"))
  .filter((file) => file.startsWith(STATIC) && !file.slice(STATIC.length).includes("/"))
  .map((file) => ({ name: file.slice(STATIC.length), text: srcText(file) }));

describe("the console's types", () => {
  it("is checked strictly: strict on, nothing turned back off", () => {
    const config = srcText(`${STATIC}tsconfig.json`);
    expect(config).toMatch(/"strict":\s*true/);
    expect(config).not.toMatch(/"noImplicitAny":\s*false|"strictNullChecks":\s*false/);
    for (const { name, text } of modules.filter((m) => m.name.endsWith(".js")))
      expect(text.startsWith("// @ts-check") || text.includes("\n// @ts-check\n"), name).toBe(true);
  });

  it("has no `any` and reads the server's answers as types", () => {
    const found: string[] = [];
    for (const { name, text } of modules)
      for (const match of text.matchAll(/[{(<:|,]\s*any\b(?!\w)|\bany\[\]/g))
        found.push(`${name}: ${match[0]}`);
    expect(found).toEqual([]);
    const importers = modules.filter((m) =>
      /@import \{[^}]+\} from "\.\.\/answers\/(board|panels)\.ts"/.test(m.text),
    );
    expect(importers.map((m) => m.name)).toEqual(
      expect.arrayContaining(["api.js", "cards.js", "events.js", "state.js"]),
    );
  });

  it("talks through the typed bus, never through document events", () => {
    const found = modules.filter((m) => /dispatchEvent|CustomEvent|addEventListener\("cxo:/.test(m.text));
    expect(found.map((m) => m.name)).toEqual([]);
  });

  it("the bus calls each listener of a name, in order, with its payload", () => {
    const heard: string[] = [];
    on("outbox", (rows: Rows) => heard.push(`first ${rows.length}`));
    on("outbox", (rows: Rows) => heard.push(`second ${rows[0]?.destination}`));
    on("refresh", () => heard.push("refresh"));
    emit("outbox", [
      {
        destination: "crm",
        pending: 1,
        delivered: 0,
        dead: 0,
        oldestPendingAgeMs: null,
        configured: true,
        note: null,
      },
    ]);
    emit("ready", undefined);
    expect(heard).toEqual(["first 1", "second crm"]);
    emit("refresh", undefined);
    expect(heard.at(-1)).toBe("refresh");
  });
});
