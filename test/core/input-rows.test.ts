import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/input-error.ts";
import { csvObjects, csvRecords, ndjsonObjects, ndjsonRows } from "../../src/core/input-rows.ts";

/**
 * Issue 68 §5: the one line and row reader. Lines are numbered as an editor shows them (blank
 * ones counted), a byte-order mark and CRLF are nothing, and every problem names the file and
 * its line.
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-input-rows-"));
const file = (name: string, text: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
};
const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

describe("the one line and row reader", () => {
  it("NDJSON: a BOM, CRLF and blank lines read as nothing; lines keep their numbers", async () => {
    const at = file("a.ndjson", '\uFEFF{"a":1}\r\n\r\n{"a":2}\r\n');
    expect(await collect(ndjsonRows(at))).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 3, value: { a: 2 } },
    ]);
    expect(await collect(ndjsonObjects(at, "file"))).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it("NDJSON: a bad line is a problem (rows) or an InputError naming the field, the file and the line (objects)", async () => {
    const at = file("b.ndjson", '{"a":1}\n\nnot json\n[1]\n');
    expect(
      (await collect(ndjsonRows(at))).map((r) => ("problem" in r ? [r.line, r.problem] : r.line)),
    ).toEqual([1, [3, "invalid_json"], [4, "not_an_object"]]);
    const error = await collect(ndjsonObjects(at, "history")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]).toMatchObject({ field: "history", row: 3 });
    expect((error as InputError).problems[0]!.rule).toContain(`"${at}" line 3`);
  });

  it("CSV: a BOM skipped, another delimiter, the lines read; a syntax error names the file and line", async () => {
    const at = file("c.csv", '\uFEFFphone;at\r\n+15551230000;2026-01-01\r\n\r\n"+15551230001";"x\r\ny"\r\n');
    const records = await collect(csvRecords(at, "file", { delimiter: ";" }));
    expect(records.map((r) => r.record)).toEqual([
      ["phone", "at"],
      ["+15551230000", "2026-01-01"],
      ["+15551230001", "x\r\ny"],
    ]);
    expect(records.slice(0, 2).map((r) => r.lines)).toEqual([1, 2]);
    const bad = file("d.csv", 'a,b\n1,"2\n3,4\n');
    const error = await collect(csvObjects(bad, "list")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]!.field).toBe("list");
    expect((error as InputError).problems[0]!.rule).toMatch(
      new RegExp(`^"${bad}"( line \\d+)? is not valid CSV`),
    );
  });
});
