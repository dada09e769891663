import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MINIMUM_NODE, unsupportedNode } from "../../src/core/node-support.ts";

/**
 * Issue 43 §2: importing the SDK on a Node older than 22.13 says which Node it needs (it used to
 * fail with ERR_UNKNOWN_BUILTIN_MODULE: node:sqlite), with the CLI's check. An ES module's static
 * imports are all loaded before any of them runs, so the check can only speak first if nothing
 * the entry points import statically needs the newer Node: node:sqlite is loaded on first use of
 * the store. (The package test runs the packed package on an old Node when the machine has one.)
 */
const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src");

/** The modules `entry` loads before running any of them: its static, non-type imports, transitively. */
function staticGraph(entry: string): Map<string, string[]> {
  const chains = new Map<string, string[]>();
  const visit = (file: string, chain: string[]) => {
    if (chains.has(file)) return;
    chains.set(file, chain);
    const source = readFileSync(file, "utf8");
    const statements = source.matchAll(/^(import|export)\b(?!\s+type\b)[^;]*?(?:from\s+)?"([^"]+)";/gms);
    for (const [, , specifier] of statements) {
      if (!specifier) continue;
      if (specifier.startsWith(".")) visit(path.resolve(path.dirname(file), specifier), [...chain, file]);
      else chains.set(specifier, [...chain, file]);
    }
  };
  visit(path.join(SRC, entry), []);
  return chains;
}

describe("the Node the package needs", () => {
  it("one sentence names it, for the CLI and the SDK alike", () => {
    expect(MINIMUM_NODE).toBe("22.13");
    const pkg = JSON.parse(readFileSync(path.join(SRC, "..", "package.json"), "utf8"));
    expect(pkg.engines.node).toBe(`>=${MINIMUM_NODE}`);
    expect(unsupportedNode("cxone-outbound", "20.20.2")).toBe(
      "cxone-outbound needs Node.js 22.13 or newer (this is v20.20.2); install a current Node.js LTS.",
    );
    expect(unsupportedNode("cxo", "22.12.0")).toMatch(/^cxo needs Node\.js 22\.13 or newer/);
    for (const fine of ["22.13.0", "22.18.1", "23.0.0", "24.21.0", "30.1.0"])
      expect(unsupportedNode("cxo", fine), fine).toBeUndefined();
    expect(readFileSync(path.join(SRC, "cli", "bin.ts"), "utf8")).toContain(
      'import { unsupportedNode } from "../core/node-support.ts";',
    );
  });

  it.each(["index.ts", "internal.ts"])(
    "%s runs the check first and loads no node:sqlite before it",
    (entry) => {
      const graph = staticGraph(entry);
      expect(graph.has("node:sqlite"), `via ${graph.get("node:sqlite")?.join(" → ")}`).toBe(false);
      const source = readFileSync(path.join(SRC, entry), "utf8");
      const first = /^(?:import|export)\b(?!\s+type\b)[^;]*?"([^"]+)";/ms.exec(source)?.[1];
      expect(first).toBe("./sdk/require-node.ts");
    },
  );
});
