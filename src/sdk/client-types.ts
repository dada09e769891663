import type { Dispatcher } from "undici";
import type { ClientClock } from "../core/clock/now.ts";
import type {
  AuthStyle,
  DestinationSettings,
  HttpSettings,
  ProductionApiSettings,
  RateGroupSettings,
} from "../core/config/schema.ts";
import type { ConnectionMissingError } from "../core/connection-missing-error.ts";
import type { CxoneHttp } from "../core/http/create.ts";
import type { RateLimitRegistry } from "../core/http/endpoint-groups.ts";
import type { HttpEvent } from "../core/http/events.ts";
import type { Exchange } from "../core/http/transport.ts";
import type { Logger } from "../core/logging/index.ts";
import type { NotSupportedError } from "../platform/errors.ts";
import type { CxonePort } from "../platform/port.ts";
import type { PortOperation } from "../platform/support.ts";
import type { AccessGroup } from "./access.ts";
import type { AuditGroup } from "./audit.ts";
import type { CallbacksGroup } from "./callbacks.ts";
import type { CallerIdGroup } from "./caller-id.ts";
import type { CampaignsGroup } from "./campaigns.ts";
import type { ComplianceGroup } from "./compliance.ts";
import type { ConsentGroup } from "./consent.ts";
import type { DialerGroup } from "./dialer.ts";
import type { DispositionsGroup } from "./dispositions.ts";
import type { DoctorGroup } from "./doctor.ts";
import type { InteractionsGroup } from "./interactions.ts";
import type { OutboxGroup } from "./outbox.ts";
import type { OutcomesGroup } from "./outcomes.ts";
import type { RndGroup } from "./rnd.ts";
import type { RedriveNotice } from "./runtime.ts";
import type { StrategyGroup } from "./strategy.ts";
import type { TouchesGroup } from "./touches.ts";
/** The seeds' API (`platform: "seed"`, the default): OAuth2 client credentials. */
export interface SeedConnectionOptions {
  platform?: "seed";
  /** API base URL, e.g. `https://api.example.com`. */
  baseUrl: string;
  /** OAuth2 token URL; default `${baseUrl}/oauth/token`. */
  tokenUrl?: string;
  clientId: string;
  clientSecret: string;
  /** How the token request is made (Basic header or body, form or JSON, scopes). */
  auth?: Partial<AuthStyle>;
}

/**
 * NICE's production platform (`platform: "cxone"`): an access key, logged in with alone or
 * through a registered application (`auth.mode`), then the tenant's API found by discovery.
 */
export interface ProductionConnectionOptions {
  platform: "cxone";
  /** The OpenID issuer (discovery; the application login's token endpoint); default `https://cxone.niceincontact.com`. */
  issuer?: string;
  /** The UserHub area of the access-key login URL; default `na1`. */
  area?: string;
  /** The access-key login URL; default `https://{area}.nice-incontact.com/authentication/v1/token/access-key`. */
  accessKeyUrl?: string;
  /** The registered back-end application (`auth.mode` `application`; with `auto`, its presence selects it). */
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  accessKeyId: string;
  accessKeySecret: string;
  /** Checked against the tenant the token names, when given. */
  tenantId?: string;
  /** inContactAPI version, e.g. `v33.0` (the default). */
  apiVersion?: string;
  /** Overrides the API endpoint the tenant's discovery document names. */
  apiEndpoint?: string;
  auth?: Partial<AuthStyle>;
  /** How the adapter maps the port onto the production API (see docs/platforms.md). */
  productionApi?: Partial<ProductionApiSettings>;
  /**
   * A tenant profile `cxo doctor --profile FILE` wrote: its settings apply under `productionApi`
   * (a value given there wins), and `doctor.run()` checks the tenant against its facts.
   */
  tenantProfile?: string;
}

/**
 * Where CXone is and how to authenticate: a union discriminated by `platform` (credentials
 * differ per platform); `createClient` picks the adapter from it.
 */
export type ConnectionOptions = SeedConnectionOptions | ProductionConnectionOptions;

/** HTTP behaviour of every request the client makes. */
export interface HttpOptions extends Partial<HttpSettings> {
  /**
   * An undici dispatcher to send every request through (a ProxyAgent, an EnvHttpProxyAgent, a
   * MockAgent in tests…). The client does not close it.
   */
  dispatcher?: Dispatcher;
  /** An HTTP(S) proxy URL (ignored when `dispatcher` is given). */
  proxy?: string;
  /**
   * Told of every request and its answer once it settles (tokens and discovery included): give
   * it a `HarRecorder`'s `record` to keep a redacted HAR 1.2 recording of the client's traffic.
   */
  onExchange?: (exchange: Exchange) => void;
}

/** What `createClient` takes: where CXone is, where the local store is, and how to talk. */
export interface CreateClientOptions {
  /**
   * Where CXone is and how to log in. Left out: a client of local work only — the consent
   * ledger (revoke, import, grant, review, report, honour's local part), checks from the store,
   * evidence from a file, the rules — whose calls that need CXone refuse with
   * ConnectionMissingError (`code: "connection_missing"`), nothing sent.
   */
  connection?: ConnectionOptions;
  /**
   * The business unit this client works for, by the name you give it (1-32 lowercase letters,
   * digits or '-'; see `Tenants` and docs/tenants.md). It keeps the tenant's store apart: the
   * default `dataDir` becomes `./.cxo/tenants/NAME` and the default `databaseSchema` `cxo_NAME`.
   */
  tenant?: string;
  /**
   * Who is acting, named in every audit record of this client's writes beside the API user
   * (`cron:nightly-export`, `cli:olivia@host`). Default: the API user alone.
   */
  actor?: string;
  /**
   * Consent settings: `cxoneDncGroup`, the production tenant's CXone DNC group
   * revocations are added to; `seller`, shared by the tenants a scope-`all` revocation reaches;
   * `cxoneDncMaxAgeMinutes` (default 60, 1–10080), how old the synced copy of the tenant's CXone
   * DNC groups may be before `compliance.check` searches CXone live for its number and a scrub
   * syncs the copy first (docs/compliance.md "CXone DNC groups"); `dispositionsMaxAgeMinutes`
   * (default 5, 1–1440), how old the last read of agents' do-not-call dispositions in CXone may
   * be before a check, scrub, plan, push or honour reads them again first.
   */
  consent?: {
    cxoneDncGroup?: string;
    seller?: string;
    cxoneDncMaxAgeMinutes?: number;
    dispositionsMaxAgeMinutes?: number;
    /**
     * What an agent's "Do Not Call" revokes: the `number`, or every number of the record's
     * `account`; unset: `account` on a collections campaign, `number` otherwise.
     */
    agentDoNotCall?: "number" | "account";
  };
  /**
   * Compliance settings: `registrations`, the seller's state registrations by state
   * (`{ TX: { number, until: "2027-08-31" } }`); a declared sales call or text to a state that
   * requires one the seller lacks is refused (`registration_required`).
   */
  compliance?: {
    registrations?: Record<string, { number: string; until: string }>;
    /**
     * The voice each skill's calls use, by skill id (`{ "4120": { voice: "ai", announcement:
     * "live", discloses: "ai" } }`): the default of every check, plan, push and evidence record
     * for the skill; a campaign spec's `voice:` must agree.
     */
    skills?: Record<
      string,
      { voice: "live" | "prerecorded" | "ai"; announcement?: "live"; discloses?: "ai" }
    >;
    /**
     * The UK's calling hours, a policy (no UK statute sets them): windows `"HH:mm-HH:mm"` (null:
     * no calls that day), or `false` for none. Default 08:00-21:00 every day.
     */
    ukCallingHours?: false | { monFri: string | null; sat: string | null; sun: string | null };
  };
  /**
   * The rule book's dates counsel moves: `effectiveDates` replaces a rule's built-in date by its
   * id (`{ "us-revoke-all-purposes": "2027-01-31" }`; `compliance.rules()` lists the ids). Every
   * check, plan, push and evidence record of the client is judged by them; a change is audited.
   */
  rules?: {
    effectiveDates?: Record<string, string>;
  };
  /**
   * The clock the client's calls read the time on (calling hours, freshness rules, audit
   * timestamps, the autopilot's day): an object with `now()` in milliseconds since the epoch,
   * which should move on. Two clients in one program may each have their own; nothing else in
   * the process changes. Default: the process's (`installClock`, `CXO_CLOCK` for the CLI), else
   * the wall. With `setTimeout` and `clearTimeout` (its schedule), the SDK's waits inside the
   * client's calls wait on it: retry backoff (a 5xx, a reset, a token endpoint's refusal), the
   * waiters for CXone's asynchronous operations and the watchdog's polls. Without them: the
   * process's timers. Timeouts, deadlines, rate limits and a 429's pause of the whole group (shared
   * by every client of the tenant) stay on the process's timers and real time.
   */
  clock?: ClientClock;
  /** Local store directory (journal, audit log, outbox, checkpoints). Default `./.cxo`. */
  dataDir?: string;
  /** A `postgres://` URL: keep the store in PostgreSQL instead of SQLite in `dataDir`. */
  databaseUrl?: string;
  /** PostgreSQL: the schema the store's tables live in (created on first use). Default: the URL's search_path, or `cxo_TENANT`. */
  databaseSchema?: string;
  /**
   * Journal steps of concurrent operations finishing within this many milliseconds share one
   * SQLite transaction and one fsync (group commit; default 10, 0 commits each step on its own).
   * Each operation still waits for its own commit. PostgreSQL groups commits itself.
   */
  groupCommitMs?: number;
  http?: HttpOptions;
  /** Client-side rate limits by endpoint group name (overrides the documented defaults). */
  rateLimits?: Record<string, RateGroupSettings>;
  /**
   * Rate limiters to use. Default: the process's one registry for this tenant (API base URL +
   * client id), shared by every client of the tenant in the process.
   */
  limits?: RateLimitRegistry;
  /** Webhook destinations of the outbox (e.g. `crm` for outcome export summaries). */
  destinations?: Record<string, DestinationSettings>;
  /**
   * Audit anchors (`client.audit.anchor`, `client.audit.verify`): `anchorKey`, the HMAC key
   * anchors are signed with (at least 16 characters; keep it outside the data dir, in a vault),
   * `anchorFile`, the JSON-lines file they are appended to, `anchorDestination`, an outbox
   * destination they are queued for. Without a key, a SQLite store anchors nothing; a
   * PostgreSQL store keeps its own key.
   */
  audit?: AuditClientOptions;
  /** A pino logger for retries, throttling and re-drives; silent when absent. */
  logger?: Logger;
  /**
   * Told of every HTTP request the client makes (API calls, tokens, discovery), as it happens:
   * `request`, `response` (status, latency, request id), `network-error`, `retry`, `throttle`
   * and `token`. An event never carries a header, a body or a token. A listener that throws does
   * not fail the request (the logger is told, once, at warn).
   */
  onHttpEvent?: (event: HttpEvent) => void;
  /** Told when work an earlier run left pending is re-driven before new work. */
  onRedrive?: (notice: RedriveNotice) => void;
  /**
   * Scope `all` of a named tenant's client: the clients of the other tenants that
   * share its seller, asked when a revocation of scope `all` is recorded (each records it in its
   * own ledger and CXone DNC group). `createTenants` sets it for each of its clients; without it a
   * named tenant's `consent.revoke({scope: "all"})` is refused (InputError), nothing recorded.
   */
  consentPeers?: () => Promise<readonly CxoneClient[]>;
  /**
   * The FCC's Reassigned Numbers Database (`client.rnd`). `url` its API, `clientId`
   * and `clientSecret` the caller's credentials there (the secret is never logged or recorded),
   * `batchSize` numbers per query (1–1000, default 1000), `maxAgeDays` how long an answer is
   * reused for the same number and consent date (0–31, default 30), `noData` what a "no data"
   * answer does (`allow`, default, or `refuse`).
   */
  rnd?: RndClientOptions;
  /**
   * The FTC Telemarketing Sales Rule's call-detail fields the platform's records do
   * not carry — `seller` (default `consent.seller`), `telemarketer`, `robocall` — stamped on every
   * exported outcome record, with per-campaign values under `campaigns` (by campaign id).
   */
  tsr?: TsrClientOptions;
}

/** Audit anchoring of a client (`createClient({ audit })`); the settings file's `audit:`. */
export interface AuditClientOptions {
  anchorKey?: string;
  anchorFile?: string;
  anchorDestination?: string;
  /** How often `cxo serve` anchors the head, in minutes (default 60; the client itself anchors only when asked). */
  anchorEveryMinutes?: number;
}

/** The TSR fields of exported records (`createClient({ tsr })`, `compliance.tsr`). */
export interface TsrClientOptions {
  seller?: string;
  telemarketer?: string;
  robocall?: boolean;
  campaigns?: Record<string, { seller?: string; telemarketer?: string; robocall?: boolean }>;
}

/** How a client reaches the Reassigned Numbers Database (`createClient({ rnd })`). */
export interface RndClientOptions {
  url: string;
  /** Default `{url}/oauth/token`. */
  tokenUrl?: string;
  clientId: string;
  clientSecret: string;
  batchSize?: number;
  maxAgeDays?: number;
  noData?: "allow" | "refuse";
}

export type { RequestOptions } from "./runtime.ts";

/**
 * The SDK's client without the applications built over it: one capability group per seed over
 * one connection and one local store. What `createAutopilot` takes; `CxoneClient` adds the
 * applications' groups (`autopilot`).
 */
export interface CxoneBaseClient {
  /** The credentials at work: what the token grants and until when (`cxo auth check`). */
  readonly access: AccessGroup;
  /** Tag outbound calls with disposition and reason codes (seed 000). */
  readonly dispositions: DispositionsGroup;
  /** Correct dispositions on closed interactions with optimistic locking (seed 001). */
  readonly interactions: InteractionsGroup;
  /** Provision, pause/resume, inspect, segment and guard campaigns (seed 002). */
  readonly campaigns: CampaignsGroup;
  /** The calling-rules engine and the internal do-not-call list. */
  readonly compliance: ComplianceGroup;
  /** The consent ledger: revocations by every channel, honoured at once, reported against their deadlines. */
  readonly consent: ConsentGroup;
  /** Touches made elsewhere (texts, emails, another dialer's calls), counted by every cap. */
  readonly touches: TouchesGroup;
  /** CXone's scheduled callbacks: calls an agent of a skill places at a set time, outside any list. */
  readonly callbacks: CallbacksGroup;
  /** Caller-ID health: which outbound numbers carriers have started labelling, from outcomes alone. */
  readonly callerId: CallerIdGroup;
  /** Dialer settings lifecycle and the local capacity simulator (seed 003). */
  readonly dialer: DialerGroup;
  /** Stream call outcome records to a file with analysis and a compliance hash (seed 004). */
  readonly outcomes: OutcomesGroup;
  /** Check what the adapter assumes against the tenant itself (`cxo doctor`; production platform). */
  readonly doctor: DoctorGroup;
  /** The contact strategy: benchmark it, and evaluate it on your own history. */
  readonly strategy: StrategyGroup;
  /** The Reassigned Numbers Database: numbers checked since their consent dates, answers kept as evidence. */
  readonly rnd: RndGroup;
  /** The data dir's hash-chained audit log: verify it, read its records, sign its head. */
  readonly audit: AuditGroup;
  /** The webhook outbox: events waiting, delivered and dead-lettered; replay and deliver them. */
  readonly outbox: OutboxGroup;
  /** The platform and where it is (no secret). */
  readonly connection: ClientConnectionInfo;
  readonly dataDir: string;
  /**
   * Whether the client's platform offers `operation`, asked before starting work that needs it:
   * the refusal calling it would end in (a NotSupportedError saying why and what to do instead;
   * a ConnectionMissingError for a client built without a connection), or undefined when it is
   * offered. Answered locally (nothing sent), even after `close()`:
   *
   * ```ts
   * const refusal = cxo.unsupported("dncGroups");
   * if (refusal) console.log(refusal.message); // the seed API has no DNC group endpoints …
   * ```
   *
   * An operation the platforms do not know is an InputError naming `operation`.
   */
  unsupported(operation: PortOperation): NotSupportedError | ConnectionMissingError | undefined;
  /** Closes the store and the HTTP connections. */
  close(): Promise<void>;
  /** `await using cxo = createClient(…)` closes the client when the scope ends. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * The groups of the applications built over the SDK (the autopilot, src/autopilot/app.ts, adds
 * `autopilot` to it by declaration merging): the SDK names none of them, so it imports none.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the applications' declaration merging
export interface ClientApplications {}

/** A client: the SDK's capability groups and the applications' groups over them. */
export interface CxoneClient extends CxoneBaseClient, ClientApplications {}

/**
 * A client with its internals: the raw port and the HTTP core, for this package's CLI, service
 * and tests (and `cxone-outbound/internal`); not a stable API.
 */
export interface InternalClient extends CxoneClient {
  /** The raw port: CXone's endpoints as typed functions, no journal, no local rules. */
  readonly port: CxonePort;
  /** The HTTP core underneath (events, limiter state, token state). */
  readonly core: CxoneHttp;
}

/**
 * What a client tells about its connection: the platform and where, never a secret; `none` for a
 * client built without one (`missing`: the setting its CXone calls name).
 */
export type ClientConnectionInfo =
  | { platform: "none"; missing: string }
  | { platform: "seed"; baseUrl: string; tokenUrl: string; clientId: string }
  | {
      platform: "cxone";
      /** How the client logs in (`access-key` alone, or through the registered `application`). */
      login: "access-key" | "application";
      issuer: string;
      /** The registered application (none with the `access-key` login). */
      clientId: string | undefined;
      tenantId: string | undefined;
      apiVersion: string;
    };
