import { z } from "zod";
import { calendarDayIssue } from "../calendar-day.ts";
import { ID_PATTERN } from "../ids.ts";
import {
  API_VERSION_PATTERN,
  AREA_PATTERN,
  AUTH_CREDENTIALS,
  AUTH_ENCODINGS,
  AUTH_MODES,
  HTTP_PROTOCOL,
  MAX_GROUP_COMMIT_MS,
  MIN_SECRET_KEY_LENGTH,
} from "./rules.ts";

/**
 * The settings a client is built from (schema.ts composes them into the whole settings tree):
 * createClient checks its options with these. A file of their own so that building a client
 * does not construct the rest of the settings schema, ~30 ms of zod in every `cxo` command that
 * talks to CXone.
 */

/** An http(s) URL, in the words every URL setting and option uses. */
export const httpUrlSchema = z.url({ protocol: HTTP_PROTOCOL, error: "must be an http(s) URL" });
/** A non-empty string (a name, an id, a credential), in the words every such setting and option uses. */
export const nonEmptySchema = z.string("must be a non-empty string").min(1, "must be a non-empty string");
const nonEmpty = nonEmptySchema;

/**
 * The connection's fields, one schema each: the settings file's `cxone:` (schema.ts) and
 * createClient's `connection` (sdk/option-checks.ts) are both built from them, with the defaults
 * in rules.ts (DEFAULT_ISSUER, DEFAULT_AREA, DEFAULT_API_VERSION). Each side says which it requires.
 */
export const connectionFields = {
  /** Seed: the API's base URL. */
  baseUrl: httpUrlSchema,
  tokenUrl: httpUrlSchema,
  clientId: nonEmpty,
  clientSecret: nonEmpty,
  /** Production: the OpenID issuer (discovery, token endpoint). */
  issuer: httpUrlSchema,
  accessKeyId: nonEmpty,
  accessKeySecret: nonEmpty,
  /** Production: the UserHub area of the access-key login URL (`na1`, `eu1`, `au1`, …). */
  area: z.string().regex(AREA_PATTERN, "must look like na1"),
  accessKeyUrl: httpUrlSchema,
  tenantId: nonEmpty,
  apiVersion: z.string().regex(API_VERSION_PATTERN, "must look like v33.0"),
  /** Production: overrides the api_endpoint the tenant's discovery names (the settings' `baseUrl`). */
  apiEndpoint: httpUrlSchema,
  tenantProfile: nonEmpty,
} as const;

const GROUP_COMMIT_RULE = `must be an integer from 0 to ${MAX_GROUP_COMMIT_MS} (milliseconds)`;
/** store.groupCommitMs and createClient's `groupCommitMs`: one rule. */
export const groupCommitMsSchema = z
  .number(GROUP_COMMIT_RULE)
  .int(GROUP_COMMIT_RULE)
  .min(0, GROUP_COMMIT_RULE)
  .max(MAX_GROUP_COMMIT_MS, GROUP_COMMIT_RULE);

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
  /**
   * Your application, put first in every request's User-Agent (`acme-dialer/2.1`), before
   * `cxone-outbound/<version> node/<version>`: 1 to 200 printable ASCII characters, no space
   * first or last.
   */
  userAgent: z
    .string()
    .regex(
      /^[\x21-\x7e](?:[\x20-\x7e]{0,198}[\x21-\x7e])?$/,
      "must be 1 to 200 printable ASCII characters, no space first or last (no newline or control character)",
    )
    .optional(),
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
  /**
   * End the agent sessions joined to set dispositions when the run ends. Off by default: NICE's
   * agent SDK ends the very session id it joined to log the agent out (conformance §6), so
   * ending a joined session very probably logs a live agent out. Turn on only where `cxo doctor
   * --agent-probe` showed the tenant keeps the agent logged in.
   */
  endJoinedSessions: z.boolean().default(false),
  /** Opt in to sending set-disposition for a completed contact (no documented correction API). */
  allowClosedContactDisposition: z.boolean().default(false),
  /** Create a tag CXone does not know (POST /tags) instead of refusing the row. */
  createUnknownTags: z.boolean().default(false),
  /** Reporting campaign new Personal Connection skills are grouped under (else "Default Campaign"). */
  reportingCampaignId: z.string().min(1).optional(),
  /** Custom column of a calling list that holds call consent ("Y"/"true"/"1" = consented). */
  consentColumn: z.string().min(1).optional(),
  /** Custom column of a calling list that holds the day call consent was given (asked of the RND). */
  consentDateColumn: z.string().min(1).optional(),
  /** Disposition ids counted as a success in campaign metrics (else: answered by an agent). */
  successDispositions: z.array(z.string().min(1)).default([]),
  /** Unit of a skill's abandonRateThreshold (not confirmed: percent 0–100 or a fraction). */
  abandonRateUnit: z.enum(["percent", "fraction"]).default("percent"),
  /**
   * Unit of `abandonRate` in `GET /skills/summary` (live pacing, the watchdog): an integer
   * percent in the one live client that types it (conformance §6). Never guessed from a value's
   * size; the counts (`abandonCount`/`connects`) are preferred whenever both come back.
   */
  liveAbandonRateUnit: z.enum(["percent", "fraction"]).default("percent"),
  /**
   * Unit of a skill's maximumRatio (not confirmed): lines per agent (`ratio`, 2.5) or the same
   * as a percentage (`percent`, 250). The budget guard writes it (docs/pacing.md).
   */
  maximumRatioUnit: z.enum(["ratio", "percent"]).default("ratio"),
  /**
   * Whether the tenant takes a skill's weekly schedule with a day inactive. `refused` (the
   * default): a client run against live tenants found every inactive day refused as
   * InvalidParameter (docs/platforms.md "Calling days"), so cxo writes every day active and keeps
   * the spec's closed days itself; `accepted`: the closed days are written inactive.
   */
  inactiveScheduleDays: z.enum(["refused", "accepted"]).default("refused"),
  /** The Personal Connection skill `cxo dialer` acts on when --campaign is not given. */
  dialerSkillId: z.string().min(1).optional(),
  /**
   * How late completed contacts reach the API (minutes; NICE says up to 30). Success rates are
   * judged on complete data only: their window ends this long before now.
   */
  warehouseLagMinutes: z.number().int().min(0).max(1440).default(30),
  /**
   * Records per /contacts/completed page: the most CXone answers (TAP: 10,000 a response), what
   * the outcome reads' budget is sized for (60 pages a minute, platform/cxone/rate-limits.ts). At
   * 1,000 a first read of 30 days waited minutes on that budget (issue 100 §3). Doctor lowers it
   * to a tenant's own cap (`topCap`).
   */
  pageSize: z.number().int().min(1).max(10_000).default(10_000),
});

/** The US states and territories a registration may name (USPS codes). */
const US_STATES = new Set(
  "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP".split(
    " ",
  ),
);

/**
 * Issue 79 §2: the seller's registrations, by state (`{TX: {number, until}}`): a state whose law
 * requires a seller's registration before soliciting there (Texas, Tex. Bus. & Com. Code 302.101)
 * refuses a declared sales call or text without one in force. `until` is the last day it is valid.
 */
/** A day's calling window, "HH:mm-HH:mm" (start before end), or null: no calls that day. */
const hoursWindow = z
  .string()
  .regex(
    /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/,
    'must be a window "HH:mm-HH:mm" (e.g. "08:00-21:00") or null',
  )
  .refine((w) => w.slice(0, 5) < w.slice(6), "must start before it ends")
  .nullable();

export const complianceSchema = z.strictObject({
  registrations: z
    .record(
      z.string(),
      z.strictObject({
        // Printed in `compliance check`'s reasons and kept as evidence: visible characters only, so
        // a newline or an escape code cannot forge a line of the output.
        number: z
          .string()
          .min(1)
          .max(64)
          .regex(
            /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/,
            "printable characters only (letters, digits, punctuation; no control characters or line breaks)",
          ),
        // The last day the registration is valid.
        until: z.string().transform(calendarDayIssue),
      }),
    )
    .superRefine((registrations, ctx) => {
      for (const state of Object.keys(registrations))
        if (!US_STATES.has(state))
          ctx.addIssue({
            code: "custom",
            path: [state],
            message: `unknown state "${state}": a two-letter upper-case US state code, e.g. TX`,
          });
    })
    .default({}),
  /**
   * The voice each skill's calls use, by skill (campaign) id — CXone has no field for it: the
   * default of every check, plan, push and evidence record for the skill (a campaign spec's
   * `voice:` must agree). `announcement: live` (a live person introduces the call) and
   * `discloses: ai` (the introduction says the voice is artificial) as in a spec.
   */
  /**
   * The UK's calling hours, a policy (no UK statute sets them): `{monFri, sat, sun}` windows
   * `"HH:mm-HH:mm"` (`null`: no calls that day), or `false` for none; default 08:00-21:00 daily.
   */
  ukCallingHours: z
    .union([
      z.literal(false),
      z.strictObject({
        monFri: hoursWindow,
        sat: hoursWindow,
        sun: hoursWindow,
      }),
    ])
    .optional(),
  skills: z
    .record(
      z.string().regex(ID_PATTERN, "a skill or campaign id"),
      z.strictObject({
        voice: z.enum(["live", "prerecorded", "ai"], { message: "must be one of live, prerecorded, ai" }),
        announcement: z
          .literal("live", { message: "must be live (a live person introduces the call)" })
          .optional(),
        discloses: z
          .literal("ai", { message: "must be ai (the introduction says the voice is artificial)" })
          .optional(),
      }),
    )
    .default({}),
});

/**
 * The consent ledger's settings. `cxoneDncGroup`: on the production platform, the
 * tenant's CXone DNC group every revocation is added to (its id), so CXone's dialer stops too.
 * `seller`: tenants with the same seller share revocations of scope `all` (default: each tenant
 * is its own seller).
 */
export const consentSchema = z.strictObject({
  cxoneDncGroup: z
    .union([z.string().regex(/^[1-9]\d{0,17}$/, "a DNC group id (digits)"), z.number().int().positive()])
    .transform(String)
    .optional(),
  seller: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "1-64 lowercase letters, digits or '-'")
    .optional(),
  /** `cxo serve`: seconds between reads of the dispositions agents set in CXone (a do-not-call one is a revocation). */
  pollSeconds: z
    .number()
    .int("must be a whole number of seconds")
    .min(5, "must be at least 5")
    .max(300, "must be at most 300: a revocation must be honoured within minutes")
    .default(60),
  /**
   * The synced copy of the CXone DNC groups is trusted this long: an older one (or none) makes a
   * single check search CXone live, and a scrub or plan sync it first.
   */
  cxoneDncMaxAgeMinutes: z
    .number()
    .int("must be a whole number of minutes")
    .min(1, "must be at least 1")
    .max(10_080, "must be at most 10080 (a week)")
    .default(60),
  /**
   * Agents' do-not-call dispositions set in CXone are read into the ledger before a
   * command that can lead to a dial (check, scrub, plan, push, honour) when the last read is
   * older than this, or there was none (`cxo serve` reads them every `pollSeconds`).
   */
  dispositionsMaxAgeMinutes: z
    .number()
    .int("must be a whole number of minutes")
    .min(1, "must be at least 1")
    .max(1440, "must be at most 1440")
    .default(5),
  /** How often `cxo serve` syncs the copy (production platform); 0: never (the checks then search live). */
  cxoneDncSyncMinutes: z.number().int().min(0).max(1440).default(15),
  /**
   * What an agent's "Do Not Call" disposition revokes: the `number` called, or every number of
   * its `account` (the debt: Regulation F, 12 CFR 1006.14(h)). Unset: `account` on a campaign of
   * kind collections, `number` on any other.
   */
  agentDoNotCall: z.enum(["number", "account"], { error: "must be number or account" }).optional(),
});

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
