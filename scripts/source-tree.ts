import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type ts from "typedoc-typescript";

/**
 * The source tree as the guards read it (the source guards under test/ and the lint steps
 * scripts/long-functions.ts and scripts/sizes.ts): the files under a folder by their paths inside
 * it, and their text. One walk; each guard says which files it reads.
 */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SRC = path.join(ROOT, "src");

/**
 * Every file under `dir` (subfolders included) whose name `keep` accepts, as a path inside `dir`
 * with `/` between folders (`core/instant-input.ts`), sorted.
 */
export function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

/** A TypeScript module's name (declarations included): `x.ts`, `x.d.ts`. */
export const isTypeScript = (name: string): boolean => name.endsWith(".ts");

/** A code file's name: TypeScript or the console's browser JavaScript (src/service/static/*.js), not a declaration. */
export const isCode = (name: string): boolean => /\.(tsx?|js)$/.test(name) && !name.endsWith(".d.ts");

/**
 * Every TypeScript module under src/, as a path inside src/ (`core/instant-input.ts`); with `under`,
 * those in that folder (subfolders included). `under` is a folder: "" (all of src/) or a path
 * ending in "/" (`service/`), so `service` cannot also take `service-x.ts`; anything else throws.
 */
export function srcModules(under = ""): string[] {
  if (under !== "" && !under.endsWith("/"))
    throw new Error(`srcModules: "${under}" is not a folder; give "" or a path ending in "/" ("${under}/")`);
  return filesUnder(SRC, isTypeScript).filter((name) => name.startsWith(under));
}

/** A file's text, by its path inside src/. */
export function srcText(name: string): string {
  return readFileSync(path.join(SRC, name), "utf8");
}

/**
 * The modules `file` (a path inside src/) loads — imports and re-exports, static or `import()`,
 * type-only ones included — as paths inside src/: each relative specifier resolved against the
 * file's folder, so how deep the file sits does not matter (`autopilot/sub/x.ts`'s
 * `../../sdk/internals.ts` is `sdk/internals.ts`), and the package's own name (`cxone-outbound`,
 * `cxone-outbound/internal`: Node resolves a package's imports of itself, tsconfig.json's `paths`
 * type them) as the entry module package.json's `exports` names (`index.ts`, `internal.ts`), so a
 * guard sees that import as the one it is. A name the package does not export stays as written
 * (no room has its rank). `text` is the file's own unless a guard plants a module to test itself on.
 */
export function importsOf(file: string, text: string = srcText(file)): string[] {
  return specifiersOf(text).flatMap((specifier) => {
    if (specifier.startsWith("./") || specifier.startsWith("../")) return [importTarget(file, specifier)];
    if (isSelfReference(specifier)) return [selfEntry(specifier)];
    return [];
  });
}

/**
 * Every module specifier `text` imports or re-exports (static, `import()`, `import("…").T` types),
 * in order, as TypeScript's scanner reads them: a specifier inside a comment or a string is none.
 * TypeScript is loaded on the first call (scripts/sizes.ts reads this module and no import).
 */
export function specifiersOf(text: string): string[] {
  typescript ??= createRequire(import.meta.url)("typedoc-typescript") as typeof ts;
  return typescript.preProcessFile(text, true, true).importedFiles.map((imported) => imported.fileName);
}
let typescript: typeof ts | undefined;

const parsed = new Map<string, ts.SourceFile>();
/**
 * A module's syntax tree, parsed once while its text is unchanged (a guard that scans every module
 * twice reads each tree once). TypeScript is loaded on the first call, as for specifiersOf.
 */
export function syntaxTreeOf(name: string, text: string): ts.SourceFile {
  typescript ??= createRequire(import.meta.url)("typedoc-typescript") as typeof ts;
  let source = parsed.get(name);
  if (source?.text !== text) {
    source = typescript.createSourceFile(name, text, typescript.ScriptTarget.Latest, true);
    parsed.set(name, source);
  }
  return source;
}

const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  name: string;
  exports: Record<string, string | { default: string }>;
};

/** Whether `specifier` names this package (`cxone-outbound`, `cxone-outbound/…`): src/ importing itself by name. */
export const isSelfReference = (specifier: string): boolean =>
  specifier === PACKAGE.name || specifier.startsWith(`${PACKAGE.name}/`);

/** The module inside src/ the package's own `specifier` loads (`./dist/internal.js` → `internal.ts`), or the specifier. */
function selfEntry(specifier: string): string {
  const entry = PACKAGE.exports[`.${specifier.slice(PACKAGE.name.length)}`];
  const target = typeof entry === "string" ? entry : entry?.default;
  const compiled = target?.match(/^\.\/dist\/(.+)\.js$/);
  return compiled ? `${compiled[1]}.ts` : specifier;
}

/** The module a relative `specifier` in `file` (both inside src/) names, as a path inside src/. */
export function importTarget(file: string, specifier: string): string {
  return path
    .relative(SRC, path.resolve(path.dirname(path.join(SRC, file)), specifier))
    .split(path.sep)
    .join("/");
}

/**
 * What `found` finds in every module under src/ but the rule's `owners` (path prefixes) and the
 * `skip`ped ones, each hit as `src/<module>:<hit>`: a guard's copies of its rule.
 */
export function hitsOutside(
  owners: readonly string[],
  found: (name: string, text: string) => string[],
  skip: (name: string) => boolean = () => false,
): string[] {
  return srcModules()
    .filter((name) => !owners.some((owner) => name.startsWith(owner)) && !skip(name))
    .flatMap((name) => found(name, srcText(name)).map((hit) => `src/${name}:${hit}`));
}
