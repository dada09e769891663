import type { Paginated } from "../../core/http/pagination.ts";

/**
 * Seed 003: the tenant's dialer settings with version tags and asynchronous activation, policy
 * validation, dialer analytics and the dialer audit log. Types are camelCase domain shapes; the
 * adapter maps them to and from the wire. Failures are core/http's typed errors: a stale
 * `ifMatch` is a PreconditionFailedError whose body carries `currentVersionTag`, another
 * operation in progress is a ConflictError (code `operation_in_progress`).
 */
export interface DialerPort {
  /**
   * Dotted DialerSettings fields this platform cannot store (e.g. `concurrency.maxAgents` on the
   * production platform): the settings lifecycle leaves them out of writes and checks, and says so.
   */
  readonly unsupportedFields: readonly string[];
  getSettings(scope: DialerScope, signal?: AbortSignal): Promise<DialerSettingsState>;
  /** Starts replacing the settings (202); they take effect when the operation completes. */
  putSettings(
    scope: DialerScope,
    settings: DialerSettings,
    ifMatch: string,
    signal?: AbortSignal,
  ): Promise<SettingsOperationStart>;
  getOperation(operationId: string, signal?: AbortSignal): Promise<SettingsOperation>;
  validatePolicy(request: PolicyValidationRequest, signal?: AbortSignal): Promise<PolicyValidation>;
  /** Analytics rows of one campaign, page by page (constant memory). */
  metrics(query: DialerMetricsQuery, signal?: AbortSignal): Paginated<DialerMetricRow>;
  /** Audit entries, newest first, page by page. */
  auditLog(query: DialerAuditQuery, signal?: AbortSignal): Paginated<DialerAuditEntry>;
}

/**
 * What the dialer settings belong to. The seed API's settings are tenant-wide (the campaign is
 * ignored there); the production platform's belong to one Personal Connection skill, whose id
 * is the campaign id.
 */
export interface DialerScope {
  campaignId?: string | undefined;
}

/** The dialer's pacing algorithm. */
export type DialerAlgorithmType = "predictive" | "progressive" | "preview";

/** What a settings change carries (the server's own fields — version tag, timestamps — excluded). */
export interface DialerSettings {
  /** Absent: CXone keeps the current name. */
  name?: string | undefined;
  /** Absent where the platform has no such setting (see DialerPort.unsupportedFields). */
  concurrency: {
    maxAgents?: number | undefined;
    maxSimultaneousCalls?: number | undefined;
    callSpacingMs?: number | undefined;
  };
  algorithm: {
    type: DialerAlgorithmType;
    abandonmentTarget: number;
    agentAvailabilityEstimate?: number | undefined;
    dialRatio: number;
    warmLineTimeoutSec?: number | undefined;
  };
}

export interface DialerSettingsState {
  settings: DialerSettings;
  versionTag: string;
  /** Set while a settings operation is running: another PUT would be refused (409). */
  pendingOperationId: string | null;
  updatedAt: string | null;
}

export interface SettingsOperationStart {
  operationId: string;
  /** The tag the settings will carry once the operation completes. */
  versionTag: string | null;
  status: SettingsOperationStatus;
}

/** CXone says IN_PROGRESS; PENDING and RUNNING are other spellings of "not finished yet". */
export type SettingsOperationStatus = "PENDING" | "RUNNING" | "IN_PROGRESS" | "COMPLETED" | "FAILED";

export interface SettingsOperation {
  operationId: string;
  status: SettingsOperationStatus;
  versionTag: string | null;
  createdAt: string | null;
  completedAt: string | null;
  /**
   * Why the operation failed. `undone` (platforms whose write is several requests): whether the
   * parts already written were put back; `false` means the settings may be half-changed.
   */
  errorDetails: { code: string; message: string; undone?: boolean } | null;
}

export interface PolicyValidationRequest {
  settings: DialerSettings;
  /** The campaign (skill) the settings are meant for. */
  campaignId?: string | undefined;
  /** Carrier trunks available to the dialer (lets the server warn on capacity). */
  carrierTrunks?: number | undefined;
}

export interface PolicyFinding {
  code: string;
  field: string | null;
  message: string;
}

export interface PolicyValidation {
  status: "PASS" | "FAIL";
  violations: PolicyFinding[];
  warnings: PolicyFinding[];
  checksPerformed: string[];
}

export const DIALER_METRICS = ["efficiency", "abandonmentRate", "answerRate", "averageWaitTime"] as const;
/** A dialer metric `dialer.metrics` reads: efficiency, abandonment rate, answer rate, average wait time. */
export type DialerMetricName = (typeof DIALER_METRICS)[number];

export interface DialerMetricsQuery {
  campaignId: string;
  metrics: readonly DialerMetricName[];
  groupBy?: "hour" | "day" | undefined;
  /** ISO 8601 with a zone. */
  from?: string | undefined;
  to?: string | undefined;
  pageSize?: number | undefined;
}

export interface DialerMetricRow {
  timestamp: string;
  campaignId: string;
  /** Only the metrics asked for are present. */
  values: Partial<Record<DialerMetricName, number>>;
}

export interface DialerAuditQuery {
  entity?: "dialer" | "campaign" | undefined;
  /** The campaign (skill) whose changes are listed, where the platform keeps them per campaign. */
  campaignId?: string | undefined;
  pageSize?: number | undefined;
}

export interface DialerAuditEntry {
  id: string;
  timestamp: string;
  entity: string;
  action: string;
  actor: string | null;
  versionTag: string | null;
  details: Record<string, unknown>;
}
