import { z } from "zod";
import { UnreadableAnswerError } from "../../core/http/errors.ts";
import type { HttpClient } from "../../core/http/http-client.ts";
import { paginateByToken } from "../../core/http/pagination.ts";
import type {
  DialerAuditEntry,
  DialerAuditQuery,
  DialerMetricName,
  DialerMetricRow,
  DialerMetricsQuery,
  DialerPort,
  DialerSettings,
  DialerSettingsState,
  PolicyFinding,
  PolicyValidation,
  PolicyValidationRequest,
  SettingsOperation,
  SettingsOperationStart,
} from "../ports/dialer.ts";
import { DIALER_METRICS } from "../ports/dialer.ts";
import { queryInstants } from "../query-instants.ts";
import { SEED_API, seedRequest } from "./request.ts";
import { DIALER_SCOPES as SCOPES } from "./scopes.ts";

/**
 * Seed 003 over the seed API: /api/v1/dialer/settings (GET, PUT with If-Match → 202 operation),
 * /api/v1/dialer/operations/{id}, /api/v1/dialer/policies/validate, the analytics and audit
 * listings (nextPageToken → pageToken). The wire is snake_case; this file is the only place
 * that knows it.
 */

const algorithmType = z.enum(["predictive", "progressive", "preview"]);

const wireSettings = z
  .object({
    versionTag: z.coerce.string(),
    name: z.string().nullish(),
    type: algorithmType.nullish(),
    concurrency: z
      .object({
        max_agents: z.number(),
        max_simultaneous_calls: z.number(),
        call_spacing_ms: z.number().nullish(),
      })
      .loose(),
    algorithm: z
      .object({
        type: algorithmType.nullish(),
        abandonment_rate_target: z.number(),
        agent_availability_estimate: z.number().nullish(),
        dial_ratio: z.number(),
        warm_line_timeout_sec: z.number().nullish(),
      })
      .loose(),
    updatedAt: z.string().nullish(),
    pendingOperationId: z.string().nullish(),
  })
  .loose();

const operationStatus = z.enum(["PENDING", "RUNNING", "IN_PROGRESS", "COMPLETED", "FAILED"]);

const wireOperation = z
  .object({
    operationId: z.coerce.string(),
    status: operationStatus,
    versionTag: z.string().nullish(),
    createdAt: z.string().nullish(),
    completedAt: z.string().nullish(),
    errorDetails: z.object({ code: z.coerce.string(), message: z.coerce.string() }).loose().nullish(),
  })
  .loose();

const finding = z
  .object({ code: z.coerce.string(), field: z.string().nullish(), message: z.coerce.string() })
  .loose();

const wireValidation = z
  .object({
    compliance_status: z.enum(["PASS", "FAIL"]),
    violations: z.array(finding).default([]),
    warnings: z.array(finding).default([]),
    checksPerformed: z.array(z.string()).default([]),
  })
  .loose();

const metricsPage = z
  .object({ results: z.array(z.record(z.string(), z.unknown())), nextPageToken: z.string().nullish() })
  .loose();

const auditPage = z
  .object({
    logs: z.array(
      z
        .object({
          id: z.coerce.string(),
          timestamp: z.string(),
          entity: z.string(),
          action: z.string(),
          actor: z.string().nullish(),
          versionTag: z.string().nullish(),
          details: z.record(z.string(), z.unknown()).nullish(),
        })
        .loose(),
    ),
    nextPageToken: z.string().nullish(),
  })
  .loose();

function parse<T extends z.ZodType>(schema: T, value: unknown, endpoint: string, status: number): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new UnreadableAnswerError(
    endpoint,
    `the response shape it documents (${issue?.path.join(".")}: ${issue?.message})`,
    { status, body: value, service: SEED_API },
  );
}

/** Domain → wire. Optional fields the caller left out are left out (CXone keeps its defaults). */
export function settingsToWire(settings: DialerSettings): Record<string, unknown> {
  const { concurrency: c, algorithm: a } = settings;
  const drop = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return drop({
    name: settings.name,
    type: a.type,
    concurrency: drop({
      max_agents: c.maxAgents,
      max_simultaneous_calls: c.maxSimultaneousCalls,
      call_spacing_ms: c.callSpacingMs,
    }),
    algorithm: drop({
      type: a.type,
      abandonment_rate_target: a.abandonmentTarget,
      agent_availability_estimate: a.agentAvailabilityEstimate,
      dial_ratio: a.dialRatio,
      warm_line_timeout_sec: a.warmLineTimeoutSec,
    }),
  });
}

function settingsFromWire(body: z.infer<typeof wireSettings>): DialerSettings {
  const c = body.concurrency;
  const a = body.algorithm;
  return {
    ...(body.name ? { name: body.name } : {}),
    concurrency: {
      maxAgents: c.max_agents,
      maxSimultaneousCalls: c.max_simultaneous_calls,
      ...(c.call_spacing_ms == null ? {} : { callSpacingMs: c.call_spacing_ms }),
    },
    algorithm: {
      type: a.type ?? body.type ?? "predictive",
      abandonmentTarget: a.abandonment_rate_target,
      ...(a.agent_availability_estimate == null
        ? {}
        : { agentAvailabilityEstimate: a.agent_availability_estimate }),
      dialRatio: a.dial_ratio,
      ...(a.warm_line_timeout_sec == null ? {} : { warmLineTimeoutSec: a.warm_line_timeout_sec }),
    },
  };
}

/** Wire field names (snake_case, dotted) back to the domain's, so a finding names the user's field. */
const FIELD_NAMES: Record<string, string> = {
  type: "algorithm.type",
  "concurrency.max_agents": "concurrency.maxAgents",
  "concurrency.max_simultaneous_calls": "concurrency.maxSimultaneousCalls",
  "concurrency.call_spacing_ms": "concurrency.callSpacingMs",
  "algorithm.abandonment_rate_target": "algorithm.abandonmentTarget",
  "algorithm.agent_availability_estimate": "algorithm.agentAvailabilityEstimate",
  "algorithm.dial_ratio": "algorithm.dialRatio",
  "algorithm.warm_line_timeout_sec": "algorithm.warmLineTimeoutSec",
};

function toFinding(f: z.infer<typeof finding>): PolicyFinding {
  const field = f.field ?? null;
  return { code: f.code, field: field === null ? null : (FIELD_NAMES[field] ?? field), message: f.message };
}

export function seedDialer(http: HttpClient): DialerPort {
  return {
    // The seed API's settings are tenant-wide and carry every field; its scope is ignored.
    unsupportedFields: [],
    getSettings: (_scope, signal) => getSettings(http, signal),
    putSettings: (_scope, settings, ifMatch, signal) => putSettings(http, settings, ifMatch, signal),
    getOperation: (operationId, signal) => getOperation(http, operationId, signal),
    validatePolicy: (request, signal) => validatePolicy(http, request, signal),
    metrics: (query, signal) => metrics(http, query, signal),
    auditLog: (query, signal) => auditLog(http, query, signal),
  };
}

async function getSettings(http: HttpClient, signal?: AbortSignal): Promise<DialerSettingsState> {
  const endpoint = "GET /api/v1/dialer/settings";
  const response = await seedRequest(http, endpoint, { group: "dialer", scopes: SCOPES.dialerRead, signal });
  const body = parse(wireSettings, response.body, endpoint, response.status);
  return {
    settings: settingsFromWire(body),
    versionTag: body.versionTag,
    pendingOperationId: body.pendingOperationId ?? null,
    updatedAt: body.updatedAt ?? null,
  };
}

async function putSettings(
  http: HttpClient,
  settings: DialerSettings,
  ifMatch: string,
  signal?: AbortSignal,
): Promise<SettingsOperationStart> {
  const endpoint = "PUT /api/v1/dialer/settings";
  const response = await seedRequest(http, endpoint, {
    group: "dialer",
    scopes: SCOPES.dialerWrite,
    headers: { "if-match": ifMatch },
    body: settingsToWire(settings),
    signal,
  });
  const body = parse(wireOperation.partial({ status: true }), response.body, endpoint, response.status);
  return {
    operationId: body.operationId,
    versionTag: body.versionTag ?? null,
    status: body.status ?? "IN_PROGRESS",
  };
}

async function getOperation(
  http: HttpClient,
  operationId: string,
  signal?: AbortSignal,
): Promise<SettingsOperation> {
  const endpoint = "GET /api/v1/dialer/operations/{id}";
  const response = await seedRequest(http, endpoint, {
    params: { id: operationId },
    group: "dialer",
    scopes: SCOPES.dialerRead,
    signal,
  });
  const body = parse(wireOperation, response.body, endpoint, response.status);
  return {
    operationId: body.operationId,
    status: body.status,
    versionTag: body.versionTag ?? null,
    createdAt: body.createdAt ?? null,
    completedAt: body.completedAt ?? null,
    errorDetails: body.errorDetails
      ? { code: body.errorDetails.code, message: body.errorDetails.message }
      : null,
  };
}

async function validatePolicy(
  http: HttpClient,
  request: PolicyValidationRequest,
  signal?: AbortSignal,
): Promise<PolicyValidation> {
  const endpoint = "POST /api/v1/dialer/policies/validate";
  const response = await seedRequest(http, endpoint, {
    group: "dialer",
    scopes: SCOPES.dialerRead,
    body: {
      // The server insists on a name; a settings change may leave it out (CXone keeps its own).
      campaign_config: { name: "cxo dialer settings", ...settingsToWire(request.settings) },
      regulatory_checks: ["tcpa_abandonment", "dnc_compliance", "calling_hours"],
      ...(request.carrierTrunks ? { carrier_capacity: { max_trunks: request.carrierTrunks } } : {}),
    },
    // Validation has no side effect: safe to retry.
    idempotencyKey: true,
    signal,
  });
  const body = parse(wireValidation, response.body, endpoint, response.status);
  return {
    status: body.compliance_status,
    violations: body.violations.map(toFinding),
    warnings: body.warnings.map(toFinding),
    checksPerformed: body.checksPerformed,
  };
}

function metrics(http: HttpClient, query: DialerMetricsQuery, signal?: AbortSignal) {
  const endpoint = "GET /api/v1/analytics/dialer/metrics";
  // The one rule for a date-time with a zone: refused before anything is sent (sent as given).
  queryInstants({}, { from: query.from, to: query.to });
  return paginateByToken(
    async (pageToken) => {
      const response = await seedRequest(http, endpoint, {
        group: "analytics",
        scopes: SCOPES.analyticsRead,
        query: {
          campaignId: query.campaignId,
          metrics: query.metrics.join(","),
          groupBy: query.groupBy,
          startTime: query.from,
          endTime: query.to,
          pageSize: query.pageSize ?? 500,
          pageToken,
        },
        signal,
      });
      const body = parse(metricsPage, response.body, endpoint, response.status);
      return {
        items: body.results.map((row): DialerMetricRow => {
          const values: Partial<Record<DialerMetricName, number>> = {};
          for (const name of DIALER_METRICS) if (typeof row[name] === "number") values[name] = row[name];
          return { timestamp: String(row.timestamp), campaignId: String(row.campaignId), values };
        }),
        nextToken: body.nextPageToken ?? null,
      };
    },
    { route: endpoint },
  );
}

function auditLog(http: HttpClient, query: DialerAuditQuery, signal?: AbortSignal) {
  const endpoint = "GET /api/v1/audit/logs";
  return paginateByToken(
    async (pageToken) => {
      const response = await seedRequest(http, endpoint, {
        group: "analytics",
        scopes: SCOPES.auditRead,
        query: { entity: query.entity, pageSize: query.pageSize ?? 200, pageToken },
        signal,
      });
      const body = parse(auditPage, response.body, endpoint, response.status);
      return {
        items: body.logs.map(
          (log): DialerAuditEntry => ({
            id: log.id,
            timestamp: log.timestamp,
            entity: log.entity,
            action: log.action,
            actor: log.actor ?? null,
            versionTag: log.versionTag ?? null,
            details: log.details ?? {},
          }),
        ),
        nextToken: body.nextPageToken ?? null,
      };
    },
    { route: endpoint },
  );
}
