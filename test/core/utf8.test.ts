import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { loadInputFile } from "../../src/core/input-file.ts";
import { assertUtf8File } from "../../src/core/utf8.ts";

/** Issue 51 item 10: input that is not UTF-8 is refused naming the line, never sent as U+FFFD. */
const dir = mkdtempSync(join(tmpdir(), "cxo-utf8-"));
const file = (name: string, bytes: Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

describe("UTF-8 input", () => {
  it("accepts UTF-8 whose multi-byte characters straddle the 1 MiB read chunks", () => {
    // "é" is 2 bytes, "€" 3, "😀" 4: each lands across a chunk boundary at some offset.
    for (const pad of [0, 1, 2, 3]) {
      const text = `${"x".repeat((1 << 20) - 2 + pad)}é€😀\nnext line é\n`;
      expect(() => assertUtf8File(file(`ok-${pad}.csv`, Buffer.from(text)), "--file")).not.toThrow();
    }
  });

  it("names the line of the first bad byte, past a chunk boundary too", () => {
    const lines = Buffer.from(`${"row,ok\n".repeat(200_000)}`); // 1.4 MB: two chunks
    const bad = Buffer.concat([lines, Buffer.from("caf"), Buffer.from([0xe9]), Buffer.from("\n")]);
    expect(() => assertUtf8File(file("bad.csv", bad), "--file")).toThrow(
      /^--file: ".*bad\.csv" line 200001 is not valid UTF-8/,
    );
    const cut = Buffer.concat([Buffer.from("a\nb"), Buffer.from([0xe2, 0x82])]); // ends mid-character
    expect(() => assertUtf8File(file("cut.csv", cut), "--file")).toThrow(/line 2 is not valid UTF-8/);
  });

  it("a YAML/JSON input document in Latin-1 is bad input naming the flag and the line", () => {
    const spec = file(
      "spec.yaml",
      Buffer.concat([Buffer.from("name: ok\nnotes: caf"), Buffer.from([0xe9, 0x0a])]),
    );
    expect(() => loadInputFile(spec, z.object({}), "--spec")).toThrow(
      /^--spec: ".*spec\.yaml" line 2 is not valid UTF-8/,
    );
  });
});
