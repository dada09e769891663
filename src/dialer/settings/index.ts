/** Seed 003's settings lifecycle: validate locally then on CXone, apply with If-Match, roll back. */
export { type ApplyOutcome, type ApplyResult, applySettings } from "./apply.ts";
export { describeChanges, diffSettings, type FieldChange, settingsMatch } from "./diff.ts";
export { findVersion, type HistoryRow, previousVersion, readHistory } from "./history.ts";
export type { LifecycleDeps } from "./lifecycle.ts";
export { type Finding, localChecks } from "./local-checks.ts";
export { type RestoreRequest, type RestoreResult, restoreSettings } from "./restore.ts";
export { loadSettingsFile, settingsOf } from "./settings-file.ts";
export { type ValidationReport, validateConfig } from "./validate.ts";
