import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InputError } from "../../src/core/input-error.ts";
import { loadInputFile } from "../../src/core/input-file.ts";
import { dialerConfigSchema } from "../../src/dialer/config.ts";

const dir = mkdtempSync(join(tmpdir(), "cxo-input-"));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const schema = z.strictObject({ a: z.strictObject({ b: z.number().min(1) }) });

describe("loadInputFile", () => {
  it("parses YAML and JSON into the schema's type", () => {
    expect(loadInputFile(file("ok.yaml", "a:\n  b: 3\n"), schema, "--spec")).toEqual({ a: { b: 3 } });
    expect(loadInputFile(file("ok.json", '{"a":{"b":2}}'), schema, "--spec")).toEqual({ a: { b: 2 } });
  });

  it("names the dotted field and the rule", () => {
    try {
      loadInputFile(file("bad.yaml", "a:\n  b: 0\n"), schema, "--spec");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems[0]?.field).toBe("a.b");
      expect((error as InputError).message).toMatch(/a\.b: .*>=1/);
    }
  });

  it("rejects unknown extensions, missing files and malformed text, naming the flag", () => {
    expect(() => loadInputFile(file("x.txt", ""), schema, "--spec")).toThrow(/--spec: must be a \.yaml/);
    expect(() => loadInputFile(join(dir, "missing.yaml"), schema, "--spec")).toThrow(
      /--spec: cannot read .*ENOENT/,
    );
    expect(() => loadInputFile(file("broken.json", "{"), schema, "--config")).toThrow(
      /--config: .* is not valid json/,
    );
  });

  it("dialer config: abandonment target above 3% names the field and the law", () => {
    const path = file(
      "dialer.yaml",
      "concurrency: {maxAgents: 50, maxSimultaneousCalls: 200}\nalgorithm: {abandonmentTarget: 0.05, dialRatio: 2}\ncarrier: {trunks: 150}\n",
    );
    expect(() => loadInputFile(path, dialerConfigSchema, "--config")).toThrow(
      /algorithm\.abandonmentTarget: .*TCPA/,
    );
  });
});
