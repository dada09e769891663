import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * A reference page that names a function as something to call (`name(…)` in code) names one a
 * user can import: each such name is exported by one of the package's entry points, imported
 * here. A page said `createController(…)` builds a controller when no entry point exported it.
 * Methods (`client.x.y(…)`, `close()`), the repository's own test helpers (docs/development.md)
 * and notes are not claims about exports, nor is a name on a line that says where in the
 * repository it lives (`src/…`, `test/…`; or the line before or after it, the sentence's): the
 * few other names are listed with why.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ENTRY_POINTS = ["src/index.ts", "src/emulator/index.ts", "src/service/index.ts", "src/internal.ts"];

/** Pages that describe the repository rather than the package: their names are not exports. */
const NOT_REFERENCE = new Set(["docs/development.md", "CHANGELOG.md"]);

/** Names a reference page calls that are not exports, and why. */
const NOT_EXPORTS: Record<string, string> = {
  close: "a method (client.close(), emulator.close())",
  status: "a method",
  apply: "a method",
  toArray: "a method of a listing",
  create: "a method",
  count: "a method",
  contacts: "a method",
  plan: "a method",
  on: "a method",
  emit: "a method",
  observe: "a method",
  uninstall: "a method of an installed clock",
  tick: "a method of an installed clock",
  advance: "a method of an installed clock",
  rollback: "a method",
  prepare: "a method",
  require: "Node's require()",
  min: "Math.min",
  main: "a program's own main()",
  evaluateNow: "a method of the watchdog",
  now: "a method of the clock a program hands createClient",
  setTimeout: "a method of the clock a program hands createClient (its schedule)",
  clearTimeout: "a method of the clock a program hands createClient (its schedule)",
};

function pages(): string[] {
  const docs = readdirSync(path.join(ROOT, "docs"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".md") && !f.startsWith("notes/") && !f.startsWith("api/"))
    .map((f) => `docs/${f}`);
  return ["README.md", ...docs].filter((p) => !NOT_REFERENCE.has(p));
}

function calledNames(page: string): Array<{ name: string; line: number }> {
  const found: Array<{ name: string; line: number }> = [];
  const lines = readFileSync(path.join(ROOT, page), "utf8").split("\n");
  lines.forEach((text, i) => {
    // The sentence may run onto the next line, or start on the one before.
    if (lines.slice(Math.max(0, i - 1), i + 2).some((l) => /`(src|test)\//.test(l))) return;
    for (const m of text.matchAll(/`([a-z][A-Za-z0-9]*)\(/g))
      found.push({ name: m[1] as string, line: i + 1 });
  });
  return found;
}

describe("functions the reference pages tell a user to call", () => {
  it("are exported by an entry point of the package", async () => {
    const exported = new Set<string>();
    for (const entry of ENTRY_POINTS)
      for (const [name, value] of Object.entries(await import(path.join(ROOT, entry))))
        if (typeof value === "function") exported.add(name);
    const missing = pages().flatMap((page) =>
      calledNames(page)
        .filter(({ name }) => !exported.has(name) && !(name in NOT_EXPORTS))
        .map(({ name, line }) => `${page}:${line} ${name}()`),
    );
    expect(missing).toEqual([]);
  });
});
