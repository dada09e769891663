import path from "node:path";
import ts from "typedoc-typescript";
import { describe, expect, it } from "vitest";
import { type Entry, entryProgram, publishedEntries, root } from "../support/entry-program.ts";

/**
 * Every named type a user gets back from an entry, or hands to it, can be named from that entry
 * (API Extractor's "forgotten export"): from each export of `.` and `./service`, the walk follows
 * property types, the parameters and return types of functions and methods (through Promise,
 * AsyncIterable, arrays, unions, intersections and every generic's type arguments) and what a
 * class or interface extends. An interface, type alias, class or enum declared under src/ that it
 * meets and the same entry does not export (by symbol, through aliases: a renamed export counts)
 * fails the test, with the path it was reached by, unless it is on ALLOWED with why.
 * `client.strategy.learn` once returned a `Model` that no entry exported.
 *
 * `./service` counts what `.` exports as named too (its user has `cxone-outbound`).
 *
 * Not walked: types from node_modules and the lib (only their type arguments), private and
 * protected members, members tagged `@internal` (RunningService's store and runtimes: out of the
 * API docs too), the static side of a class exported as a type only. Not reported: anonymous
 * types (an inline object, a `z.infer` expansion) and a local `type X = import("…").X`, which is
 * its target.
 */
const CHECKED = [".", "./service"];

/** Named types reached from an entry that stay unnamed on purpose, `Name (src/file.ts)`, with why. */
const ALLOWED: Record<string, string> = {
  "ClientApplications (src/sdk/client-types.ts)":
    "empty: the package's own applications (autopilot) fill it by declaration merging; its members are CxoneClient's, named through their groups (AutopilotGroup)",
  "CampaignRecord (src/core/store/known-campaigns.ts)":
    "the store's base of KnownCampaign (the fields no room above the store types): every field is KnownCampaign's, which is exported",
  "DncRegistries (src/compliance/registry/lookup.ts)":
    "an opaque handle to a data dir's imported registry copies (PlanOptions.registries): a client's plan opens its own, and no public call makes one",
  "DncRegistry (src/compliance/registry/lookup.ts)": "inside the DncRegistries handle (see it)",
  "UkRegistry (src/compliance/registry/uk.ts)": "inside the DncRegistries handle (see it)",
  "UkManifest (src/compliance/registry/uk.ts)": "inside the DncRegistries handle (see it)",
  "RegistryManifest (src/compliance/registry/layout.ts)": "inside the DncRegistries handle (see it)",
  "NanpNumber (src/core/phone-number.ts)": "a parameter of the DncRegistries handle's lookup (see it)",
  "RegistryName (src/compliance/registry/layout.ts)":
    "an alias of `string` (`national` or a state's two letters), documented where used: a caller names it `string`",
};

const entries = publishedEntries().filter((entry) => CHECKED.includes(entry.name));
const stableEntry = entries.find((entry) => entry.name === ".") as Entry;
const { checker, moduleOf } = entryProgram(entries);
const SRC = `${path.join(root, "src")}${path.sep}`;

const MEMBER_HIDDEN = ts.ModifierFlags.Private | ts.ModifierFlags.Protected;
const NAMED =
  ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Class | ts.SymbolFlags.Enum;

/**
 * A member that is not part of what a user gets: private or protected (of a class), or tagged
 * `@internal` (left out of the API docs, as TypeDoc's `excludeInternal` and API Extractor leave it).
 */
const hidden = (member: ts.Symbol): boolean =>
  (member.declarations ?? []).some(
    (declaration) =>
      ts.getCombinedModifierFlags(declaration) & MEMBER_HIDDEN ||
      ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === "internal"),
  );

const resolve = (symbol: ts.Symbol): ts.Symbol =>
  symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;

/** The file under src/ that declares `symbol`, from the root; undefined for the lib and node_modules. */
function srcFile(symbol: ts.Symbol): string | undefined {
  const file = symbol.declarations?.[0]?.getSourceFile().fileName;
  return file && path.resolve(file).startsWith(SRC) ? path.relative(root, file) : undefined;
}

/** A local `type X = import("…").Y` (or `= Y`): the symbol it names, else `alias` itself. */
function throughLocalAlias(alias: ts.Symbol): ts.Symbol {
  const declaration = alias.declarations?.find(ts.isTypeAliasDeclaration);
  if (!declaration || declaration.typeParameters) return alias;
  const node = declaration.type;
  const name = ts.isImportTypeNode(node)
    ? node.qualifier
    : ts.isTypeReferenceNode(node)
      ? node.typeName
      : undefined;
  if (!name || (ts.isTypeReferenceNode(node) && node.typeArguments)) return alias;
  const target = checker.getSymbolAtLocation(ts.isQualifiedName(name) ? name.right : name);
  return target ? throughLocalAlias(resolve(target)) : alias;
}

/** The named declaration a type is (its alias, else its interface, class or enum), if any. */
function namedSymbol(type: ts.Type): ts.Symbol | undefined {
  if (type.aliasSymbol) return throughLocalAlias(type.aliasSymbol);
  let symbol = type.getSymbol();
  if (symbol && symbol.flags & ts.SymbolFlags.EnumMember) symbol = (symbol as { parent?: ts.Symbol }).parent;
  return symbol && symbol.flags & NAMED ? symbol : undefined;
}

interface Unnamed {
  /** `Name (src/file.ts)`. */
  key: string;
  /** The path from an export that reached it first: `CxoneClient.strategy.learn() → Promise<…>`. */
  via: string;
}

/** The named src/ types reached from `entry`'s exports that it does not export. */
function unnamedTypes(entry: Entry): Unnamed[] {
  const exports = checker.getExportsOfModule(moduleOf(entry));
  // Another entry's types are named by the stable one too: a `./service` user has `cxone-outbound`.
  const stable = entry.name === "." ? [] : checker.getExportsOfModule(moduleOf(stableEntry));
  const named = new Set([...exports, ...stable].map(resolve));
  const found = new Map<string, Unnamed>();
  const seen = new Set<ts.Type>();
  const queue: [ts.Type, string][] = [];
  const add = (type: ts.Type, via: string) => {
    if (!seen.has(type)) queue.push([type, via]);
  };
  const note = (symbol: ts.Symbol, via: string) => {
    const file = srcFile(symbol);
    if (!file || named.has(symbol)) return;
    const key = `${symbol.name} (${file})`;
    if (!found.has(key)) found.set(key, { key, via });
  };
  /**
   * The named types a declaration's written types mention (`Promise<Model>`), so an alias the
   * checker's type forgets (`type Model = z.infer<…>` is its expansion) is seen by its name.
   */
  const mention = (node: ts.Node | undefined, via: string) => {
    if (!node || ts.isBlock(node) || ts.isTypeQueryNode(node)) return;
    const name = ts.isTypeReferenceNode(node)
      ? node.typeName
      : ts.isExpressionWithTypeArguments(node)
        ? node.expression
        : ts.isImportTypeNode(node)
          ? node.qualifier
          : undefined;
    const at =
      name &&
      (ts.isQualifiedName(name) ? name.right : ts.isPropertyAccessExpression(name) ? name.name : name);
    const symbol = at && checker.getSymbolAtLocation(at);
    if (symbol) {
      const target = resolve(symbol);
      const real = target.flags & ts.SymbolFlags.TypeAlias ? throughLocalAlias(target) : target;
      if (real.flags & NAMED && srcFile(real)) {
        note(real, via);
        add(checker.getDeclaredTypeOfSymbol(real), via);
      }
    }
    ts.forEachChild(node, (child) => {
      // Types only: no function body, no initializer's expression.
      if (ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node) || ts.isParameter(node))
        if (child === node.initializer) return;
      mention(child, via);
    });
  };
  /** A member's written types, its own declarations under src/ only. */
  const mentionDeclarations = (symbol: ts.Symbol, via: string) => {
    for (const declaration of symbol.declarations ?? [])
      if (path.resolve(declaration.getSourceFile().fileName).startsWith(SRC)) {
        if (ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration))
          mention(declaration.type, via);
        else if (ts.isFunctionLike(declaration)) mention(declaration.type, `${via}()`);
      }
  };
  const signatures = (type: ts.Type, via: string, kind: ts.SignatureKind) => {
    for (const signature of checker.getSignaturesOfType(type, kind)) {
      const called = `${kind === ts.SignatureKind.Construct ? "new " : ""}${via}`;
      for (const parameter of signature.getParameters()) {
        add(checker.getTypeOfSymbol(parameter), `${called}(${parameter.name})`);
        const declaration = parameter.valueDeclaration;
        if (declaration && ts.isParameter(declaration))
          mention(declaration.type, `${called}(${parameter.name})`);
      }
      add(signature.getReturnType(), `${called}()`);
      const declaration = signature.getDeclaration();
      if (declaration && path.resolve(declaration.getSourceFile().fileName).startsWith(SRC))
        mention(declaration.type, `${called}()`);
    }
  };

  const visit = (type: ts.Type, via: string) => {
    seen.add(type);
    const symbol = namedSymbol(type);
    if (symbol) note(symbol, via);
    // A named alias as written (`Pick<SkillState, …>` names SkillState; `z.infer<…>` names only zod's).
    for (const declaration of type.aliasSymbol?.declarations ?? [])
      if (ts.isTypeAliasDeclaration(declaration) && srcFile(type.aliasSymbol as ts.Symbol))
        mention(declaration.type, via);
    // What a class or interface extends, as written (a base the checker expanded has no name).
    for (const declaration of symbol?.declarations ?? [])
      if (ts.isClassLike(declaration) || ts.isInterfaceDeclaration(declaration))
        for (const clause of declaration.heritageClauses ?? []) mention(clause, `${via} extends`);
    for (const argument of type.aliasTypeArguments ?? []) add(argument, `${via}<>`);
    if (type.isUnionOrIntersection()) for (const part of type.types) add(part, via);
    if (!(type.flags & ts.TypeFlags.Object)) return;
    const object = type as ts.ObjectType;
    if (object.objectFlags & ts.ObjectFlags.Reference)
      for (const argument of checker.getTypeArguments(type as ts.TypeReference)) add(argument, `${via}<>`);
    // The lib's and node_modules' types: only their type arguments (Promise<T>, AsyncIterable<T>, T[]).
    const own = type.getSymbol();
    if (
      own &&
      !srcFile(own) &&
      !(own.flags & ts.SymbolFlags.TypeLiteral) &&
      !(own.flags & ts.SymbolFlags.ObjectLiteral)
    )
      return;
    if (object.objectFlags & ts.ObjectFlags.ClassOrInterface)
      for (const base of checker.getBaseTypes(type as ts.InterfaceType)) add(base, `${via} extends`);
    for (const property of checker.getPropertiesOfType(type)) {
      if (property.name.startsWith("__#") || hidden(property)) continue;
      add(checker.getTypeOfSymbol(property), `${via}.${property.name}`);
      mentionDeclarations(property, `${via}.${property.name}`);
    }
    signatures(type, via, ts.SignatureKind.Call);
    signatures(type, via, ts.SignatureKind.Construct);
    for (const index of checker.getIndexInfosOfType(type)) add(index.type, `${via}[]`);
  };

  for (const exported of exports) {
    const symbol = resolve(exported);
    if (symbol.flags & (ts.SymbolFlags.Type & ~ts.SymbolFlags.TypeParameter))
      add(checker.getDeclaredTypeOfSymbol(symbol), exported.name);
    // A class exported as a type (`export type { RateLimitRegistry }`) has no constructor to call.
    const typeOnly = exported.declarations?.some(
      (declaration) =>
        ts.isExportSpecifier(declaration) && ts.isTypeOnlyImportOrExportDeclaration(declaration),
    );
    if (symbol.flags & ts.SymbolFlags.Value && !typeOnly) add(checker.getTypeOfSymbol(symbol), exported.name);
  }
  for (let next = queue.shift(); next; next = queue.shift()) if (!seen.has(next[0])) visit(...next);
  return [...found.values()].sort((a, b) => a.key.localeCompare(b.key));
}

describe("every type a user gets back from an entry can be named from it", () => {
  for (const entry of entries)
    it(`"${entry.name}" (${entry.source}) exports every named type its exports reach`, () => {
      const missing = unnamedTypes(entry).filter((unnamed) => !(unnamed.key in ALLOWED));
      if (missing.length > 0)
        expect.fail(
          [
            `"${entry.name}" hands out types it does not export (export them as types from ${entry.source}, or put them on ALLOWED with why):`,
            ...missing.map((unnamed) => `  ${unnamed.key}, reached from ${unnamed.via}`),
          ].join("\n"),
        );
    });

  it("every type on ALLOWED is still reached and still unexported", () => {
    const reached = new Set(entries.flatMap((entry) => unnamedTypes(entry).map((unnamed) => unnamed.key)));
    expect(Object.keys(ALLOWED).filter((key) => !reached.has(key))).toEqual([]);
  });
});
