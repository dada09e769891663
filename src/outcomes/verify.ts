import { existsSync, statSync } from "node:fs";
import { inSignalSlices } from "../core/signal-slices.ts";
import { ComplianceHash } from "./compliance-hash.ts";
import { type ExportFormat, readExport } from "./read-export.ts";

/**
 * `cxo outcomes verify FILE --hash H`: recomputes the compliance hash of an NDJSON or CSV
 * export, or of a Parquet dataset directory (its parts in number order) or one `date=` partition
 * of it (all decode to the same canonical records) and compares it with the one the audit
 * log recorded. Streaming: any file size in constant memory.
 */
export interface ExportVerification {
  ok: boolean;
  file: string;
  format: ExportFormat;
  records: number;
  complianceHash: string;
  expectedHash: string;
}

export function formatOf(file: string, given?: ExportFormat): ExportFormat {
  if (given) return given;
  const lower = file.toLowerCase();
  if (lower.endsWith(".parquet") || (existsSync(file) && statSync(file).isDirectory())) return "parquet";
  return lower.endsWith(".csv") ? "csv" : "ndjson";
}

export async function verifyExport(
  file: string,
  expectedHash: string,
  format?: ExportFormat,
  signal?: AbortSignal,
): Promise<ExportVerification> {
  const resolved = formatOf(file, format);
  const hash = new ComplianceHash();
  let records = 0;
  for await (const { line } of inSignalSlices(readExport(file, resolved), signal)) {
    hash.add(line);
    records += 1;
  }
  const complianceHash = hash.peek();
  return {
    ok: complianceHash === expectedHash.toLowerCase(),
    file,
    format: resolved,
    records,
    complianceHash,
    expectedHash,
  };
}
