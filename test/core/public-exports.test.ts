import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as sdk from "../../src/index.ts";

/**
 * Issue 93 §2: the package's public export list is a checked-in file
 * (test/fixtures/public-exports.txt: every name the main entry exports, values and types, one a
 * line, sorted), so a new export — or a lost one — is a decision in review, not an accident. Run
 * with `CXO_UPDATE_EXPORTS=1` to rewrite the file after deciding.
 */
const FILE = "test/fixtures/public-exports.txt";

/** Every name `src/index.ts` exports: `export { a, b as c } from …` and `export type { … } from …`. */
function exportedNames(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}\s*from/gms))
    for (const part of (match[1] as string).split(",")) {
      const item = part
        .replace(/\/\/.*$/gm, "")
        .trim()
        .replace(/^type\s+/, "");
      if (item === "") continue;
      const alias = /\bas\s+(\w+)$/.exec(item);
      names.add(alias ? (alias[1] as string) : item);
    }
  for (const match of source.matchAll(
    /^export\s+(?:declare\s+)?(?:const|function|class|type|interface)\s+(\w+)/gm,
  ))
    names.add(match[1] as string);
  return [...names].sort();
}

describe("the public export list", () => {
  const names = exportedNames(readFileSync("src/index.ts", "utf8"));

  it("is the checked-in list (a new or removed export is decided in review)", () => {
    const text = `${names.join("\n")}\n`;
    if (process.env.CXO_UPDATE_EXPORTS === "1") writeFileSync(FILE, text);
    expect(text).toBe(readFileSync(FILE, "utf8"));
  });

  it("reads every value the module really exports (the list is not blind to a form it misses)", () => {
    for (const value of Object.keys(sdk)) expect(names).toContain(value);
  });
});
