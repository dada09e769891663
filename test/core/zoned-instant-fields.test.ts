import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typedoc-typescript";
import { describe, expect, it } from "vitest";
import { FIELDS_OF_ENTRY } from "../support/zoned-instant-fields.ts";

/**
 * Every public field that takes a date-time with a zone is asked by the table test
 * (test/core/zoned-instant-table.test.ts), found from the types rather than remembered: the
 * package's entry (src/index.ts) is loaded with the compiler, and the exported types named
 * `…Params`, `…Options`, `…Input`, `…Query` or `…Source` (and MORE_ROOTS) are walked (what they extend, the
 * members of a union, and their properties' object types one level deep). A string-typed property
 * whose TSDoc speaks of "ISO", an "offset", a "date-time" or an "instant" takes one, and so does
 * the `to` or `until` beside such a `from`. Each must be in FIELDS_OF_ENTRY (the fields the
 * table's entries ask) or on ALLOWED with why. `strategy.plan`'s `until` was once read with
 * Date.parse and asked by no entry.
 */
const ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/index.ts");
const ROOT_NAME = /(Params|Options|Input|Query|Source)$/;
/** Inputs named otherwise: `compliance.check`'s call, and a row of the list `strategy.plan` reads. */
const MORE_ROOTS = ["ComplianceCheck", "ListRow"];
const DOC = /\bISO\b|\boffset|\bdate-time|\binstant\b/i;

/** Fields found that take another form on purpose, or that no caller fills in, each with why. */
const ALLOWED: Record<string, string> = {
  "OutcomeQuery.tz": "an IANA zone name (America/New_York), not a date-time: its TSDoc speaks of offsets",
  "CallQuery.from":
    "the platform port's query, built by cxo from an OutcomeQuery the export rule has checked (toCallQuery)",
  "CallQuery.to": "the platform port's query (see CallQuery.from)",
  "ChangedCallsQuery.updatedSince":
    "the platform port's query, built by cxo from an OutcomeChangesQuery the rule has checked",
};

interface Found {
  /** `Type.field`, the type that declares it. */
  name: string;
  /** The exported type it was reached from, and the path. */
  via: string;
}

/** The date-time fields of the package's exported parameter types. */
function dateTimeFields(): Found[] {
  const program = ts.createProgram([ENTRY], {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    noEmit: true,
    skipLibCheck: true,
    strict: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const entry = program.getSourceFile(ENTRY);
  const module = entry && checker.getSymbolAtLocation(entry);
  if (!module) throw new Error(`${ENTRY}: not loaded`);
  const found = new Map<string, Found>();

  const stringTyped = (type: ts.Type): boolean => {
    const t = checker.getNonNullableType(type);
    return t.isUnion() ? t.types.some(stringTyped) : (t.flags & ts.TypeFlags.StringLike) !== 0;
  };
  /** The object types a type is or may be (a union's members; no arrays, functions or primitives). */
  const objectParts = (type: ts.Type): ts.Type[] => {
    const t = checker.getNonNullableType(type);
    if (t.isUnion()) return t.types.flatMap(objectParts);
    if (t.isIntersection()) return [t];
    if (t.flags & ts.TypeFlags.Object && !checker.isArrayType(t) && t.getCallSignatures().length === 0)
      return [t];
    return [];
  };
  /** The interface or type alias declaring a property (an inline object type: its path from the root). */
  const ownerOf = (property: ts.Symbol, where: string): string => {
    const parent = property.declarations?.[0]?.parent;
    if (parent && ts.isInterfaceDeclaration(parent)) return parent.name.text;
    if (parent && ts.isTypeLiteralNode(parent) && ts.isTypeAliasDeclaration(parent.parent))
      return parent.parent.name.text;
    return where;
  };
  const documented = (property: ts.Symbol) =>
    DOC.test(ts.displayPartsToString(property.getDocumentationComment(checker)));

  const walk = (type: ts.Type, where: string, depth: number) => {
    for (const part of objectParts(type)) {
      const properties = checker.getPropertiesOfType(part);
      const fromTakesOne = properties.some(
        (p) => p.name === "from" && stringTyped(checker.getTypeOfSymbol(p)) && documented(p),
      );
      for (const property of properties) {
        const type = checker.getTypeOfSymbol(property);
        const takesOne =
          stringTyped(type) &&
          (documented(property) || (fromTakesOne && (property.name === "to" || property.name === "until")));
        if (takesOne) {
          const name = `${ownerOf(property, where)}.${property.name}`;
          if (!found.has(name)) found.set(name, { name, via: `${where}.${property.name}` });
        }
        if (depth > 0) walk(type, `${where}.${property.name}`, depth - 1);
      }
    }
  };

  for (const exported of checker.getExportsOfModule(module)) {
    if (!ROOT_NAME.test(exported.name) && !MORE_ROOTS.includes(exported.name)) continue;
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias))) continue;
    walk(checker.getDeclaredTypeOfSymbol(symbol), exported.name, 1);
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

describe("every public date-time field is asked by the one rule's table", () => {
  const fields = dateTimeFields();
  const covered = new Set(Object.values(FIELDS_OF_ENTRY).flat());

  it("finds the fields it knows of (the walk reaches what extends, unions and nested sources)", () => {
    const names = fields.map((f) => f.name);
    // PlanOptions.until: through StrategyPlanParams (extends Omit<PlanOptions, …>); LearnOptions.to:
    // the `to` beside a documented `from`; CampaignOutcomesSource.from: a member of the union
    // StrategyLearnSource.
    for (const name of [
      "PlanOptions.until",
      "LearnOptions.to",
      "CampaignOutcomesSource.from",
      "ScheduleParams.at",
    ])
      expect(names).toContain(name);
  });

  it("each is asked by an entry of the table, or allowed with a reason", () => {
    const missing = fields
      .filter((f) => !covered.has(f.name) && !(f.name in ALLOWED))
      .map((f) => `${f.name} (reached as ${f.via})`);
    expect(missing, "a date-time field no entry of test/core/zoned-instant-table.test.ts asks").toEqual([]);
  });

  it("every field the entries and the allow list name is still one (no stale names)", () => {
    const names = new Set(fields.map((f) => f.name));
    const stale = [...covered, ...Object.keys(ALLOWED)].filter((name) => !names.has(name));
    expect(stale).toEqual([]);
  });
});
