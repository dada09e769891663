/**
 * cxone-outbound: the SDK. `createClient(options)` gives one client whose capability groups
 * (`dispositions`, `interactions`, `campaigns`, `compliance`, `dialer`, `outcomes`) share a CXone
 * connection and a local store. The emulator and the service are separate entry points
 * (`cxone-outbound/emulator`, `cxone-outbound/service`), so this one never loads them; the raw
 * port (CXone's endpoints as typed functions) is in `cxone-outbound/internal`, which is not a
 * stable API.
 *
 * Errors: every error the SDK raises extends `CxoError` (exported here, as is each class), with a
 * stable string `code` to switch on (`invalid_input`, `not_found`, `deadline_exceeded`, …; see
 * SdkErrorCode). Messages are for people and may change.
 *
 * @packageDocumentation
 */

// First: on a Node older than the package needs, importing it says so (and loads nothing else).
import "./sdk/require-node.ts";

export {
  type Autopilot,
  type AutopilotGroup,
  type AutopilotRunResult,
  createAutopilot,
} from "./autopilot/app.ts";
export type { HeldBy } from "./autopilot/campaign-run-lease.ts";
export type { AutopilotCampaignInput, AutopilotJobInput } from "./autopilot/job-input.ts";
export type { AutopilotCampaignStatus } from "./autopilot/status.ts";
export type {
  CampaignDay as AutopilotCampaignDay,
  CampaignRun,
  CampaignState as AutopilotCampaignState,
  DayEvidence,
  DayNote,
  DayPlan as AutopilotDayPlan,
  DayReport,
  HeldRecord,
  PassingEpisode,
  StepName,
  StepRecord,
} from "./autopilot/types.ts";
export type {
  CallerIdEvidence,
  CallerIdHealthRow,
  CallerIdStatus,
} from "./callerid/types.ts";
export type {
  CampaignPair,
  CampaignSnapshot,
  ComparedPart,
  Difference,
  TenantDiff,
  TenantSnapshot,
} from "./campaigns/compare-tenants.ts";
export type { CreateOutcome } from "./campaigns/create.ts";
export type { CauseCode } from "./campaigns/diagnose/causes.ts";
export type { Cause, Diagnosis, ForecastSlot } from "./campaigns/diagnose/facts.ts";
export type { DiagnoseParams } from "./campaigns/diagnose/params.ts";
export type { KnownCampaign } from "./campaigns/known-campaigns.ts";
export type { ScheduleParams } from "./campaigns/scheduled-callbacks.ts";
export type { ContactSink } from "./campaigns/segment/contact-writer.ts";
export type { SegmentedContact } from "./campaigns/segment/segmented-contact.ts";
export type { SegmentSummary } from "./campaigns/segment/summary.ts";
export type { CampaignSpec, CampaignSpecInput, FailoverSpec, PacingSpec } from "./campaigns/spec.ts";
export type { SetStatusResult } from "./campaigns/transition.ts";
export { WatchdogStepError } from "./campaigns/watchdog/errors.ts";
export type { WatchdogListeners } from "./campaigns/watchdog/events.ts";
export type {
  Evaluation,
  Incident,
  IncidentPhase,
  MetricsSnapshot,
  WatchdogState,
} from "./campaigns/watchdog/state.ts";
export type { Step as WatchdogStep, StepOutcome } from "./campaigns/watchdog/steps.ts";
export type { FailoverReport, Watchdog, WatchdogConfig } from "./campaigns/watchdog/watchdog.ts";
export {
  type AuditClientOptions,
  type ClientConnectionInfo,
  type ConnectionOptions,
  type CreateClientOptions,
  type CxoneBaseClient,
  type CxoneClient,
  clientOptionsFromSettings,
  createClient,
  createTenants,
  type HttpOptions,
  type ProductionConnectionOptions,
  type RequestOptions,
  type RndClientOptions,
  type SeedConnectionOptions,
  Tenants,
  type TsrClientOptions,
} from "./client.ts";
export type { ZoneDerivation } from "./compliance/candidates.ts";
export { CxoneDncCopyIncompleteError } from "./compliance/cxone-dnc-errors.ts";
export type { CxoneDncFreshness } from "./compliance/cxone-dnc-freshness.ts";
export type { CxoneDncSyncResult } from "./compliance/cxone-dnc-sync.ts";
export type {
  DncAddResult,
  DncEntry,
  DncList,
  DncListResult,
  DncRemoveResult,
  SuppressionOptions,
} from "./compliance/dnc.ts";
export type { DateSource, RuleListing } from "./compliance/effective-dates.ts";
export type { EvidenceManifest, EvidenceSourceName } from "./compliance/evidence/chain.ts";
export type { CxoneCopyConsulted } from "./compliance/evidence/cxone-copy.ts";
export type { CertifiedFile } from "./compliance/evidence/export/certification.ts";
export type { ExportSummary as EvidenceExportSummary } from "./compliance/evidence/export/export.ts";
export type {
  PrunedFile as EvidencePrunedFile,
  PruneSummary as EvidencePruneSummary,
} from "./compliance/evidence/export/retention.ts";
export type { EvidenceSummary } from "./compliance/evidence/make.ts";
export type { EvidenceFormat } from "./compliance/evidence/output.ts";
export type {
  CallFacts,
  ConsentBasis,
  DncConsulted,
  EvidenceCall,
  EvidenceCap,
  EvidenceDerived,
  EvidenceInputs,
  EvidenceReason,
  EvidenceRecord,
  EvidenceRule,
  EvidenceSource,
  EvidenceSuppression,
  RndFact,
} from "./compliance/evidence/record.ts";
export type { EvidenceParams } from "./compliance/evidence/request.ts";
export type { Skipped as EvidenceSkipped } from "./compliance/evidence/sources.ts";
export type {
  ChainVerification as EvidenceChainVerification,
  EvidenceDifference,
  EvidenceVerification,
  RuleBookUse,
} from "./compliance/evidence/verify.ts";
export type { RegFPatternCode } from "./compliance/reg-f-patterns.ts";
export type { ImportSummary as RegistryImportUsSummary } from "./compliance/registry/import.ts";
export type { RegistryFinding } from "./compliance/registry/lookup.ts";
export type {
  UkImportSummary as RegistryImportUkSummary,
  UkRegistryName,
} from "./compliance/registry/uk.ts";
export type {
  CallAfter,
  ConsentReport,
  ReportEntry as ConsentReportEntry,
} from "./compliance/revocation-report.ts";
export type { ReportChecked as ConsentReportChecked } from "./compliance/revocation-report-calls.ts";
export type {
  CallbackSweep,
  RevokedCallback,
  RevokedCallbacks,
} from "./compliance/revoked-callbacks.ts";
export type { RndCheckResult, RndVerdict } from "./compliance/rnd/check-numbers.ts";
export type { RndEvidence } from "./compliance/rnd/evidence-store.ts";
export type { RndRefusalCode } from "./compliance/rnd/verdict.ts";
export type { CallVoice, Confidence } from "./compliance/rule-table.ts";
export type { Suppression, SuppressionCode } from "./compliance/suppression.ts";
export type { CapCount } from "./compliance/touch-caps.ts";
export type {
  CampaignKind,
  Channel as TouchChannel,
  CountedPer,
  Counts,
  NumberType,
  Registration,
  Registrations,
  TouchPurpose,
} from "./compliance/touches.ts";
export type { TouchImportSummary } from "./compliance/touches-import.ts";
export type {
  CampaignCaps,
  Exemption,
  Reason,
  ReasonCode as ComplianceReasonCode,
  ScriptRequirement,
  Verdict,
} from "./compliance/verdict.ts";
export type { CampaignVoice, VoiceFacts, VoiceProblemCode } from "./compliance/voice-rules.ts";
export type { AccountNotice as ConsentAccountNotice } from "./consent/accounts.ts";
export type { ConsentCoverage } from "./consent/client-coverage.ts";
export type { CoverageGap as ConsentCoverageGap } from "./consent/coverage.ts";
export type { DispositionsFreshness } from "./consent/cxone-dispositions.ts";
export { DncGroupMissingError } from "./consent/dnc-group-missing-error.ts";
export {
  ConsentNotRecordedEverywhereError,
  type TenantOutcome as ConsentTenantOutcome,
} from "./consent/every-tenant.ts";
export type { FanOutSummary } from "./consent/fan-out.ts";
export type { Grant, GrantFacts, GrantInput, GrantLookup, Purpose } from "./consent/grants.ts";
export type { HonourSummary } from "./consent/honour.ts";
export type { AccountNoticeCounts as ConsentAccountNoticeCounts } from "./consent/import-file.ts";
export type {
  CxoneStatus as ConsentCxoneStatus,
  LedgerEntry as ConsentLedgerEntry,
  RecordSummary as ConsentRecordSummary,
} from "./consent/ledger.ts";
export type { MessageIntent, MessageVerdict } from "./consent/message-intent.ts";
export type { ReviewItem, ReviewView } from "./consent/review-queue.ts";
export type { Channel as ConsentChannel, Revocation as ConsentRevocation } from "./consent/revocation.ts";
export type { Scope as RevocationScope, ScopeText as ConsentScope } from "./consent/scope.ts";
export type { AnchorCheck, AuditAnchor } from "./core/audit/anchor.ts";
export type { AuditRecord } from "./core/audit/record.ts";
export type { AuditVerification } from "./core/audit/verify.ts";
export type { AnchoredVerification } from "./core/audit/verify-anchored.ts";
export { ClientClosedError } from "./core/client-closed-error.ts";
// The one clock (CXO_CLOCK for the CLI): an SDK user opts in explicitly; it is process-wide.
// A client's own clock (createClient's `clock`) patches nothing: ClientClock.
export { type ClockSetting, installClock, parseClockSetting } from "./core/clock/index.ts";
export type { ClientClock } from "./core/clock/now.ts";
export { ConfigError } from "./core/config/errors.ts";
export { loadSettings, type SettingFlags, type SettingSources } from "./core/config/load.ts";
export type {
  AuthStyle,
  DestinationSettings,
  HttpSettings,
  Platform as PlatformName,
  ProductionApiSettings,
  RateGroupSettings,
  Settings,
} from "./core/config/schema.ts";
export { ConnectionMissingError } from "./core/connection-missing-error.ts";
export { CxoError, type CxoErrorOptions } from "./core/cxo-error.ts";
export { DeadlineExceededError } from "./core/deadline-error.ts";
export type { RateLimitRegistry } from "./core/http/endpoint-groups.ts";
export {
  type AnswerBound,
  AnswerTooLargeError,
  AuthError,
  ConflictError,
  CxoneError,
  type CxoneErrorCode,
  type CxoneErrorDetails,
  NetworkError,
  NotFoundError,
  PreconditionFailedError,
  RateLimitError,
  ScopeError,
  ServerError,
  ValidationError,
} from "./core/http/errors.ts";
export type { HttpEvent, RetryCause } from "./core/http/events.ts";
export type { EndpointGroup } from "./core/http/group-names.ts";
export { type Har, type HarEntry, HarRecorder } from "./core/http/har.ts";
export {
  type AsyncList,
  ListingTooLargeError,
  type Page,
  type PageInfo,
  type Paginated,
  RepeatedPageTokenError,
  type ToArrayOptions,
} from "./core/http/pagination.ts";
export type { RateLimitGroup, RateLimitState } from "./core/http/rate-limiter.ts";
export type { Exchange, RawResponse } from "./core/http/transport.ts";
export { InputError, type InputProblem } from "./core/input-error.ts";
export type { InstantInput } from "./core/instant-input.ts";
export type { Logger } from "./core/logging/logger.ts";
export type { DestinationStatus } from "./core/outbox/destination-status.ts";
export type { DispatchStats, DrainReport } from "./core/outbox/dispatcher.ts";
export type { DestinationCounts } from "./core/outbox/queue.ts";
export type { HeaderBag, VerifiedWebhook, WebhookBody } from "./core/outbox/signing.ts";
export { verifyWebhook, WebhookVerificationError } from "./core/outbox/signing.ts";
export { StoreFullError, StoreSchemaTooNewError, StoreUnavailableError } from "./core/store/errors.ts";
export type { RedriveReport } from "./core/store/journal.ts";
export { type Lease, LeaseLostError } from "./core/store/leases.ts";
export type { LedgerView } from "./dialer/abandonment/board-figure.ts";
export type { AmdFigure, RegimeFigure, WindowSpan } from "./dialer/abandonment/ledger.ts";
export type { AbandonmentParams } from "./dialer/abandonment/params.ts";
export type { AbandonmentReport } from "./dialer/abandonment/read-ledger.ts";
export type { Regime, RegimeId, WindowKind } from "./dialer/abandonment/regimes.ts";
export type { SamplingPlan } from "./dialer/abandonment/sampling-plan.ts";
export type { DialerConfig, DialerConfigInput } from "./dialer/config.ts";
export type { OutsideChange, OutsideChangeRule, PacingDecision } from "./dialer/live-pacing/latest.ts";
export type { FalsePositiveEstimate } from "./dialer/pacing/amd-estimate.ts";
export type { ApplyOutcome, ApplyResult } from "./dialer/settings/apply.ts";
export type { FieldChange } from "./dialer/settings/diff.ts";
export type { HistoryOutcome, HistoryRow, HistorySource } from "./dialer/settings/history.ts";
export type { Finding, LocalCheckResult as DialerLocalCheckResult } from "./dialer/settings/local-checks.ts";
export type { RestoreResult } from "./dialer/settings/restore.ts";
export type { ValidationReport } from "./dialer/settings/validate.ts";
export type { ParamOverrides, SimulationMode } from "./dialer/simulator/des/params.ts";
export type { SimulationResult } from "./dialer/simulator/des/result.ts";
export type { ErlangInput, ErlangModel, ErlangReport } from "./dialer/simulator/erlang-report.ts";
export type {
  BenchReport as PacingBenchReport,
  ControllerReport as PacingControllerReport,
  FrontierPoint as PacingFrontierPoint,
  MatchedFigures as PacingMatchedFigures,
  Tuning as PacingTuning,
} from "./dialer/simulator/pacing-bench/bench-types.ts";
export type {
  AbandonmentFigures as PacingAbandonmentFigures,
  ControllerFigures as PacingControllerFigures,
} from "./dialer/simulator/pacing-bench/metrics.ts";
export type { SweepPoint, SweepRange, SweepResult } from "./dialer/simulator/sweep.ts";
export type { BulkSummary, RowFailure } from "./dispositions/bulk-tag.ts";
export type { Progress } from "./dispositions/progress.ts";
export type { RowProblem, RuleCode } from "./dispositions/rules.ts";
export type { TagOutcome } from "./dispositions/tag-call.ts";
export { isSdkError, type OtherCxoneError, type SdkError, type SdkErrorCode } from "./errors.ts";
export { ConflictRetriesExhaustedError, DispositionRuleError } from "./interactions/errors.ts";
export type { InteractionMetrics, InteractionMetricsSnapshot } from "./interactions/metrics.ts";
export type { SetDispositionInput, SetDispositionResult } from "./interactions/set-disposition.ts";
export type { DurationStats, OutcomeAnalysis, RateRow } from "./outcomes/analysis.ts";
export type { ChangesExportSummary } from "./outcomes/changes.ts";
export type { DispositionMap } from "./outcomes/disposition-map.ts";
export type { ExportProgress, ExportSummary } from "./outcomes/export.ts";
export { ExportInterruptedError } from "./outcomes/export.ts";
export { ExportResumeError, StreamClosedError } from "./outcomes/export-file.ts";
export type { OutcomeQuery } from "./outcomes/list-calls.ts";
export type {
  OutcomeChangesParams,
  OutcomeChangesQuery,
  OutcomeChangesSummary,
  OutcomeExportParams,
  OutcomeExportSummary,
} from "./outcomes/of-client.ts";
export { DuckDbMissingError } from "./outcomes/parquet/duckdb-missing-error.ts";
export { ExportFileFormatError, type ExportFormat } from "./outcomes/read-export.ts";
export type { CanonicalRecord } from "./outcomes/record-format.ts";
export type { TsrCheckResult, TsrField, TsrFieldReport } from "./outcomes/tsr-check.ts";
export type { ExportVerification } from "./outcomes/verify.ts";
export {
  IncompleteListingError,
  isNotSupported,
  NotSupportedError,
  ReadBackMismatchError,
  UnreadableAnswerError,
} from "./platform/errors.ts";
export type { PresentedCallerId, SkillState, WeeklySchedule } from "./platform/ports/diagnosis.ts";
export type {
  DialerAlgorithmType,
  DialerAuditEntry,
  DialerAuditQuery,
  DialerMetricName,
  DialerMetricRow,
  DialerMetricsQuery,
  DialerSettings,
  DialerSettingsState,
} from "./platform/ports/dialer.ts";
export type { DoctorFindings } from "./platform/ports/doctor.ts";
export type { ListAttempt, RetrySettings as SkillRetrySettings } from "./platform/ports/lists.ts";
export type { LiveDayCounts, SkillLiveSnapshot } from "./platform/ports/live.ts";
export type { RndAnswer, RndQuestion } from "./platform/ports/rnd.ts";
export type { ScheduledCallback } from "./platform/ports/scheduled-callbacks.ts";
export type { PortOperation } from "./platform/support.ts";
export type * from "./platform/types.ts";
export type { AccessGroup, NoParams } from "./sdk/access.ts";
export type {
  AuditAnchorParams,
  AuditAnchorResult,
  AuditGroup,
  AuditRecordsParams,
  AuditVerifyParams,
} from "./sdk/audit.ts";
export type { CallbacksGroup, CallbacksListParams } from "./sdk/callbacks.ts";
export type { CallerIdGroup, CallerIdHealthParams } from "./sdk/caller-id.ts";
export type {
  CampaignDetails,
  CampaignListItem,
  CampaignStatusParams,
  CampaignStatusReport,
  CampaignsGroup,
  ContactsQuery,
  CreateCampaignParams,
  SegmentParams,
  WatchParams,
} from "./sdk/campaigns.ts";
export type {
  CheckedVerdict,
  ComplianceCheck,
  ComplianceGroup,
  RegistryImportParams,
  RegistryImportSummary,
} from "./sdk/compliance.ts";
export type {
  ConsentGrantParams,
  ConsentGroup,
  ConsentImportParams,
  ConsentImportResult,
  ConsentReportParams,
  ConsentRevokeParams,
  ConsentRevokeResult,
} from "./sdk/consent.ts";
export type {
  DialerApplyParams,
  DialerApplyResult,
  DialerDiff,
  DialerDiffParams,
  DialerGroup,
  DialerMetricsParams,
  DialerRollbackParams,
  DialerScopeOptions,
  DialerSimulation,
  DialerSweepParams,
  PacingBenchParams,
  RollbackResult,
  WaitFor,
} from "./sdk/dialer.ts";
export type {
  DispositionsGroup,
  TagFileParams,
  TagResult,
  TagRow,
  TagSource,
} from "./sdk/dispositions.ts";
export type {
  DoctorEvidence,
  DoctorFact,
  DoctorGroup,
  DoctorProbeKind,
  DoctorReport,
  DoctorRunParams,
  DoctorWrite,
} from "./sdk/doctor.ts";
export type { InteractionsGroup } from "./sdk/interactions.ts";
export type {
  OutboxDeliverParams,
  OutboxGroup,
  OutboxReplayParams,
  OutboxStatus,
} from "./sdk/outbox.ts";
export type {
  NotAnExport,
  OutcomesGroup,
  OutcomeVerification,
  OutcomeVerifyParams,
} from "./sdk/outcomes.ts";
export type { RndCheckParams, RndEvidenceReport, RndGroup } from "./sdk/rnd.ts";
export type { RedriveNotice } from "./sdk/runtime.ts";
export type {
  CampaignOutcomesSource,
  OutcomeFileSource,
  OutcomeRecordsSource,
  StrategyBenchParams,
  StrategyCapacityParams,
  StrategyGroup,
  StrategyLearnSource,
  StrategyPlan,
  StrategyPlanList,
  StrategyPlanParams,
  StrategyPlanRows,
} from "./sdk/strategy.ts";
export { BUSINESS_UNIT_DIALER, type TenantDiffParams } from "./sdk/tenants-diff.ts";
export type { TouchesGroup, TouchImport } from "./sdk/touches.ts";
export type {
  HeatCell,
  StrategyBenchReport,
  StrategyCurvePoint,
  StrategyEstimate,
  StrategyFigures,
  StrategyGoal,
  StrategyName,
} from "./strategy/bench.ts";
export type { AutoCapacity } from "./strategy/capacity.ts";
export type { StrategyEvaluateOptions, StrategyEvaluation } from "./strategy/evaluate.ts";
export type { ExpectedLift, ExpectedLiftOptions } from "./strategy/expected-lift.ts";
export type { PlanHistorySource } from "./strategy/history.ts";
export type { ListRow } from "./strategy/list-format.ts";
export type {
  ColumnKey,
  Model as StrategyModel,
  RpcDefinition as StrategyRpcDefinition,
  SegmentKey,
} from "./strategy/model-format.ts";
export type { PlanRow as StrategyPlanRow } from "./strategy/plan-format.ts";
export type { PushParams, PushSkill, PushSummary } from "./strategy/push.ts";
export { EveryRecordBlockedError } from "./strategy/push-blocked.ts";
export { PushInProgressError } from "./strategy/push-in-progress-error.ts";
export type { SkillRestore } from "./strategy/push-run.ts";
export { RemovalPendingError } from "./strategy/removal-pending-error.ts";
export type { PlanRndCounts } from "./strategy/rnd-screen.ts";
export type { SkillChange, SkillField } from "./strategy/skill-drift.ts";
export { type SkillDrift, SkillDriftError } from "./strategy/skill-drift-error.ts";
export type { SkillHours } from "./strategy/skill-hours.ts";
export type {
  CollectionsOrSales,
  HistoryAttempt,
  LearnOptions,
  OutcomeRecord,
  PlanOptions,
  PlanSummary,
} from "./strategy/types.ts";
