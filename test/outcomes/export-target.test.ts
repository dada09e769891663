import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/input-error.ts";
import { exportTarget } from "../../src/outcomes/export-target.ts";
import type { ExportFormat } from "../../src/outcomes/read-export.ts";

/** Issue 50 §4: what an export's `out` names decides its format; a contradiction names both. */
describe("exportTarget", () => {
  const existing = mkdtempSync(path.join(tmpdir(), "cxo-target-"));
  it.each<[string | undefined, ExportFormat | undefined, ExportFormat, boolean]>([
    ["day.parquet", undefined, "parquet", true],
    ["day.PARQUET", "parquet", "parquet", true],
    ["out/", undefined, "parquet", false],
    [existing, undefined, "parquet", false],
    [existing, "parquet", "parquet", false],
    ["dataset", "parquet", "parquet", false],
    [undefined, "parquet", "parquet", false],
    ["x.csv", undefined, "csv", false],
    ["x.jsonl", undefined, "ndjson", false],
    ["x.txt", undefined, "ndjson", false],
    ["x.txt", "csv", "csv", false],
    ["-", "csv", "csv", false],
    [undefined, undefined, "ndjson", false],
  ])("%s with format %s: %s (one file: %s)", (out, format, expected, parquetFile) => {
    expect(exportTarget(out, format)).toEqual({ format: expected, parquetFile });
  });

  it.each<[string, ExportFormat]>([
    ["day.parquet", "ndjson"],
    ["day.parquet", "csv"],
    ["out/", "ndjson"],
    ["x.csv", "parquet"],
    ["x.ndjson", "csv"],
    ["x.csv", "ndjson"],
  ])("%s with format %s: refused naming both", (out, format) => {
    let error: unknown;
    try {
      exportTarget(out, format, { out: "--out", format: "--format" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain("--format");
    expect((error as InputError).message).toContain(`--out ${out}`);
  });
});
