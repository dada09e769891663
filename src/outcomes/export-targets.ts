import {
  type FileKind,
  HTML_REPORT,
  kindByFirstLine,
  kindByJsonLines,
  type SafeWriteOptions,
} from "../core/safe-write.ts";
import type { ExportOptions } from "./export-run.ts";
import { CSV_HEADER } from "./record-format.ts";

/**
 * What an export may write over (core/safe-write.ts): an existing `out` must be an export of the
 * same format, an existing `report` an HTML report cxo wrote, unless `replace`. Files are
 * written with `fileMode` (default 0600: records are personal data).
 */
export function exportFileKind(format: "ndjson" | "csv"): FileKind {
  return format === "csv"
    ? kindByFirstLine("CSV export written by cxo", (line) => `${line}\n` === CSV_HEADER)
    : kindByJsonLines("NDJSON export written by cxo", (line) => line.startsWith('{"agentId":'));
}

export function exportWriteOptions(
  options: Pick<ExportOptions, "replace" | "fileMode">,
  field: string,
  kind: FileKind,
): SafeWriteOptions {
  return { field, kind, force: options.replace, mode: options.fileMode, forceName: "replace" };
}

/** The HTML report's safe-write options. */
export const reportWriteOptions = (options: Pick<ExportOptions, "replace" | "fileMode">): SafeWriteOptions =>
  exportWriteOptions(options, "report", HTML_REPORT);
