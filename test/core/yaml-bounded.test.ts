import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError } from "../../src/core/config/errors.ts";
import { readTenantProfile } from "../../src/core/config/tenant-profile.ts";
import { InputError } from "../../src/core/input-error.ts";
import { loadInputFile, parseYaml } from "../../src/core/input-file.ts";
import { knobsOfProfile } from "../../src/emulator/cxone/profile.ts";

/**
 * Issue 51 item 6: YAML documents are bounded before the expensive pass. The yaml library's
 * duplicate-key check is quadratic (an 80,000-key profile took over a minute): a document
 * with more keys than any real input is refused by a linear pre-scan, duplicates are still
 * found (in one pass), and a profile gets the same 8 MiB cap as every other input.
 */
const dir = mkdtempSync(join(tmpdir(), "cxo-yaml-"));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const manyKeys = (n: number, indent = "") =>
  Array.from({ length: n }, (_, i) => `${indent}k${i}: ${i}`).join("\n");

describe("bounded YAML", () => {
  it("an 80,000-key profile is refused by its key count (the adapter's and the emulator's readers)", () => {
    const profile = file("huge.yaml", `profile: 1\nfacts:\n${manyKeys(80_000, "  ")}\n`);
    expect(() => readTenantProfile(profile)).toThrow(ConfigError);
    expect(() => readTenantProfile(profile)).toThrow(/holds more than 20,000 keys/);
    expect(() => knobsOfProfile(profile)).toThrow(/--profile: .*holds more than 20,000 keys/);
  });

  it("a profile over 8 MiB is refused before it is parsed", () => {
    const big = file("big.yaml", `profile: 1\n# ${"x".repeat(9 * 1024 * 1024)}\n`);
    expect(() => readTenantProfile(big)).toThrow(/larger than 8 MiB/);
    expect(() => knobsOfProfile(big)).toThrow(/larger than 8 MiB/);
  });

  it("an 80,000-key campaign spec is bad input naming the flag", () => {
    const spec = file("spec.yaml", `${manyKeys(80_000)}\n`);
    expect(() => loadInputFile(spec, z.object({}), "--spec")).toThrow(InputError);
    expect(() => loadInputFile(spec, z.object({}), "--spec")).toThrow(
      /^--spec: .*holds more than 20,000 keys/,
    );
  });

  it("reads what it read before: nested maps, sequences, anchors, JSON, 2,000 keys", () => {
    expect(parseYaml("a:\n  b: [1, 2]\n  c: &x {d: true}\ne: *x\n'1': one\n1: number\n")).toEqual({
      a: { b: [1, 2], c: { d: true } },
      e: { d: true },
      "1": "number",
    });
    expect(parseYaml('{"a": [1, {"b": null}]}')).toEqual({ a: [1, { b: null }] });
    expect(Object.keys(parseYaml(manyKeys(2_000)) as object)).toHaveLength(2_000);
  });

  it("still refuses duplicate keys, naming the key and its line", () => {
    expect(() => parseYaml("a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n")).toThrow(/duplicate key "c" at line 5/);
  });

  it("bounds aliases (a billion laughs) and nesting", () => {
    const laughs = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 9 }, (_, i) => {
        const prev = String.fromCharCode(97 + i);
        return `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(12).fill(`*${prev}`).join(", ")}]`;
      }),
    ].join("\n");
    expect(() => parseYaml(laughs)).toThrow(/more than 100 aliases/);
    expect(() => parseYaml(`${"[".repeat(65)}${"]".repeat(65)}`)).toThrow(/nests deeper than 64 levels/);
    const block = Array.from({ length: 66 }, (_, i) => `${" ".repeat(i * 2)}k:`).join("\n");
    expect(() => parseYaml(`${block} 1\n`)).toThrow(/nests deeper than 64 levels/);
  });
});
