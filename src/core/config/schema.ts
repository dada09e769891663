import { z } from "zod";
import { ENDPOINT_GROUPS } from "../http/group-names.ts";
import {
  API_VERSION_PATTERN,
  AREA_PATTERN,
  AUTH_CREDENTIALS,
  AUTH_ENCODINGS,
  AUTH_MODES,
  DESTINATION_NAME_PATTERN,
  HTTP_PROTOCOL,
  INSTANCE_ID_PATTERN,
  LOG_LEVELS,
  MIN_SECRET_KEY_LENGTH,
  PLATFORMS,
  POSTGRES_URL_PATTERN,
} from "./rules.ts";

/**
 * The shape of every setting, whatever its source (flags, env, config file).
 * One schema so that a value is validated the same way wherever it came from.
 */

const httpUrl = z.url({ protocol: HTTP_PROTOCOL, error: "must be an http(s) URL" });

/** How the OAuth2 client-credentials request is made: the seeds use every combination. */
export const authStyleSchema = z.strictObject({
  /**
   * Production platform login: `access-key` (the access key alone, no registered application),
   * `application` (OpenID password grant through a registered back-end application), or `auto`
   * (`application` when a client id and secret are configured, else `access-key`).
   */
  mode: z.enum(AUTH_MODES).default("auto"),
  /**
   * `basic`: client id/secret in an Authorization: Basic header; `body`: in the request body.
   * Unset: Basic on the seed API; on the production platform, what the issuer's discovery
   * document lists (a set value wins over discovery).
   */
  credentials: z.enum(AUTH_CREDENTIALS).optional(),
  /** `form`: application/x-www-form-urlencoded; `json`: application/json. */
  encoding: z.enum(AUTH_ENCODINGS).default("form"),
  /** Scopes to ask for; empty asks for none, and the server grants all of the client's. */
  scopes: z.array(z.string().min(1)).default([]),
  /** Renew a token this long before it expires. */
  expiryMarginSeconds: z.number().int().min(0).max(3600).default(60),
});

export const rateGroupSchema = z.strictObject({
  /** Requests allowed per window (the documented limit, e.g. 100 per minute). */
  limit: z.number().int().positive(),
  per: z.enum(["second", "minute"]).default("second"),
  /** At most this many requests of the group in flight at once. */
  concurrency: z.number().int().positive().optional(),
});

export const httpSchema = z.strictObject({
  /** Per-attempt timeout. */
  timeoutMs: z.number().int().positive().default(30_000),
  /** Attempts per request, the first included. */
  maxAttempts: z.number().int().min(1).max(20).default(6),
  /** Overall deadline for one request across all its retries. */
  deadlineMs: z.number().int().positive().default(120_000),
  /** Base and cap of the full-jitter exponential backoff. */
  backoffBaseMs: z.number().int().positive().default(200),
  backoffCapMs: z.number().int().positive().default(20_000),
  /** Keep-alive connections per origin. */
  connections: z.number().int().positive().default(64),
  /** Multiplies every client-side rate limit (match the emulator's --rate-limit-scale). */
  rateLimitScale: z.number().positive().default(1),
});

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
  /** Trailing window of the polled metrics. */
  metricsWindowMinutes: z.number().int().min(1).max(1440).default(30),
  /** Points kept per campaign for the charts. */
  historyPoints: z.number().int().min(10).max(100_000).default(720),
  /** Run the outbox dispatcher (webhook deliveries) inside the service. */
  dispatcher: z.boolean().default(true),
  watchdogs: z.array(serviceWatchdogSchema).default([]),
  exports: z.array(serviceExportSchema).default([]),
});

/**
 * Choices of the production-platform adapter where NICE's API has no one obvious equivalent of a
 * port function (see docs/platforms.md). Defaults follow the reference's recommendations.
 */
export const productionApiSchema = z.strictObject({
  /** How a call's disposition is set: the back-end set-disposition call, or an agent session. */
  dispositionVia: z.enum(["set-disposition", "agent-session"]).default("set-disposition"),
  /** Agent id the agent-session path joins as (required for that path). */
  agentId: z.string().min(1).optional(),
  /** Opt in to sending set-disposition for a completed contact (no documented correction API). */
  allowClosedContactDisposition: z.boolean().default(false),
  /** Create a tag CXone does not know (POST /tags) instead of refusing the row. */
  createUnknownTags: z.boolean().default(false),
  /** Reporting campaign new Personal Connection skills are grouped under (else "Default Campaign"). */
  reportingCampaignId: z.string().min(1).optional(),
  /** Custom column of a calling list that holds call consent ("Y"/"true"/"1" = consented). */
  consentColumn: z.string().min(1).optional(),
  /** Disposition ids counted as a success in campaign metrics (else: answered by an agent). */
  successDispositions: z.array(z.string().min(1)).default([]),
  /** Unit of a skill's abandonRateThreshold (not confirmed: percent 0–100 or a fraction). */
  abandonRateUnit: z.enum(["percent", "fraction"]).default("percent"),
  /**
   * Unit of a skill's maximumRatio (not confirmed): lines per agent (`ratio`, 2.5) or the same
   * as a percentage (`percent`, 250). The budget guard writes it (docs/pacing.md).
   */
  maximumRatioUnit: z.enum(["ratio", "percent"]).default("ratio"),
  /** The Personal Connection skill `cxo dialer` acts on when --campaign is not given. */
  dialerSkillId: z.string().min(1).optional(),
  /**
   * How late completed contacts reach the API (minutes; NICE says up to 30). Success rates are
   * judged on complete data only: their window ends this long before now.
   */
  warehouseLagMinutes: z.number().int().min(0).max(1440).default(30),
  /** Records per /contacts/completed page. */
  pageSize: z.number().int().min(1).max(10_000).default(1000),
});

export const platformSchema = z.enum(PLATFORMS);

/** Audit anchors (core/audit/anchor.ts): signed checkpoints of the chain head kept outside the store. */
export const auditSchema = z.strictObject({
  /** HMAC key of the anchors; keep it outside the data dir (CXO_AUDIT_ANCHOR_KEY). */
  anchorKey: z.string().min(MIN_SECRET_KEY_LENGTH, "must be at least 16 characters").optional(),
  /** A JSON-lines file anchors are appended to (outside the data dir). */
  anchorFile: z.string().min(1).optional(),
  /** An outbox destination anchors are sent to, as `audit.anchor` events. */
  anchorDestination: z.string().min(1).optional(),
  /** How often `cxo serve` anchors the head (when it moved). */
  anchorEveryMinutes: z.number().min(0.01).max(10_080).default(60),
});

export const settingsSchema = z.strictObject({
  cxone: z
    .strictObject({
      /** `seed`: the API the seeds describe; `cxone`: NICE's production inContactAPI. */
      platform: platformSchema.default("seed"),
      /** Seed: the API's base URL. Production: overrides the discovered api_endpoint. */
      baseUrl: httpUrl.optional(),
      tokenUrl: httpUrl.optional(),
      clientId: z.string().min(1).optional(),
      clientSecret: z.string().min(1).optional(),
      /** The token request's style; on the production platform a bare string sets `auth.mode` (`CXONE_AUTH`). */
      auth: z
        .preprocess((value) => (typeof value === "string" ? { mode: value } : value), authStyleSchema)
        .default(authStyleSchema.parse({})),
      /** Production: the OpenID issuer (discovery, token endpoint). */
      issuer: httpUrl.default("https://cxone.niceincontact.com"),
      /** Production: the API user's access key (password grant). The secret is a registered secret. */
      accessKeyId: z.string().min(1).optional(),
      accessKeySecret: z.string().min(1).optional(),
      /** Production: the UserHub area of the access-key login URL (`na1`, `eu1`, `au1`, …). */
      area: z.string().regex(AREA_PATTERN, "must look like na1").default("na1"),
      /** Production: the access-key login URL; default `https://{area}.nice-incontact.com/authentication/v1/token/access-key`. */
      accessKeyUrl: httpUrl.optional(),
      /** Production: the tenant, when the token's claim should not be trusted alone. */
      tenantId: z.string().min(1).optional(),
      /** Production: the inContactAPI version most routes use. */
      apiVersion: z.string().regex(API_VERSION_PATTERN, "must look like v33.0").default("v33.0"),
      productionApi: productionApiSchema.default(productionApiSchema.parse({})),
    })
    .default({
      platform: "seed",
      auth: authStyleSchema.parse({}),
      issuer: "https://cxone.niceincontact.com",
      area: "na1",
      apiVersion: "v33.0",
      productionApi: productionApiSchema.parse({}),
    }),
  dataDir: z.string().min(1).default("./.cxo"),
  /** PostgreSQL instead of SQLite in dataDir: needed to run several `cxo serve` instances. */
  store: z
    .strictObject({
      url: z.string().regex(POSTGRES_URL_PATTERN, "must be a postgres:// or postgresql:// URL").optional(),
      /**
       * Journal steps finishing within this many ms share one transaction and one fsync
       * (group commit); 0 commits each on its own.
       */
      groupCommitMs: z.number().int().min(0).max(100).default(10),
    })
    .default({ groupCommitMs: 10 }),
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
});

export type Settings = z.infer<typeof settingsSchema>;
export type AuthStyle = z.infer<typeof authStyleSchema>;
export type Platform = z.infer<typeof platformSchema>;
export type ProductionApiSettings = z.infer<typeof productionApiSchema>;
export type HttpSettings = z.infer<typeof httpSchema>;
export type RateGroupSettings = z.infer<typeof rateGroupSchema>;
export type DestinationSettings = z.infer<typeof destinationSchema>;
export type ServiceSettings = z.infer<typeof serviceSchema>;
export type AuditSettings = z.infer<typeof auditSchema>;
export type ServiceWatchdogSettings = z.infer<typeof serviceWatchdogSchema>;
export type ServiceExportSettings = z.infer<typeof serviceExportSchema>;
