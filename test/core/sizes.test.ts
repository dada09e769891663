import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  allowedSizes,
  MAX_CLASS_LINES,
  MAX_FILE_LINES,
  sizeProblems,
  sourceSizes,
} from "../../scripts/sizes.ts";

/**
 * Issue 80 §1, issue 93 §1: no code file over 600 lines and no class over 400 in src/ but those
 * scripts/sizes.json allows, a list that may only shrink (a lint step).
 */
describe("the sources' sizes", () => {
  const root = mkdtempSync(path.join(tmpdir(), "sizes-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };

  it("measures every file (subfolders included) and every class, and flags those over their bound", () => {
    const body = Array.from({ length: MAX_CLASS_LINES }, (_, i) => `  f${i} = ${i};`).join("\n");
    write(
      "p/big.ts",
      `${"// filler\n".repeat(MAX_FILE_LINES - MAX_CLASS_LINES)}export class Big {\n${body}\n}\n`,
    );
    write("p/rule/small.ts", "export class Small {\n  a = 1;\n}\n");
    const sizes = sourceSizes(root, "p");
    const by = Object.fromEntries(sizes.map((s) => [s.id, s]));
    expect(by["p/big.ts"]?.lines).toBe(MAX_FILE_LINES + 2);
    expect(by["p/big.ts#Big"]?.lines).toBe(MAX_CLASS_LINES + 2);
    expect(by["p/rule/small.ts#Small"]?.lines).toBe(3);
    expect(sizes.filter((s) => s.lines > s.max).map((s) => s.id)).toEqual(["p/big.ts", "p/big.ts#Big"]);
  });

  it("measures the console's JavaScript too (src/service/static/*.js)", () => {
    write("q/service/static/board.js", `${"// filler\n".repeat(MAX_FILE_LINES)}export const x = 1;\n`);
    const by = Object.fromEntries(sourceSizes(root, "q").map((s) => [s.id, s]));
    expect(by["q/service/static/board.js"]?.lines).toBe(MAX_FILE_LINES + 1);
  });

  it("an allowance holds a size to its number, and one no longer needed must go or shrink", () => {
    const size = (id: string, lines: number) => ({ id, lines, max: MAX_FILE_LINES });
    expect(sizeProblems([size("a.ts", 700)], { "a.ts": 700 })).toEqual([]);
    expect(sizeProblems([size("a.ts", 701)], { "a.ts": 700 })).toEqual([
      "a.ts: 701 lines, over 600 and over its allowance of 700: split it",
    ]);
    expect(sizeProblems([size("a.ts", 650)], { "a.ts": 700 })[0]).toMatch(/lower its number .* to 650/);
    expect(sizeProblems([size("a.ts", 500)], { "a.ts": 700 })[0]).toMatch(/delete its line/);
    expect(sizeProblems([size("b.ts", 601)], {})).toEqual(["b.ts: 601 lines, over 600: split it"]);
  });

  it("src/ is within its bounds and allowances, and src/dialer/pacing within its bounds", () => {
    const sizes = sourceSizes();
    expect(sizes.some((s) => s.id === "src/service/static/panels.js")).toBe(true);
    expect(sizeProblems(sizes, allowedSizes())).toEqual([]);
    expect(sizes.filter((s) => s.id.startsWith("src/dialer/pacing/") && s.lines > s.max)).toEqual([]);
  });
});
