import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { longFunctions, MAX_FUNCTION_LINES, problemsAgainst } from "../../scripts/long-functions.ts";

/** Issue 52 §4: the allow-list of functions over 120 lines may only shrink. */
describe("long functions against the allow-list", () => {
  const allowed = { "src/a.ts#tick": 267, "src/b.ts#run": 195 };

  it("passes when every long function is allowed and none grew", () => {
    expect(
      problemsAgainst(
        [
          { id: "src/a.ts#tick", lines: 260 },
          { id: "src/b.ts#run", lines: 195 },
        ],
        allowed,
      ),
    ).toEqual([]);
  });

  it("refuses a new long function, one that grew, and an entry no longer needed", () => {
    const problems = problemsAgainst(
      [
        { id: "src/a.ts#tick", lines: 268 },
        { id: "src/c.ts#fresh", lines: 121 },
      ],
      allowed,
    );
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^src\/a\.ts#tick: 268 lines, more than the 267/);
    expect(problems[1]).toMatch(/^src\/c\.ts#fresh: 121 lines, over 120/);
    expect(problems[2]).toMatch(/^src\/b\.ts#run: no longer over 120 lines/);
  });

  it("reads the console's JavaScript as well as TypeScript (src/service/static/*.js)", () => {
    const root = mkdtempSync(path.join(tmpdir(), "long-fns-"));
    try {
      mkdirSync(path.join(root, "src", "service", "static"), { recursive: true });
      const body = "  x += 1;\n".repeat(MAX_FUNCTION_LINES);
      writeFileSync(
        path.join(root, "src", "service", "static", "panels.js"),
        `async function refresh() {\n${body}}\n`,
      );
      writeFileSync(path.join(root, "src", "short.ts"), "export function ok() {\n  return 1;\n}\n");
      expect(longFunctions(root)).toEqual([
        { id: path.join("src", "service", "static", "panels.js#refresh"), lines: MAX_FUNCTION_LINES + 2 },
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
