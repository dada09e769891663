import path from "node:path";
import { z } from "zod";
import { calendarDayIssue } from "../calendar-day.ts";
import { ENDPOINT_GROUPS } from "../http/group-names.ts";
import { autopilotSchema } from "./autopilot-schema.ts";
import {
  auditSchema,
  authStyleSchema,
  complianceSchema,
  consentSchema,
  connectionFields as field,
  groupCommitMsSchema,
  httpSchema,
  httpUrlSchema as httpUrl,
  productionApiSchema,
  rateGroupSchema,
} from "./client-schema.ts";
import { rndTsrSchema } from "./rnd-schema.ts";
import {
  DATABASE_SCHEMA_PATTERN,
  DEFAULT_API_VERSION,
  DEFAULT_AREA,
  DEFAULT_GROUP_COMMIT_MS,
  DEFAULT_ISSUER,
  DESTINATION_NAME_PATTERN,
  INSTANCE_ID_PATTERN,
  LOG_LEVELS,
  MIN_SECRET_KEY_LENGTH,
  PLATFORMS,
  POSTGRES_URL_PATTERN,
  TENANT_NAME_PATTERN,
} from "./rules.ts";

export { authStyleSchema, httpSchema, productionApiSchema, rateGroupSchema };

/**
 * The shape of every setting, whatever its source (flags, env, config file).
 * One schema so that a value is validated the same way wherever it came from.
 */

export const destinationSchema = z.strictObject({
  url: httpUrl,
  secret: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).default({}),
  maxAttempts: z.number().int().min(1).max(100).default(12),
});

/** A failover watchdog `cxo serve` runs (see src/campaigns/watchdog). */
/** A watchdog's live rules (src/campaigns/watchdog/live-rules.ts says what each one means). */
export const watchdogLiveRulesSchema = z.strictObject({
  /** Fail over when the running primary has no agent logged in. */
  agentsLoggedOut: z.boolean().default(true),
  /** Fail over when the running primary, agents logged in, has no active contact. */
  contactsStopped: z.boolean().default(true),
  /** Fail over when today's abandon rate (a fraction of connects) is above this; null: off. */
  maxAbandonRate: z.number().gt(0).lt(1).nullable().default(0.05),
  /** Connects today before the abandon rate counts. */
  minConnects: z.number().int().min(0).default(20),
  /** Consecutive live readings a rule must hold before failing over. */
  breaches: z.number().int().min(1).max(100).default(3),
});

export const serviceWatchdogSchema = z
  .strictObject({
    primary: z.string().min(1),
    backup: z.string().min(1),
    /** Fail over when the primary's success rate stays below this fraction. */
    threshold: z.number().gt(0).lt(1).default(0.15),
    windowMinutes: z.number().int().min(1).max(1440).default(30),
    intervalSeconds: z.number().min(1).max(3600).default(60),
    /** Calls a window needs before its success rate counts. */
    minSample: z.number().int().min(0).default(30),
    /** Consecutive breaching evaluations before failing over (hysteresis). */
    breaches: z.number().int().min(1).max(100).default(3),
    /** Resume the primary (pause the backup) once it recovers. */
    failBack: z.boolean().default(false),
    /** Live rules, judged on every live reading (service.livePollIntervalSeconds). */
    live: watchdogLiveRulesSchema.default(watchdogLiveRulesSchema.parse({})),
  })
  .refine((w) => w.primary !== w.backup, { path: ["backup"], message: "must differ from the primary" });

/** A scheduled outcome export `cxo serve` runs (see src/outcomes). */
/** True for a zone name Intl knows (IANA: `America/New_York`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

export const USER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
export const USER_ROLES = ["viewer", "operator", "admin"] as const;
/**
 * The name the service's access token acts under (audit `board:access-token`): no person may
 * have it, or they would be audited as the token and share its browser session's grants.
 */
export const TOKEN_USER_NAME = "access-token";

/** What is wrong with a board user's name (config or `cxo users add`), or undefined. */
export function userNameProblem(name: string): string | undefined {
  if (!USER_NAME_PATTERN.test(name)) return "1-64 letters, digits, '.', '_', '@' or '-'";
  if (name.toLowerCase() === TOKEN_USER_NAME)
    return `${TOKEN_USER_NAME} is the name of the service's access token: choose another`;
  return undefined;
}

/** What is wrong with a board user's grants, or undefined (the CLI's rule for --tenants, too). */
export const ADMIN_TENANTS_RULE = "an admin sees and acts on every tenant: leave tenants out";

export const serviceUserSchema = z
  .strictObject({
    name: z.string().superRefine((name, ctx) => {
      const problem = userNameProblem(name);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
    role: z.enum(USER_ROLES),
    passwordHash: z
      .string()
      .regex(/^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/, "must be a bcrypt hash (cxo users hash)"),
    /**
     * On a service for several business units: the tenants this user sees and (an operator) acts
     * on; an admin sees and acts on every one. Not used by a one-business-unit service.
     */
    tenants: z.array(z.string().regex(TENANT_NAME_PATTERN, "a configured tenant's name")).optional(),
  })
  .superRefine((user, ctx) => {
    // An admin's grants would say nothing (it sees every tenant): refused, as `cxo users add` refuses them.
    if (user.role === "admin" && user.tenants !== undefined)
      ctx.addIssue({ code: "custom", path: ["tenants"], message: ADMIN_TENANTS_RULE });
  });

export const serviceExportSchema = z.strictObject({
  campaign: z.string().min(1),
  everyMinutes: z.number().int().min(1).max(10_080).default(60),
  /** Each run exports the calls that started in the last `lookbackMinutes`. */
  lookbackMinutes: z.number().int().min(1).max(129_600).default(60),
  /**
   * parquet: `outDir` is one dataset; each run writes the last complete UTC day(s) (as many as
   * `lookbackMinutes` reaches, at least one) as `date=` partitions, a day already written is
   * not fetched again (idempotent), an interrupted one is resumed.
   */
  format: z.enum(["ndjson", "csv", "parquet"]).default("ndjson"),
  outDir: z.string().min(1).default("./exports"),
});

/**
 * `cxo serve`'s HTTP server limits: a client that sends its headers or body slowly, or holds
 * connections open (slow loris), is cut off instead of holding the server. Long-lived answers
 * (the board's event stream) are not affected: the timeouts bound receiving a request.
 */
export const serviceHttpSchema = z.strictObject({
  /** Time to receive a whole request (headers and body). */
  requestTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  /** Time to receive a request's headers (at most requestTimeoutMs). */
  headersTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  /** How long an idle keep-alive connection is kept for its next request. */
  keepAliveTimeoutMs: z.number().int().min(100).max(600_000).default(5_000),
  /** Open connections at most (the board's event streams included); more are closed at once. */
  maxConnections: z.number().int().min(1).max(100_000).default(512),
  /**
   * Open connections at most from one client address (one client cannot take them all). Behind a
   * proxy every connection comes from the proxy: raise it to maxConnections there, and limit per
   * client in the proxy.
   */
  maxConnectionsPerAddress: z.number().int().min(1).max(100_000).default(64),
});

/** `cxo serve`: dashboard, JSON API, /metrics, webhook receiver and background workers. */
export const serviceSchema = z.strictObject({
  /** This instance's name in /api/health, leases and the `instance` label of /metrics. */
  instanceId: z.string().regex(INSTANCE_ID_PATTERN, "1-64 letters, digits, '.', '_', ':' or '-'").optional(),
  /**
   * Instances on one PostgreSQL store elect a leader for the watchdogs, poller and exports; a
   * dead leader is replaced within this lease plus a third of it.
   */
  leaderLeaseSeconds: z.number().min(0.3).max(300).default(6),
  host: z.string().min(1).default("127.0.0.1"),
  port: z.number().int().min(0).max(65_535).default(8080),
  /**
   * The proxies (load balancer) in front of the service whose X-Forwarded-For and
   * X-Forwarded-Proto are believed: their addresses or CIDR ranges, or `loopback`,
   * `linklocal`, `uniquelocal`. Off by default: the client address is the socket's and the
   * protocol the connection's. (No hop count: it cannot tell a proxy from a client that writes
   * the header itself, and Fastify refuses it.)
   */
  trustProxy: z
    .union([
      z.literal(false),
      z
        .array(
          z
            .string()
            .regex(
              /^([0-9A-Fa-f.:]+(\/\d{1,3})?|loopback|linklocal|uniquelocal)$/,
              "an IP address, a CIDR range, loopback, linklocal or uniquelocal",
            ),
        )
        .min(1),
    ])
    .default(false),
  http: serviceHttpSchema
    .refine((h) => h.headersTimeoutMs <= h.requestTimeoutMs, {
      path: ["headersTimeoutMs"],
      message: "must not exceed requestTimeoutMs",
    })
    .default(serviceHttpSchema.parse({})),
  /** Bearer token every route but /api/health requires; mandatory off loopback. */
  accessToken: z.string().min(MIN_SECRET_KEY_LENGTH, "must be at least 16 characters").optional(),
  /** Standard Webhooks secret (whsec_…) incoming CXone webhooks must be signed with. */
  webhookSecret: z.string().min(1).optional(),
  /**
   * Accept UNSIGNED webhooks when no webhookSecret is set. Off by default: anyone who can reach
   * the receiver could otherwise push metrics that fail a campaign over. For local testing only.
   */
  allowUnsignedWebhooks: z.boolean().default(false),
  /**
   * Host names (the `Host` header, port ignored) the service answers besides the loopback names
   * and its own bind address; `*.example.com` matches subdomains, `*` any host. Anything else
   * is refused (DNS rebinding). Add the public name CXone posts webhooks to.
   */
  allowedHosts: z
    .array(z.string().regex(/^(\*|(\*\.)?[A-Za-z0-9.:[\]_-]+)$/, "a host name, *.domain or *"))
    .default([]),
  /** Campaigns to show and poll, besides the watchdogs' and those webhooks report. */
  campaigns: z.array(z.string().min(1)).default([]),
  /** How often known campaigns' metrics are polled (each poll: 2 requests per campaign). */
  pollIntervalSeconds: z.number().min(0.1).max(3600).default(30),
  /**
   * How often live figures (agents, active contacts, today's counts) are read for every watched
   * campaign at once and judged by the watchdogs' live rules. Default: 5 s on the production
   * platform (2 tenant-wide requests a reading, 24/min); the poll interval on the seed API
   * (whose live reading costs 2 requests per campaign).
   */
  livePollIntervalSeconds: z.number().min(0.05).max(3600).optional(),
  /**
   * How often every watched campaign is diagnosed (`cxo why`'s reads: about eight
   * requests a campaign on the production platform, the list's records included).
   */
  diagnoseIntervalSeconds: z.number().min(1).max(86_400).default(300),
  /**
   * A running campaign that has dialled nothing for this many minutes inside its window
   * (diagnosed not dialing, for a cause other than the calling hours) emits `campaign.idle`.
   */
  idleAlertMinutes: z.number().min(1).max(1440).default(15),
  /**
   * How often every campaign's outbound numbers get their caller-ID health check
   * (docs/callerid.md; one outcome listing of 21 days a campaign); 0 turns the check off.
   */
  callerIdCheckHours: z.number().min(0).max(720).default(24),
  /**
   * How often the leader runs the consent report over the last 30 days for the board (revocations
   * honoured late, overdue, called after: service/consent-findings.ts); 0 turns it off.
   */
  consentReportMinutes: z.number().min(0).max(1440).default(15),
  /** Trailing window of the polled metrics. */
  metricsWindowMinutes: z.number().int().min(1).max(1440).default(30),
  /** Points kept per campaign for the charts. */
  historyPoints: z.number().int().min(10).max(100_000).default(720),
  /** Run the outbox dispatcher (webhook deliveries) inside the service. */
  dispatcher: z.boolean().default(true),
  watchdogs: z.array(serviceWatchdogSchema).default([]),
  exports: z
    .array(serviceExportSchema)
    .superRefine((entries, ctx) => {
      // Two Parquet schedules of one campaign into one outDir would write one dataset, each run
      // replacing the other's days and failing the other's resume.
      const owner = new Map<string, number>();
      entries.forEach((entry, i) => {
        if (entry.format !== "parquet") return;
        const key = `${entry.campaign}\u0000${path.resolve(entry.outDir)}`;
        const first = owner.get(key);
        if (first === undefined) owner.set(key, i);
        else
          ctx.addIssue({
            code: "custom",
            path: [i, "outDir"],
            message: `writes the same Parquet dataset as exports[${first}] (campaign ${entry.campaign} into ${entry.outDir}): give one of them another outDir`,
          });
      });
    })
    .default([]),
  /**
   * The business unit's time zone (IANA): every time on the board is shown in it (UTC on hover).
   * Default: this machine's zone.
   */
  timeZone: z.string().refine(isTimeZone, "must be an IANA time zone such as America/New_York").optional(),
  /**
   * People who sign in to the board (besides those added with `cxo users add`, kept in the store):
   * `viewer` sees, `operator` also acts. `passwordHash` is a bcrypt hash (`cxo users hash`).
   */
  users: z.array(serviceUserSchema).default([]),
  /**
   * bcrypt's cost for new password hashes (`cxo users add|hash`) and for the decoy an unknown
   * name is checked against, so that it costs what a known name costs: keep it the cost of the
   * hashes in use (each step doubles a check's time; 12 is about a quarter of a second).
   */
  passwordHashCost: z.number().int().min(4).max(15).default(12),
  /** How long a board session lasts after sign-in. */
  sessionHours: z.number().min(0.05).max(720).default(12),
});

export const platformSchema = z.enum(PLATFORMS);

const complianceSettingsSchema = complianceSchema.extend(rndTsrSchema.shape);

/**
 * The rule book's dates counsel moves: `effectiveDates: {RULE_ID: yyyy-mm-dd}` replaces a rule's
 * built-in date (`cxo compliance rules` lists the ids and each date's source). The form is checked
 * here; that each id names a rule is checked by the compliance module (the config knows no rules).
 */
export const rulesSchema = z.strictObject({
  effectiveDates: z.record(z.string().min(1), z.string().transform(calendarDayIssue)).default({}),
});

export const settingsSchema = z.strictObject({
  cxone: z
    .strictObject({
      /** `seed`: the API the seeds describe; `cxone`: NICE's production inContactAPI. */
      platform: platformSchema.default("seed"),
      /** Seed: the API's base URL. Production: overrides the discovered api_endpoint. */
      baseUrl: field.baseUrl.optional(),
      tokenUrl: field.tokenUrl.optional(),
      clientId: field.clientId.optional(),
      clientSecret: field.clientSecret.optional(),
      /** The token request's style; on the production platform a bare string sets `auth.mode` (`CXONE_AUTH`). */
      auth: z
        .preprocess((value) => (typeof value === "string" ? { mode: value } : value), authStyleSchema)
        .default(authStyleSchema.parse({})),
      /** Production: the OpenID issuer (discovery, token endpoint). */
      issuer: field.issuer.default(DEFAULT_ISSUER),
      /** Production: the API user's access key (password grant). The secret is a registered secret. */
      accessKeyId: field.accessKeyId.optional(),
      accessKeySecret: field.accessKeySecret.optional(),
      /** Production: the UserHub area of the access-key login URL (`na1`, `eu1`, `au1`, …). */
      area: field.area.default(DEFAULT_AREA),
      /** Production: the access-key login URL; default `https://{area}.nice-incontact.com/authentication/v1/token/access-key`. */
      accessKeyUrl: field.accessKeyUrl.optional(),
      /** Production: the tenant, when the token's claim should not be trusted alone. */
      tenantId: field.tenantId.optional(),
      /** Production: the inContactAPI version most routes use. */
      apiVersion: field.apiVersion.default(DEFAULT_API_VERSION),
      productionApi: productionApiSchema.default(productionApiSchema.parse({})),
      /**
       * Production: a tenant profile written by `cxo doctor --profile FILE` (docs/platforms.md):
       * its settings apply under the config file's, and doctor checks the tenant against its facts.
       */
      tenantProfile: field.tenantProfile.optional(),
    })
    .default({
      platform: "seed",
      auth: authStyleSchema.parse({}),
      issuer: DEFAULT_ISSUER,
      area: DEFAULT_AREA,
      apiVersion: DEFAULT_API_VERSION,
      productionApi: productionApiSchema.parse({}),
    }),
  /**
   * The business unit this run is for, when the config file names several under `tenants:`
   * (set by `--tenant` / `CXO_TENANT` through core/config/tenants.ts, never by hand).
   */
  tenant: z.string().regex(TENANT_NAME_PATTERN, "1-32 lowercase letters, digits or '-'").optional(),
  dataDir: z.string().min(1).default("./.cxo"),
  /** PostgreSQL instead of SQLite in dataDir: needed to run several `cxo serve` instances. */
  store: z
    .strictObject({
      url: z.string().regex(POSTGRES_URL_PATTERN, "must be a postgres:// or postgresql:// URL").optional(),
      /**
       * Journal steps finishing within this many ms share one transaction and one fsync
       * (group commit); 0 commits each on its own.
       */
      groupCommitMs: groupCommitMsSchema.default(DEFAULT_GROUP_COMMIT_MS),
      /** PostgreSQL: the schema the store's tables live in (a tenant's own: `cxo_NAME`); default: the URL's search_path. */
      schema: z.string().regex(DATABASE_SCHEMA_PATTERN, "a lowercase SQL identifier").optional(),
    })
    .default({ groupCommitMs: DEFAULT_GROUP_COMMIT_MS }),
  http: httpSchema.default(httpSchema.parse({})),
  /** Overrides of the client-side rate limits, by endpoint group name. */
  rateLimits: z.partialRecord(z.enum(ENDPOINT_GROUPS), rateGroupSchema).default({}),
  /** Webhook destinations of the outbox, by name (bi, interactions, campaigns, wfm, crm, …). */
  destinations: z
    .record(z.string().regex(DESTINATION_NAME_PATTERN, "lowercase name"), destinationSchema)
    .default({}),
  log: z
    .strictObject({
      level: z.enum(LOG_LEVELS).default("warn"),
    })
    .default({ level: "warn" }),
  service: serviceSchema.default(serviceSchema.parse({})),
  audit: auditSchema.default(auditSchema.parse({})),
  consent: consentSchema.default(consentSchema.parse({})),
  /** The seller's registrations, the Reassigned Numbers Database and the TSR's fields. */
  compliance: complianceSettingsSchema.default(complianceSettingsSchema.parse({})),
  /** The campaigns `cxo serve` (and `cxo autopilot run --once`) runs unattended. */
  autopilot: autopilotSchema.default(autopilotSchema.parse({})),
  /** The rule book's dates moved by counsel (`rules.effectiveDates`). */
  rules: rulesSchema.default({ effectiveDates: {} }),
});

export type Settings = z.infer<typeof settingsSchema>;
export type AuthStyle = z.infer<typeof authStyleSchema>;
/** The platform a connection talks to: `cxone` (production) or `seed` (the emulator's seed API). */
export type Platform = z.infer<typeof platformSchema>;
/** The production adapter's choices where NICE's API has no one obvious equivalent of a port function (docs/platforms.md). */
export type ProductionApiSettings = z.infer<typeof productionApiSchema>;
export type HttpSettings = z.infer<typeof httpSchema>;
export type RateGroupSettings = z.infer<typeof rateGroupSchema>;
export type DestinationSettings = z.infer<typeof destinationSchema>;
export type ServiceSettings = z.infer<typeof serviceSchema>;
export type ServiceUser = z.infer<typeof serviceUserSchema>;
export type AuditSettings = z.infer<typeof auditSchema>;
export type ConsentSettings = z.infer<typeof consentSchema>;
export type ComplianceSettings = z.infer<typeof complianceSettingsSchema>;
export type ServiceWatchdogSettings = z.infer<typeof serviceWatchdogSchema>;
export type ServiceExportSettings = z.infer<typeof serviceExportSchema>;
