import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readPoolsFile } from "../../src/callerid/pools-file.ts";
import { InputError } from "../../src/core/input-error.ts";

const dir = mkdtempSync(path.join(tmpdir(), "cxo-pools-"));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe("the pools file, read through the one CSV reader (issue 80 §4)", () => {
  it("reads number → pool, cells trimmed, blank lines skipped", async () => {
    const pools = await readPoolsFile(
      file("ok.csv", "callerId,pool\n+18005550001, east\n\n+18005550002,west\n"),
    );
    expect([...pools]).toEqual([
      ["+18005550001", "east"],
      ["+18005550002", "west"],
    ]);
  });

  it("names a bad row by its line in the file, blank lines counted (line 5 was called row 3)", async () => {
    const text = "callerId,pool\n+18005550001,east\n\n\nnot-a-number,east\n";
    const error = await readPoolsFile(file("bad.csv", text)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]).toMatchObject({ field: "pools.callerId", row: 5 });
    expect((error as InputError).message).toContain("line 5");
  });

  it("refuses a wrong header, an empty file and a FIFO-like non-file, naming the field", async () => {
    for (const p of [file("header.csv", "number,pool\n+18005550001,a\n"), file("empty.csv", "")]) {
      const error = await readPoolsFile(p).catch((e: unknown) => e);
      expect((error as InputError).problems[0]?.field).toBe("pools");
    }
    const device = await readPoolsFile("/dev/zero").catch((e: unknown) => e);
    expect(device).toBeInstanceOf(InputError);
    expect((device as InputError).problems[0]?.field).toBe("pools");
  });
});
