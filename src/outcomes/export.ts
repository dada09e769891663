import { FileStage } from "./export-file-stage.ts";
import { runExport } from "./export-pipeline.ts";
import type { ExportOptions, ExportSummary } from "./export-run.ts";
import { exportTarget } from "./export-target.ts";

/**
 * `exportOutcomes`: stream a campaign's call outcome records into an NDJSON or CSV file, a
 * writable stream, or a Parquet dataset, page by page in constant memory, computing the
 * compliance hash and the analysis on the way, with checkpoints so an interrupted export
 * resumes without duplicating or missing a record. One pipeline (export-pipeline.ts) runs every
 * format; the format's stage is its sink (export-file-stage.ts, parquet/export-dataset.ts).
 */
export {
  crmSummary,
  type ExportCheckpoint,
  ExportInterruptedError,
  type ExportOptions,
  type ExportProgress,
  type ExportSummary,
  type RunStats,
} from "./export-run.ts";

export async function exportOutcomes(options: ExportOptions): Promise<ExportSummary> {
  // The Parquet writer (hyparquet, ~50 modules) is loaded only for a Parquet export.
  if (options.format === "parquet")
    return typeof options.out === "string" && exportTarget(options.out, "parquet").parquetFile
      ? (await import("./parquet/export-single-file.ts")).exportParquetFile(options)
      : (await import("./parquet/export-dataset.ts")).exportDataset(options);
  return runExport(options, new FileStage(options));
}
