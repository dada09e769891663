export { type NanpNumber, parseNanp } from "../core/phone-number.ts";
export {
  ATTEMPT_LOOKBACK_MS,
  type AttemptRecord,
  attemptsInWindow,
  recordAttempt,
} from "./attempts.ts";
export { loadDncList } from "./blocked-numbers.ts";
export { type CallToCheck, checkCall, judgeCall } from "./check-call.ts";
export {
  type CallWindow,
  type CountedCall,
  callsInWindow,
  callsOf,
  type DebtCallSources,
  type DebtCalls,
  keepGivenHistory,
  type PlatformCallReader,
  readPlatformCalls,
  uniqueCalls,
} from "./debt-calls.ts";
export {
  addToDnc,
  combinedDnc,
  type DncList,
  listDnc,
  readDncFile,
  removeFromDnc,
  storedDncNumbers,
} from "./dnc.ts";
export { ComplianceEngine } from "./engine.ts";
export { type AccountAttempt, REG_F_MAX_CALLS, REG_F_PERIOD_MS, regFReasons } from "./reg-f.ts";
export { type PatternCall, type RegFPatternCode, regFPatterns } from "./reg-f-patterns.ts";
export { defaultAsOf, type ImportRequest, type ImportSummary, importRegistry } from "./registry/import.ts";
export {
  type DncRegistries,
  type DncRegistry,
  describeRegistries,
  NO_REGISTRIES,
  openDncRegistries,
  type RegistryFinding,
} from "./registry/lookup.ts";
export { RULE_TABLE, type RuleRow } from "./rule-table.ts";
export type { Suppression, SuppressionCode } from "./suppression.ts";
export type {
  AttemptTime,
  CampaignCaps,
  ComplianceInput,
  Reason,
  ReasonCode,
  Verdict,
} from "./verdict.ts";
