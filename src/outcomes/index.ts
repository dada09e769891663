/** Seed 004: call outcome export, analysis, compliance hash, HTML report and CRM summary. */
export { type OutcomeAnalysis, OutcomeAnalyzer } from "./analysis.ts";
export { ComplianceHash } from "./compliance-hash.ts";
export {
  Categorizer,
  DEFAULT_DISPOSITION_MAP,
  type DispositionMap,
  dispositionMapSchema,
  loadDispositionMap,
} from "./disposition-map.ts";
export {
  ExportInterruptedError,
  type ExportOptions,
  type ExportProgress,
  type ExportSummary,
  exportOutcomes,
} from "./export.ts";
export { ExportResumeError } from "./export-file.ts";
export { type ExportQuery, type ExportQueryInput, parseExportQuery } from "./query.ts";
export { type ExportFormat, readExport } from "./read-export.ts";
export { type CanonicalRecord, canonicalLine, canonicalRecord } from "./record-format.ts";
export { renderHtmlReport } from "./report-html.ts";
export { type ExportVerification, verifyExport } from "./verify.ts";
