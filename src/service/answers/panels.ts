import { z } from "zod";
import { dayReportSchema, stoppedSchema } from "../../autopilot/day-report-schema.ts";
import { jsonNumber } from "../../core/json-number.ts";
import { incident } from "./board.ts";

/**
 * The JSON of the service's other routes, as zod schemas: the store panels' (outbox, audit,
 * jobs, caller-ID, incidents, what the replay and rollback buttons list), sign-in, the actions,
 * health and readiness, the tenants and the webhook receivers' 200/202 answers. The routes
 * declare them as response schemas (Fastify serialises with them); the console reads the
 * panels' as types. Imports zod only (the console's type-check reads this file).
 */

const isoTime = z.string();

/** `GET /api/outbox`: one row per destination. */
export const outboxAnswer = z.object({
  destinations: z.array(
    z.object({
      destination: z.string(),
      pending: jsonNumber(),
      delivered: jsonNumber(),
      dead: jsonNumber(),
      oldestPendingAgeMs: jsonNumber().nullable(),
      configured: z.boolean(),
      note: z.string().nullable(),
    }),
  ),
});

/** `GET /api/audit`: headline fields only. */
export const auditAnswer = z.object({
  records: z.array(
    z.object({
      seq: jsonNumber(),
      time: isoTime,
      actor: z.string().nullable(),
      operation: z.string(),
      target: z.string().nullable(),
      outcome: z.string(),
      status: jsonNumber().nullable(),
      latencyMs: jsonNumber().nullable(),
      change: z.string().nullable(),
    }),
  ),
});

/** `GET /api/consent`: the consent panel (issue 77 §5; service/consent-panel.ts). */
export const consentAnswer = z.object({
  today: jsonNumber(),
  overdue: jsonNumber(),
  awaitingCxone: jsonNumber(),
  lag: z.object({
    entries: jsonNumber(),
    p50Minutes: jsonNumber().nullable(),
    maxMinutes: jsonNumber().nullable(),
  }),
  dncCopy: z
    .object({
      syncedAt: z.string().nullable(),
      ageMinutes: jsonNumber().nullable(),
      maxAgeMinutes: jsonNumber(),
      stale: z.boolean(),
    })
    .nullable(),
  group: z.string().nullable(),
  coverageGaps: z.array(z.object({ skill: z.string(), reason: z.string() })),
  findings: z
    .object({
      at: z.string(),
      late: jsonNumber(),
      breached: jsonNumber(),
      rows: z.array(
        z.object({
          phone: z.string(),
          account: z.string().nullable(),
          receivedAt: z.string(),
          scope: z.string(),
          late: z.boolean(),
          overdue: z.boolean(),
          callsAfter: jsonNumber(),
        }),
      ),
    })
    .nullable(),
  notRemoved: z.array(
    z.object({
      campaignId: z.string().nullable(),
      listId: z.string(),
      listName: z.string(),
      records: z.array(z.string()),
    }),
  ),
  callbacks: z
    .object({
      checkedAt: z.string(),
      pending: jsonNumber(),
      toRevoked: jsonNumber(),
      cancelled: jsonNumber(),
      failed: z.array(
        z.object({
          callbackId: z.string(),
          phone: z.string(),
          skillId: z.string().nullable(),
          callbackAt: z.string().nullable(),
          error: z.string(),
        }),
      ),
      unread: z.string().optional(),
    })
    .nullable(),
  review: z.object({ waiting: jsonNumber(), overdue: jsonNumber(), oldest: z.string().nullable() }),
  recent: z.array(
    z.object({
      phone: z.string(),
      account: z.string().nullable(),
      receivedAt: z.string(),
      channel: z.string(),
      scope: z.string(),
      status: z.enum(["honoured", "awaiting-cxone", "overdue"]),
    }),
  ),
});

/** `GET /api/jobs`: bulk tagging runs, from the audit log. */
export const jobsAnswer = z.object({
  jobs: z.array(
    z.object({
      kind: z.literal("tagging"),
      campaignId: z.string(),
      rowsDone: jsonNumber(),
      rowsFailed: jsonNumber(),
      lastRow: jsonNumber().nullable(),
      startedAt: isoTime,
      lastAt: isoTime,
      active: z.boolean(),
    }),
  ),
});

/** `GET /api/callerid`: numbers under watch or suspect, suspect first. */
export const callerIdAnswer = z.object({
  checkedAt: isoTime.nullable(),
  campaigns: jsonNumber(),
  numbers: z.array(
    z.object({
      callerId: z.string(),
      campaignId: z.string(),
      carrier: z.string().optional(),
      status: z.enum(["ok", "watch", "suspect"]),
      ratio: jsonNumber(),
      answerRate: jsonNumber(),
      expectedAnswerRate: jsonNumber(),
      since: isoTime.nullable(),
      onset: isoTime.nullable(),
      calls: jsonNumber(),
    }),
  ),
});

/** `GET /api/incidents`: each with who acknowledged it. */
export const incidentsAnswer = z.object({
  available: z.boolean(),
  incidents: z.array(incident.extend({ acknowledged: z.object({ by: z.string(), at: isoTime }).nullable() })),
});

/** `GET /api/outbox/dead`: what the replay button lists. */
export const deadEventsAnswer = z.object({
  events: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      destination: z.string(),
      attempts: jsonNumber(),
      lastStatus: jsonNumber().nullable(),
      lastError: z.string().nullable(),
      createdAt: isoTime,
      finishedAt: isoTime.nullable(),
    }),
  ),
});

/** `GET /api/dialer/history`: what the rollback button lists. */
export const dialerHistoryAnswer = z.object({
  versions: z.array(
    z.object({
      versionTag: z.string(),
      at: isoTime,
      source: z.string(),
      outcome: z.string(),
      dialRatio: jsonNumber().nullable(),
      algorithm: z.string().nullable(),
    }),
  ),
});

/** A board action's answer (`ok: true`; refusals are the error handler's). */
export const actionAnswer = z.object({
  ok: z.literal(true),
  action: z.string(),
  target: z.string(),
  actor: z.string(),
  outcome: z.record(z.string(), z.unknown()),
  summary: z.string(),
  auditSeq: jsonNumber().nullable(),
  auditRecords: z.array(jsonNumber()),
  at: isoTime,
  replayed: z.boolean().optional(),
});

const role = z.enum(["viewer", "operator", "admin"]);

/** `POST /api/session`: signed in. */
export const signInAnswer = z.object({
  user: z.string(),
  role,
  csrfToken: z.string(),
  expiresAt: isoTime,
});

/** `GET /api/session`: who am I. */
export const whoAmIAnswer = z.object({
  user: z.string(),
  role,
  via: z.enum(["token", "session", "open"]),
  csrfToken: z.string().nullable(),
  expiresAt: isoTime.nullable(),
});

/** `POST /api/session/code`: a one-time sign-in code for a browser. */
export const signInCodeAnswer = z.object({ code: z.string(), expiresAt: isoTime, path: z.string() });

/** `GET /api/tenants`: the business units granted to the asker. */
export const tenantsAnswer = z.object({
  tenants: z.array(z.object({ name: z.string(), path: z.string(), timeZone: z.string() })),
});

/** `GET /api/ready` (200 and 503). */
export const readyAnswer = z.object({ ready: z.boolean(), reason: z.string().nullable() });

const storeHealth = z.object({
  ok: z.boolean(),
  backend: z.string(),
  auditRecords: jsonNumber().optional(),
  error: z.string().optional(),
});

/** `GET /api/health` of one business unit (the CXone part as cxone-status.ts reports it). */
export const healthAnswer = z.object({
  service: z.literal("ok"),
  instance: z.object({ id: z.string(), name: z.string() }),
  roles: z.array(z.string()),
  leader: z.object({ self: z.boolean(), token: jsonNumber().nullable(), holder: z.string().nullable() }),
  ready: readyAnswer,
  uptimeSeconds: jsonNumber(),
  store: storeHealth,
  cxone: z.object({
    configured: z.boolean(),
    reachable: z.boolean().nullable(),
    lastResponseAt: isoTime.nullable(),
    lastStatus: jsonNumber().nullable(),
    lastNetworkError: z.string().nullable(),
    token: z.object({
      state: z.enum(["none", "valid", "expired", "invalidated", "refused"]),
      expiresAt: isoTime.nullable(),
    }),
  }),
  watchdogs: z.object({ available: z.boolean(), running: jsonNumber() }),
});

/** `GET /api/health` of a service for several business units (no tenant named). */
export const installationHealthAnswer = z.object({
  service: z.literal("ok"),
  instance: z.object({ id: z.string(), name: z.string() }),
  ready: readyAnswer,
  uptimeSeconds: jsonNumber(),
  store: storeHealth,
  tenants: z.object({ count: jsonNumber(), ready: jsonNumber() }),
});

/** The webhook receivers' answers: 204 applied (no body), 200 a duplicate, 202 ignored. */
export const webhookAnswers = {
  204: z.undefined(),
  200: z.object({ duplicate: z.literal(true) }),
  202: z.object({ ignored: z.literal(true), reason: z.string().optional() }),
};

export type OutboxAnswer = z.output<typeof outboxAnswer>;
export type AuditAnswer = z.output<typeof auditAnswer>;
/** `GET /api/skill-drift`: skills changed after a cxo push, not yet put back or emptied. */
export const skillDriftAnswer = z.object({
  drifts: z.array(z.object({ skill: z.string(), text: z.string(), seenAt: z.string(), action: z.string() })),
});

const autopilotStep = z.object({ step: z.string(), at: z.string(), ok: z.boolean(), text: z.string() });
/** A day report (`dayReportSchema`, src/autopilot/day-report-schema.ts), the board's part of it. */
const autopilotReport = dayReportSchema
  .omit({ kind: true, zone: true, retried: true, why: true, suspectCallerIds: true, evidence: true })
  .extend({ held: dayReportSchema.shape.held.omit({ records: true }) });
/** `GET /api/autopilot`: each campaign's last and next step, and the day reports (issue 91 §2). */
export const autopilotAnswer = z.object({
  configured: z.boolean(),
  campaigns: z.array(
    z.object({
      campaign: z.string(),
      kind: z.string(),
      state: z.enum(["running", "stopped"]),
      lastStep: autopilotStep.nullable(),
      next: z.object({ step: z.string(), at: z.string().nullable(), text: z.string() }),
      stopped: stoppedSchema.optional(),
      /** A failure that passes, lasting past `escalateAfterMinutes` (src/autopilot/attention.ts). */
      attention: z
        .object({
          since: z.string(),
          lastAt: z.string(),
          step: z.string(),
          code: z.string(),
          text: z.string(),
        })
        .optional(),
      today: z
        .object({
          date: z.string(),
          planned: jsonNumber(),
          pushed: jsonNumber(),
          heldWaiting: jsonNumber(),
          refused: jsonNumber(),
          drifts: jsonNumber(),
        })
        .nullable(),
    }),
  ),
  /** The last seven days' reports, newest first. */
  reports: z.array(autopilotReport),
});

export type AutopilotAnswer = z.output<typeof autopilotAnswer>;
export type ConsentAnswer = z.output<typeof consentAnswer>;
export type SkillDriftAnswer = z.output<typeof skillDriftAnswer>;
export type JobsAnswer = z.output<typeof jobsAnswer>;
export type CallerIdAnswer = z.output<typeof callerIdAnswer>;
export type IncidentsAnswer = z.output<typeof incidentsAnswer>;
export type DeadEventsAnswer = z.output<typeof deadEventsAnswer>;
export type DialerHistoryAnswer = z.output<typeof dialerHistoryAnswer>;
export type ActionAnswer = z.output<typeof actionAnswer>;
export type WhoAmIAnswer = z.output<typeof whoAmIAnswer>;
export type SignInAnswer = z.output<typeof signInAnswer>;
export type TenantsAnswer = z.output<typeof tenantsAnswer>;
export type HealthAnswer = z.output<typeof healthAnswer>;
