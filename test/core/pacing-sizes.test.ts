import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_CLASS_LINES, MAX_FILE_LINES, pacingSizes } from "../../scripts/pacing-sizes.ts";

/** Issue 80 §1: no file over 600 lines and no class over 400 in src/dialer/pacing/ (a lint step). */
describe("the pacing folder's sizes", () => {
  const root = mkdtempSync(path.join(tmpdir(), "pacing-sizes-"));
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
    const sizes = pacingSizes(root, "p");
    const by = Object.fromEntries(sizes.map((s) => [s.id, s]));
    expect(by["p/big.ts"]?.lines).toBe(MAX_FILE_LINES + 2);
    expect(by["p/big.ts#Big"]?.lines).toBe(MAX_CLASS_LINES + 2);
    expect(by["p/rule/small.ts#Small"]?.lines).toBe(3);
    expect(sizes.filter((s) => s.lines > s.max).map((s) => s.id)).toEqual(["p/big.ts", "p/big.ts#Big"]);
  });

  it("src/dialer/pacing itself is within its bounds", () => {
    expect(pacingSizes().filter((s) => s.lines > s.max)).toEqual([]);
  });
});
