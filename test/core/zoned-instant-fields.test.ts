import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typedoc-typescript";
import { describe, expect, it } from "vitest";
import { FIELDS_OF_DATE_ENTRY, FIELDS_OF_ENTRY } from "../support/zoned-instant-fields.ts";

/**
 * Every public field that takes a date-time with a zone is asked by the table test
 * (test/core/zoned-instant-table.test.ts), found from the types rather than remembered: the
 * package's entry (src/index.ts) is loaded with the compiler, and the exported types named
 * `…Params`, `…Options`, `…Input`, `…Query` or `…Source` (and MORE_ROOTS) are walked (what they extend, the
 * members of a union, and their properties' object types one level deep). A string-typed property
 * whose TSDoc speaks of "ISO", an "offset", a "date-time" or an "instant" takes one, and so do
 * one that takes text or a Date (InstantInput) and the `to` or `until` beside such a `from`. Each must be in FIELDS_OF_ENTRY (the fields the
 * table's entries ask) or on ALLOWED with why. `strategy.plan`'s `until` was once read with
 * Date.parse and asked by no entry.
 *
 * Each field's type is kept too: every field a caller gives takes the same types (InstantInput,
 * `string | Date`), so a field whose type takes a Date is asked a Date by the table (one of
 * FIELDS_OF_DATE_ENTRY's), a field asked a Date takes one, and every field an entry asks takes
 * one unless it is on TEXT_ONLY with why. `consent.grant`'s `at` and `callbacks.schedule`'s were
 * once plain `string`: `new Date()` was refused there and taken by `consent.revoke`.
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
  "DialerMetricsQuery.from":
    "the platform port's query, built by `dialer.metrics` from DialerMetricsParams the rule has checked (bounds as RFC 3339 text)",
  "DialerMetricsQuery.to": "the platform port's query (see DialerMetricsQuery.from)",
};

/**
 * Fields an entry asks that take text only, each with why (the others take a Date as well:
 * InstantInput). Fields on ALLOWED are no caller's input and are not asked.
 */
const TEXT_ONLY: Record<string, string> = {
  "ListRow.lastTransactionAt":
    "a column of a list row: rows are data (a file's, CXone's or given in code) in the list format, text, copied into the plan's rows as given; the rule still reads it",
};

interface Found {
  /** `Type.field`, the type that declares it. */
  name: string;
  /** The exported type it was reached from, and the path. */
  via: string;
  /** Its type, as the compiler writes it (`InstantInput | undefined`). */
  type: string;
  /** Its type takes a Date (a member of its union is the global Date). */
  takesDate: boolean;
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

  const takesDate = (type: ts.Type): boolean => {
    const t = checker.getNonNullableType(type);
    return t.isUnion() ? t.types.some(takesDate) : t.getSymbol()?.name === "Date";
  };
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
          (documented(property) ||
            takesDate(type) ||
            (fromTakesOne && (property.name === "to" || property.name === "until")));
        if (takesOne) {
          const name = `${ownerOf(property, where)}.${property.name}`;
          if (!found.has(name))
            found.set(name, {
              name,
              via: `${where}.${property.name}`,
              type: checker.typeToString(type),
              takesDate: takesDate(type),
            });
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
    const stale = [...covered, ...Object.keys(ALLOWED), ...Object.keys(TEXT_ONLY)].filter(
      (name) => !names.has(name),
    );
    expect(stale).toEqual([]);
  });

  describe("the same types everywhere: a Date where text is taken (InstantInput)", () => {
    const askedDate = new Set(Object.values(FIELDS_OF_DATE_ENTRY).flat());
    const shown = (f: Found) => `${f.name}: ${f.type}`;

    it("finds the types (InstantInput, and compliance's epoch ms beside it)", () => {
      const byName = new Map(fields.map((f) => [f.name, f]));
      expect(byName.get("ConsentGrantParams.at")?.takesDate).toBe(true);
      expect(byName.get("ComplianceCheck.at")?.type).toMatch(/\bnumber\b/);
      expect(byName.get("ComplianceCheck.at")?.takesDate).toBe(true);
      expect(byName.get("ListRow.lastTransactionAt")?.takesDate).toBe(false);
    });

    it("a field whose type takes a Date is asked a Date by an entry of the table (DATE_ENTRIES)", () => {
      const unasked = fields.filter((f) => f.takesDate && !askedDate.has(f.name)).map(shown);
      expect(unasked, "a Date-taking field no entry of DATE_ENTRIES asks a Date").toEqual([]);
    });

    it("a field an entry asks a Date takes one by its type", () => {
      const textOnly = fields.filter((f) => askedDate.has(f.name) && !f.takesDate).map(shown);
      expect(textOnly).toEqual([]);
    });

    it("every date-time field an entry asks takes a Date (InstantInput), or is on TEXT_ONLY with why", () => {
      const textOnly = fields
        .filter((f) => covered.has(f.name) && !f.takesDate && !(f.name in TEXT_ONLY))
        .map(shown);
      expect(textOnly, "a caller's date-time field that takes text only: make it InstantInput").toEqual([]);
    });

    it("the port queries' fields (ALLOWED) take text only: the SDK's params convert before the port", () => {
      const ports = fields.filter((f) => f.name in ALLOWED && f.takesDate).map(shown);
      expect(ports).toEqual([]);
    });
  });
});
