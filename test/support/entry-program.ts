import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typedoc-typescript";

/**
 * One TypeScript program (5.9, the `typedoc-typescript` alias) over the package's published
 * entries, with the build's options (tsconfig.build.json), for the guards that read the public
 * surface as a consumer sees it: test/core/public-exports.test.ts (the names) and
 * test/core/public-types-reachable.test.ts (the types those names reach).
 */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface Entry {
  /** The subpath in package.json `exports`: ".", "./service". */
  name: string;
  /** Its source, from the repository root: "src/service/index.ts". */
  source: string;
  /** Its checked-in export list, from the repository root. */
  fixture: string;
}

/** The build's options (tsconfig.build.json), so `./dist/x.js` maps to `src/x.ts`. */
export const build = ts.parseJsonConfigFileContent(
  ts.readConfigFile(path.join(root, "tsconfig.build.json"), ts.sys.readFile).config,
  ts.sys,
  root,
);

/** The published entries: package.json `exports` but `./package.json`, each to its source file. */
export function publishedEntries(): Entry[] {
  const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    exports: Record<string, string | { types?: string; default?: string }>;
  };
  const outDir = build.options.outDir as string;
  const rootDir = build.options.rootDir as string;
  return Object.entries(manifest.exports)
    .filter(([name]) => name !== "./package.json")
    .map(([name, target]) => {
      const built = typeof target === "string" ? target : (target.default ?? target.types ?? "");
      const relative = path.relative(outDir, path.resolve(root, built));
      const source = path.relative(root, path.join(rootDir, relative)).replace(/\.js$/, ".ts");
      const fixture = `test/fixtures/public-exports${name === "." ? "" : `.${name.slice(2).replaceAll("/", ".")}`}.txt`;
      return { name, source, fixture };
    });
}

/** One program over `entries` (the build's options, nothing emitted), and each entry's module symbol. */
export function entryProgram(entries: readonly Entry[]): {
  program: ts.Program;
  checker: ts.TypeChecker;
  moduleOf: (entry: Entry) => ts.Symbol;
} {
  const program = ts.createProgram({
    rootNames: entries.map((entry) => path.join(root, entry.source)),
    options: { ...build.options, noEmit: true, declaration: false },
  });
  const checker = program.getTypeChecker();
  const moduleOf = (entry: Entry): ts.Symbol => {
    const file = program.getSourceFile(path.join(root, entry.source));
    const module = file && checker.getSymbolAtLocation(file);
    if (!module) throw new Error(`${entry.name}: ${entry.source} is no module`);
    return module;
  };
  return { program, checker, moduleOf };
}
