export { CODE_CACHE_TTL_MS, knownCodes } from "./code-catalogue.ts";
export { classMixProblem, codeClass, unknownCodeProblem } from "./code-rules.ts";
export {
  entryProblems,
  type IntendedDisposition,
  interactionIdProblem,
  timestampProblem,
} from "./entry-rules.ts";
export { ConflictRetriesExhaustedError, DispositionRuleError } from "./errors.ts";
export { isApplied, mergeDisposition } from "./merge.ts";
export { InteractionMetrics, type InteractionMetricsSnapshot } from "./metrics.ts";
export {
  type ConflictPolicy,
  DEFAULT_CONFLICT_POLICY,
  EVENT_TYPE,
  INTERACTIONS_DESTINATION,
  SET_DISPOSITION_KIND,
  type SetDispositionPayload,
  setDispositionOperation,
} from "./operation.ts";
export { redriveStale } from "./redrive.ts";
export {
  type SetDispositionDeps,
  type SetDispositionInput,
  type SetDispositionResult,
  setDisposition,
} from "./set-disposition.ts";
