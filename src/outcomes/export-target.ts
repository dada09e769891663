import { existsSync, statSync } from "node:fs";
import { extname, sep } from "node:path";
import { InputError } from "../core/input-error.ts";
import type { ExportFormat } from "./read-export.ts";

/**
 * What an export's `out` names, and in which format it is written (issue 50 §4), decided once
 * for the SDK and the CLI:
 * - a directory (a path ending in `/`, or one that exists as a directory) is a partitioned
 *   Parquet dataset;
 * - a path ending in `.parquet` is ONE Parquet file (the columns of a dataset's parts);
 * - `.csv` is CSV, `.ndjson` / `.jsonl` NDJSON; any other name takes `format` (default NDJSON);
 * - a `format` that contradicts what `out` names is refused, naming both (nothing is sent).
 */
export interface ExportTarget {
  format: ExportFormat;
  /** `format: "parquet"` into one file (else a dataset directory). */
  parquetFile: boolean;
}

type Named = "dataset" | "parquet-file" | "csv" | "ndjson";

const DESCRIBED: Record<Named, string> = {
  dataset: "a directory, which holds a partitioned Parquet dataset",
  "parquet-file": "a .parquet name, which is one Parquet file",
  csv: "a .csv name",
  ndjson: "an .ndjson name",
};
const FORMAT_OF: Record<Named, ExportFormat> = {
  dataset: "parquet",
  "parquet-file": "parquet",
  csv: "csv",
  ndjson: "ndjson",
};

/** What a path names by its form alone (undefined: a name that says nothing, e.g. `out.txt`). */
function named(out: string): Named | undefined {
  if (out.endsWith("/") || out.endsWith(sep) || (existsSync(out) && statSync(out).isDirectory()))
    return "dataset";
  const extension = extname(out).toLowerCase();
  if (extension === ".parquet") return "parquet-file";
  if (extension === ".csv") return "csv";
  if (extension === ".ndjson" || extension === ".jsonl") return "ndjson";
  return undefined;
}

/**
 * The format and shape of an export to `out` (a path; "-" or a stream: standard output, whose
 * format is `format`'s, default NDJSON). `fields` names the two settings in the caller's words.
 */
export function exportTarget(
  out: string | undefined,
  format: ExportFormat | undefined,
  fields: { out: string; format: string } = { out: "out", format: "format" },
): ExportTarget {
  const kind = out === undefined || out === "-" ? undefined : named(out);
  if (format !== undefined && kind !== undefined && FORMAT_OF[kind] !== format)
    throw new InputError({
      field: fields.format,
      rule: `${format} contradicts ${fields.out} ${out} (${DESCRIBED[kind]}): drop ${fields.format}, or ${
        format === "parquet"
          ? `name the file .parquet (one file) or give a directory ending in / (a dataset)`
          : `name the file .${format}`
      }`,
    });
  const resolved = format ?? (kind === undefined ? "ndjson" : FORMAT_OF[kind]);
  return { format: resolved, parquetFile: resolved === "parquet" && kind === "parquet-file" };
}
