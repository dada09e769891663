// `node scripts/long-functions.ts [--check]`: the functions in src/ (TypeScript and the console's JavaScript) longer than 120 lines (issue
// 52 §4: "no function over 120 lines in src/"). Each is listed with its file, name and length.
// With --check (a step of `npm run lint`) it fails on any function over the limit that
// scripts/long-functions.json does not allow, on an allowed one that grew past its recorded
// length, and on an entry that is no longer needed (the list may only shrink: split the
// function, then delete its line).
//
// Lengths are lines from the function's first line to its last, nested functions included (a
// closure that builds an object of methods counts whole). Parsed with TypeScript's own parser
// (typedoc's TypeScript 5.9 package, which has the JS API that TypeScript 7 does not ship).
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typedoc-typescript";
import { filesUnder, isCode } from "./source-tree.ts";

export const MAX_FUNCTION_LINES = 120;
const ROOT = path.resolve(import.meta.dirname, "..");
const ALLOWED_FILE = path.join(ROOT, "scripts", "long-functions.json");

export interface LongFunction {
  /** `src/core/http/http-client.ts#HttpClient.run` */
  id: string;
  lines: number;
}

/** A readable name for a function node: `Class.method`, `name`, or `<anonymous>:LINE`. */
function nameOf(node: ts.Node, source: ts.SourceFile): string {
  const text = (name: ts.Node | undefined) =>
    name && (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name))
      ? name.text
      : undefined;
  let own: string | undefined;
  if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) own = text(node.name);
  else if (ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node))
    own = text(node.name);
  else if (ts.isConstructorDeclaration(node)) own = "constructor";
  const parent = node.parent;
  if (!own && parent) {
    if (ts.isVariableDeclaration(parent)) own = text(parent.name);
    else if (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) own = text(parent.name);
  }
  const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const name = own ?? `<anonymous>:${line}`;
  const owner =
    parent && (ts.isClassDeclaration(parent) || ts.isClassExpression(parent)) ? parent.name?.text : undefined;
  return owner ? `${owner}.${name}` : name;
}

/** Every function in src/ longer than MAX_FUNCTION_LINES, longest first. */
export function longFunctions(root = ROOT): LongFunction[] {
  const found: LongFunction[] = [];
  // The code files: TypeScript and the console's JavaScript (scripts/source-tree.ts, the one walk).
  for (const name of filesUnder(path.join(root, "src"), isCode)) {
    const file = path.join(root, "src", name);
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (ts.isFunctionLike(node) && "body" in node && node.body) {
        const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        const lines = last - first + 1;
        if (lines > MAX_FUNCTION_LINES)
          found.push({ id: `${path.relative(root, file)}#${nameOf(node, source)}`, lines });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found.sort((a, b) => b.lines - a.lines || a.id.localeCompare(b.id));
}

/** What is wrong against the allow-list (id → the length it may not exceed); [] when all is well. */
export function problemsAgainst(found: LongFunction[], allowed: Record<string, number>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { id, lines } of found) {
    seen.add(id);
    const limit = allowed[id];
    if (limit === undefined)
      problems.push(`${id}: ${lines} lines, over ${MAX_FUNCTION_LINES}: split it (or name its parts)`);
    else if (lines > limit)
      problems.push(`${id}: ${lines} lines, more than the ${limit} it is allowed: it may only shrink`);
  }
  for (const id of Object.keys(allowed))
    if (!seen.has(id))
      problems.push(
        `${id}: no longer over ${MAX_FUNCTION_LINES} lines (or gone): delete its line from scripts/long-functions.json`,
      );
  return problems;
}

if (import.meta.main) {
  const found = longFunctions();
  if (process.argv.includes("--check")) {
    const allowed = JSON.parse(readFileSync(ALLOWED_FILE, "utf8")) as { allowed: Record<string, number> };
    const problems = problemsAgainst(found, allowed.allowed);
    for (const problem of problems) process.stderr.write(`${problem}\n`);
    process.exitCode = problems.length > 0 ? 1 : 0;
  } else {
    for (const { id, lines } of found) process.stdout.write(`${String(lines).padStart(4)}  ${id}\n`);
  }
}
