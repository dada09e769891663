// `node scripts/pacing-sizes.ts [--check]`: the sizes of src/dialer/pacing/ (issue 80 §1): no
// file over MAX_FILE_LINES lines and no class over MAX_CLASS_LINES. The pacing controller grew
// to one 1,768-line file (a 1,184-line class with 84 fields) while every function stayed under
// the 120-line limit; this bounds the whole. Lists every file and class with its length; with
// --check (a step of `npm run lint`) fails on any over its bound.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typedoc-typescript";

export const MAX_FILE_LINES = 600;
export const MAX_CLASS_LINES = 400;
const ROOT = path.resolve(import.meta.dirname, "..");
const PACING = path.join("src", "dialer", "pacing");

export interface Size {
  /** `src/dialer/pacing/cxo.ts` or `src/dialer/pacing/cxo.ts#CxoController` */
  id: string;
  lines: number;
  max: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** Every file and class under `dir` (relative to `root`) with its length in lines and its bound. */
export function pacingSizes(root = ROOT, dir = PACING): Size[] {
  const sizes: Size[] = [];
  for (const file of sourceFiles(path.join(root, dir))) {
    const text = readFileSync(file, "utf8");
    const rel = path.relative(root, file).split(path.sep).join("/");
    sizes.push({
      id: rel,
      lines: text.split("\n").length - (text.endsWith("\n") ? 1 : 0),
      max: MAX_FILE_LINES,
    });
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
        const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        sizes.push({
          id: `${rel}#${node.name?.text ?? "<anonymous>"}`,
          lines: last - first + 1,
          max: MAX_CLASS_LINES,
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return sizes.sort((a, b) => b.lines - a.lines);
}

if (import.meta.main) {
  const sizes = pacingSizes();
  const over = sizes.filter((s) => s.lines > s.max);
  if (process.argv.includes("--check")) {
    for (const s of over) process.stderr.write(`${s.id}: ${s.lines} lines, over ${s.max}\n`);
    if (over.length > 0) {
      process.stderr.write(
        `src/dialer/pacing: no file over ${MAX_FILE_LINES} lines, no class over ${MAX_CLASS_LINES}: split by rule\n`,
      );
      process.exitCode = 1;
    }
  } else
    for (const s of sizes) process.stdout.write(`${String(s.lines).padStart(5)}  ${s.id} (max ${s.max})\n`);
}
