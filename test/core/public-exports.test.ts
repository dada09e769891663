import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typedoc-typescript";
import { describe, expect, it } from "vitest";
import { type Entry, entryProgram, publishedEntries, root } from "../support/entry-program.ts";

/**
 * Every entry the package publishes (package.json `exports`: `.`, `./service`, `./emulator`,
 * `./internal`) has its export list checked in, one file per entry (test/fixtures/public-exports.txt
 * for `.`, public-exports.<entry>.txt for the others: every name, sorted, a type-only one as
 * `type Name`), so a new export — or a lost one, or a value become a type — is a decision in
 * review, not an accident. That the hosts and the rest stay internal is such a decision too.
 * The names are TypeScript's (`getExportsOfModule` over one program of the four entries), so
 * every form is seen, `export type * from …` included. Run with `CXO_UPDATE_EXPORTS=1` to
 * rewrite the files after deciding (and say it in CHANGELOG.md).
 */
const FIXTURES = path.join(root, "test/fixtures");
const UPDATE = "CXO_UPDATE_EXPORTS=1 npx vitest run test/core/public-exports.test.ts";

type Checker = ts.TypeChecker;

/** A module's source file (its first declaration), for its `export * from …` statements. */
const sourceFileOf = (module: ts.Symbol) => module.declarations?.find(ts.isSourceFile);

/**
 * Whether `name`, as `module` exports it, is a type only: its own declaration (a type, or an
 * alias through `export type`/`import type`/`{ type X }`), else the `export * from …` that
 * brings it (`export type *` makes everything it brings a type).
 */
function typeOnly(checker: Checker, module: ts.Symbol, name: string, depth = 0): boolean {
  if (depth > 32) throw new Error(`re-export chain too deep at ${name}`);
  const own = module.exports?.get(ts.escapeLeadingUnderscores(name));
  if (own) return symbolTypeOnly(checker, own, depth);
  for (const statement of sourceFileOf(module)?.statements ?? []) {
    if (!ts.isExportDeclaration(statement) || statement.exportClause || !statement.moduleSpecifier) continue;
    const target = checker.getSymbolAtLocation(statement.moduleSpecifier);
    if (!target || !checker.getExportsOfModule(target).some((symbol) => symbol.name === name)) continue;
    return statement.isTypeOnly || typeOnly(checker, target, name, depth + 1);
  }
  throw new Error(`cannot tell where ${module.name} gets ${name}`);
}

/** The module an `export { a } from "./m"` or `import { a } from "./m"` specifier reads `a` from. */
function specifierModule(declaration: ts.ExportSpecifier | ts.ImportSpecifier): ts.Expression | undefined {
  return ts.isExportSpecifier(declaration)
    ? declaration.parent.parent.moduleSpecifier
    : declaration.parent.parent.parent.moduleSpecifier;
}

function symbolTypeOnly(checker: Checker, symbol: ts.Symbol, depth: number): boolean {
  if (depth > 32) throw new Error(`re-export chain too deep at ${symbol.name}`);
  if (!(symbol.flags & ts.SymbolFlags.Alias)) return !(symbol.flags & ts.SymbolFlags.Value);
  const declaration = symbol.declarations?.[0];
  if (declaration && ts.isTypeOnlyImportOrExportDeclaration(declaration)) return true;
  if (declaration && (ts.isExportSpecifier(declaration) || ts.isImportSpecifier(declaration))) {
    // `export { a as b } from "./m"`, `import { a as b } from "./m"`: `a` as ./m exports it.
    const from = specifierModule(declaration);
    const target = from && checker.getSymbolAtLocation(from);
    if (target)
      return typeOnly(checker, target, (declaration.propertyName ?? declaration.name).text, depth + 1);
    // `export { a }` of a local import or declaration: one step on.
    const next = checker.getImmediateAliasedSymbol(symbol);
    if (next && next !== symbol) return symbolTypeOnly(checker, next, depth + 1);
  }
  return !(checker.getAliasedSymbol(symbol).flags & ts.SymbolFlags.Value);
}

const entries = publishedEntries();

/** One program over the entries, the build's options: every entry's names, sorted, `type X` for a type only. */
function exportLists(): Map<string, string[]> {
  const { checker, moduleOf } = entryProgram(entries);
  const lists = new Map<string, string[]>();
  for (const entry of entries) {
    const module = moduleOf(entry);
    const names = checker
      .getExportsOfModule(module)
      .map((symbol) => symbol.name)
      .sort()
      .map((name) => (typeOnly(checker, module, name) ? `type ${name}` : name));
    lists.set(entry.name, names);
  }
  return lists;
}

const lists = exportLists();

function differences(entry: Entry, names: string[]): string | undefined {
  const written = readFileSync(path.join(root, entry.fixture), "utf8").split("\n").filter(Boolean);
  const added = names.filter((name) => !written.includes(name));
  const removed = written.filter((name) => !names.includes(name));
  if (added.length === 0 && removed.length === 0) return undefined;
  return [
    `"${entry.name}" (${entry.source}) exports another set than ${entry.fixture}:`,
    ...(added.length > 0 ? [`  added: ${added.join(", ")}`] : []),
    ...(removed.length > 0 ? [`  removed: ${removed.join(", ")}`] : []),
    `If that is decided: ${UPDATE} rewrites every list, and a line in CHANGELOG.md's top section says it.`,
  ].join("\n");
}

describe("the public export lists", () => {
  it("has one list per published entry, and no other", () => {
    const stale = readdirSync(FIXTURES)
      .filter((file) => /^public-exports(\..+)?\.txt$/.test(file))
      .map((file) => `test/fixtures/${file}`)
      .filter((file) => !entries.some((entry) => entry.fixture === file));
    if (process.env.CXO_UPDATE_EXPORTS === "1") for (const file of stale) rmSync(path.join(root, file));
    else expect(stale, `lists of no entry in package.json exports (${UPDATE} removes them)`).toEqual([]);
    expect(entries.map((entry) => entry.name)).toEqual(
      expect.arrayContaining([".", "./service", "./emulator", "./internal"]),
    );
  });

  for (const entry of entries)
    it(`"${entry.name}" exports the names in ${entry.fixture} (a new or removed export is decided in review)`, () => {
      const names = lists.get(entry.name) as string[];
      if (process.env.CXO_UPDATE_EXPORTS === "1")
        writeFileSync(path.join(root, entry.fixture), `${names.join("\n")}\n`);
      const problem = differences(entry, names);
      if (problem) expect.fail(problem);
    });

  for (const entry of entries)
    it(`"${entry.name}": the values are what the module really exports at run time (value or type, read right)`, async () => {
      const module = (await import(path.join(root, entry.source))) as Record<string, unknown>;
      const values = (lists.get(entry.name) as string[]).filter((name) => !name.startsWith("type "));
      expect(values).toEqual(Object.keys(module).sort());
    });
});
