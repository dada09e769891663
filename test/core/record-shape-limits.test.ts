import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { builderStats, MAX_COMPILED, objectBuilder } from "../../src/core/record-shape.ts";

/**
 * Issue 43 §1: the compiled record copier has two ways out. Code generation refused
 * (`--disallow-code-generation-from-strings`) falls back to the plain loop instead of failing
 * every export with an EvalError; a server whose records change their key set every record stops
 * being compiled after MAX_COMPILED shapes.
 */
const MODULE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/core/record-shape.ts");

describe("record copier limits", () => {
  it("under --disallow-code-generation-from-strings it copies with the plain loop", () => {
    const script = `
      const { objectBuilder, builderStats } = await import(${JSON.stringify(MODULE)});
      const copy = objectBuilder(["id"], ["a", "b"]);
      console.log(JSON.stringify({ out: copy({ a: 1, b: 2 }, "x"), stats: builderStats() }));`;
    const run = spawnSync(
      process.execPath,
      ["--disallow-code-generation-from-strings", "--input-type=module", "-e", script],
      { encoding: "utf8" },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      out: { id: "x", a: 1, b: 2 },
      stats: { compiled: 0, codegen: false },
    });
  });

  it("a new shape every record: compiled at most MAX_COMPILED times, every copy still right", () => {
    const before = builderStats().compiled;
    for (let i = 0; i < MAX_COMPILED + 200; i++) {
      const key = `field${i}`;
      const copy = objectBuilder(["id"], [key, "same"]);
      expect(copy({ [key]: i, same: true }, `r${i}`)).toEqual({ id: `r${i}`, [key]: i, same: true });
    }
    expect(builderStats().compiled).toBe(MAX_COMPILED);
    expect(builderStats().compiled - before).toBeLessThanOrEqual(MAX_COMPILED);
  });
});
