import path from "node:path";
import type { Dispatcher } from "undici";
import { effectiveDatesProblems, effectiveDatesText } from "../compliance/effective-dates.ts";
import { ACTOR_MAX, isActorText } from "../core/actor-rule.ts";
import type { ClientClock } from "../core/clock/now.ts";
import type { CxoneConnection, PlatformConnection, ProductionConnection } from "../core/config/connection.ts";
import { productionConnectionOf, resolveLogin, seedConnectionOf } from "../core/config/connection.ts";
import { DATABASE_SCHEMA_PATTERN } from "../core/config/rules.ts";
import type { ProductionApiSettings } from "../core/config/schema.ts";
import {
  apiUserLabel,
  DEFAULT_DATA_DIR,
  TENANT_NAME_PATTERN,
  TENANT_NAME_RULE,
  tenantStoreOf,
} from "../core/config/tenant-identity.ts";
import { readTenantProfile } from "../core/config/tenant-profile.ts";
import { type ConnectionMissingError, sdkConnectionMissing } from "../core/connection-missing-error.ts";
import type { CxoneHttp, SharedHttpOptions } from "../core/http/create.ts";
import { requestNumbers } from "../core/http/events.ts";
import { InputError } from "../core/input-error.ts";
import { registerSecret } from "../core/logging/secrets.ts";
import { disconnectedPlatform } from "../platform/disconnected.ts";
import type { CxonePort } from "../platform/port.ts";
import { accessGroup } from "./access.ts";
import { auditGroup } from "./audit.ts";
import { callbacksGroup } from "./callbacks.ts";
import { callerIdGroup } from "./caller-id.ts";
import { campaignsGroup } from "./campaigns.ts";
import type {
  ClientApplications,
  ClientConnectionInfo,
  ConnectionOptions,
  CreateClientOptions,
  CxoneBaseClient,
  CxoneClient,
  HttpOptions,
  InternalClient,
  ProductionConnectionOptions,
  RndClientOptions,
} from "./client-types.ts";
import { guardGroup } from "./closed-guard.ts";
import { complianceGroup } from "./compliance.ts";
import { consentGroup } from "./consent.ts";
import { dialerGroup } from "./dialer.ts";
import { dispositionsGroup } from "./dispositions.ts";
import { doctorGroup } from "./doctor.ts";
import { interactionsGroup } from "./interactions.ts";
import { internalsOf, registerInternals } from "./internals.ts";
import type { CheckedOptions, OptionCheck } from "./option-checks.ts";
import { type LocalOnly, settledOption } from "./options-from-settings.ts";
import { outboxGroup } from "./outbox.ts";
import { outcomesGroup } from "./outcomes.ts";
import { unsupportedOn } from "./platform-support.ts";
import { rndGroup } from "./rnd.ts";
import { ClientRuntime, type RndRuntimeOptions } from "./runtime.ts";
import { strategyGroup } from "./strategy.ts";
import { touchesGroup } from "./touches.ts";

/**
 * Building a client (`createClient` in client.ts): options checked, the HTTP core and the port of
 * its platform, the store opened on first use, the capability groups. Nothing here imports a
 * platform's adapter: `createClient` hands both in; `openInternalClient` (the CLI's way) imports
 * only the one the options name, so a seed-platform command never loads the production adapter
 * (about 30 modules, with csv-stringify) and a production one never loads the seed adapter.
 */

type Connected = { core: CxoneHttp; port: CxonePort };

/**
 * The applications' groups over a client (`ClientApplications`: the autopilot's), made by the
 * layer above the SDK (client.ts, the CLI): the SDK attaches them behind its closed guard and
 * imports none of them.
 */
export type ApplicationsOver = (client: CxoneBaseClient) => ClientApplications;

/** How a client reaches each platform (its HTTP core and port), per platform. */
export interface PlatformConnectors {
  seed?: (connection: CxoneConnection, core: SharedHttpOptions) => Connected;
  cxone?: (
    connection: ProductionConnection,
    core: SharedHttpOptions,
    choices: ProductionApiSettings,
  ) => Connected;
}

function connector<F>(connect: F | undefined, platform: string): F {
  if (!connect) throw new TypeError(`no way to reach the ${platform} platform was given`);
  return connect;
}

/**
 * What building a client is handed by the layer that builds it (client.ts, the CLI), besides
 * the options: the platforms' connectors, the applications over the SDK, the options' check
 * (option-checks.ts's schemas, or `settledOption` for options made from checked settings) and an
 * HTTP proxy agent for `http.proxy` (undici's). This module imports none of them, so a client
 * built for local work loads neither zod nor undici.
 */
export interface ClientParts {
  connect: PlatformConnectors;
  applications: ApplicationsOver;
  check: OptionCheck;
  proxyAgent?: (uri: string, connections: number) => Dispatcher;
}

/**
 * The connection with its defaults filled in: the check's output (the settings file's rules and
 * defaults), trailing slashes trimmed, the login resolved.
 */
export function resolveConnection(connection: ConnectionOptions, check: OptionCheck): PlatformConnection {
  if (typeof connection !== "object" || connection === null)
    throw new InputError({
      field: "connection",
      rule: "must be an object (baseUrl, clientId, clientSecret…), or left out for a client of local work only",
    });
  const platform: unknown = connection.platform;
  if (platform !== undefined && platform !== "seed" && platform !== "cxone")
    throw new InputError({ field: "connection.platform", rule: 'must be "seed" or "cxone"' });
  if (platform === "cxone") {
    const c = check("productionConnection", connection, "connection");
    const auth = check("auth", connection.auth ?? {}, "connection.auth");
    const login = resolveLogin(auth.mode, c.clientId, c.clientSecret);
    if (login === "application" && !(c.clientId && c.clientSecret))
      throw new InputError({
        field: "connection.clientId",
        rule: "the application login (auth.mode application) needs clientId and clientSecret",
      });
    return productionConnectionOf(login, {
      ...c,
      auth,
      tenantProfile: c.tenantProfile ? path.resolve(c.tenantProfile) : undefined,
    });
  }
  const c = check("seedConnection", connection, "connection");
  return seedConnectionOf({ ...c, auth: check("auth", connection.auth ?? {}, "connection.auth") });
}

/**
 * The audit records' actor: the person or automation (issue 62 §4) beside the API user whose
 * credentials made the request, e.g. `cli:olivia@host (api CEKHPU65…)`.
 */
function actorOf(actor: unknown, apiUser: string | undefined): string {
  if (actor === undefined) return apiUser ?? "unknown";
  if (!isActorText(actor, ACTOR_MAX))
    throw new InputError({
      field: "actor",
      rule: `must be a name of 1-${ACTOR_MAX} characters without control characters, e.g. cron:nightly-export`,
    });
  return apiUser === undefined ? actor : `${actor} (api ${apiUser})`;
}

/** `createClient({consent})`, checked with the config file's own rule. */
function consentOf(
  consent: unknown,
  check: OptionCheck,
): {
  cxoneDncGroup?: string;
  seller?: string;
  agentDoNotCall?: "number" | "account";
} {
  const parsed = check("consent", consent, "consent");
  return {
    ...(parsed.cxoneDncGroup ? { cxoneDncGroup: parsed.cxoneDncGroup } : {}),
    ...(parsed.seller ? { seller: parsed.seller } : {}),
    ...(parsed.agentDoNotCall ? { agentDoNotCall: parsed.agentDoNotCall } : {}),
  };
}

function connectionInfo(connection: PlatformConnection): ClientConnectionInfo {
  return connection.platform === "cxone"
    ? {
        platform: "cxone",
        login: connection.login,
        issuer: connection.issuer,
        clientId: connection.clientId,
        tenantId: connection.tenantId,
        apiVersion: connection.apiVersion,
      }
    : {
        platform: "seed",
        baseUrl: connection.baseUrl,
        tokenUrl: connection.tokenUrl,
        clientId: connection.clientId,
      };
}

/** The adapter choices given, over those of the tenant profile (when one is named). */
function productionChoices(connection: ProductionConnectionOptions): Record<string, unknown> {
  const given = connection.productionApi ?? {};
  if (!connection.tenantProfile) return given;
  const profiled = readTenantProfile(path.resolve(connection.tenantProfile)).settings.productionApi ?? {};
  return { ...profiled, ...given };
}

function dispatcherOf(http: HttpOptions | undefined, parts: ClientParts): Dispatcher | undefined {
  if (http?.dispatcher) return http.dispatcher;
  if (!http?.proxy) return undefined;
  if (!parts.proxyAgent) throw new TypeError("no way to make a proxy agent (http.proxy) was given");
  return parts.proxyAgent(http.proxy, http.connections ?? 64);
}

/**
 * A client from `options` (what `createClient` does), reaching its platform through `connect`:
 * the function for the platform the options name must be there (TypeError otherwise). Its port
 * and HTTP core are not on it: `internalsOf(client)` has them.
 */
/**
 * The client's `close()`: once (`close()` and a disposing `await using` scope may both call it),
 * the runtime first, then what the port opened on CXone, the HTTP core and a dispatcher the
 * client made itself.
 */
function closerOf(
  runtime: ClientRuntime,
  port: { close?(): Promise<void> },
  core: { close(): Promise<void> },
  ownDispatcher: { close(): Promise<void> } | undefined,
  logger: CreateClientOptions["logger"],
): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= (async () => {
      try {
        await runtime.close();
      } finally {
        // Before the HTTP core goes: ending what the port opened (agent sessions) takes requests.
        await port
          .close?.()
          .catch((error: unknown) =>
            logger?.warn({ err: error }, "closing the client: could not end what it opened on CXone"),
          );
        await core.close();
        await ownDispatcher?.close();
      }
    })();
    return closing;
  };
}

export function buildClient(
  options: CreateClientOptions,
  parts: ClientParts,
  local?: LocalOnly,
): CxoneClient {
  const { connect, check } = parts;
  if (typeof options !== "object" || options === null)
    throw new InputError({ field: "options", rule: "must be an object with a connection" });
  // No connection: a client for local work, whose CXone calls refuse (ConnectionMissingError).
  const missing = options.connection === undefined ? (local?.missing ?? sdkConnectionMissing()) : undefined;
  const connection = missing ? undefined : resolveConnection(options.connection as ConnectionOptions, check);
  const groupCommitMs =
    options.groupCommitMs === undefined
      ? undefined
      : check("groupCommitMs", options.groupCommitMs, "groupCommitMs");
  // The consent settings, by the config file's own rules (ages included), before anything opens.
  const consent = options.consent ? consentOf(options.consent, check) : undefined;
  const maxAge = options.consent?.cxoneDncMaxAgeMinutes;
  const dispositionsAge = options.consent?.dispositionsMaxAgeMinutes;
  const clock = clockOf(options.clock);
  const effectiveDates = effectiveDatesOf(options.rules);
  if (connection?.clientSecret) registerSecret(connection.clientSecret);
  if (connection?.platform === "cxone") registerSecret(connection.accessKeySecret);
  const onHttpEvent =
    options.onHttpEvent === undefined ? undefined : check("onHttpEvent", options.onHttpEvent, "onHttpEvent");
  const { dispatcher: _d, proxy: _p, onExchange: _o, ...httpOverrides } = options.http ?? {};
  const proxied = dispatcherOf(options.http, parts);
  const ownsDispatcher = proxied !== undefined && options.http?.dispatcher === undefined;
  const coreOptions: SharedHttpOptions = {
    http: check("http", httpOverrides, "http"),
    rateLimits: options.rateLimits ?? {},
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(proxied ? { dispatcher: proxied } : {}),
    ...(options.http?.onExchange ? { onExchange: options.http.onExchange } : {}),
    ...(onHttpEvent ? { onHttpEvent } : {}),
    // One count of calls for every core of the client (CXone's, the RND's): one listener, no twin numbers.
    requestNumbers: requestNumbers(),
    // The business unit's name labels its HTTP metrics (checked with the store options below).
    ...(typeof options.tenant === "string" ? { tenantName: options.tenant } : {}),
  };
  const { core, port } = !connection
    ? disconnectedPlatform(local?.platform ?? "seed", missing as ConnectionMissingError)
    : connection.platform === "cxone"
      ? connector(connect.cxone, "cxone")(
          connection,
          coreOptions,
          check(
            "productionApi",
            options.connection?.platform === "cxone" ? productionChoices(options.connection) : {},
            "connection.productionApi",
          ),
        )
      : connector(connect.seed, "seed")(connection, coreOptions);
  const store = tenantStoreOptions(options);
  const runtime = new ClientRuntime({
    port,
    core,
    ...store,
    ...(groupCommitMs === undefined ? {} : { groupCommitMs }),
    actor: actorOf(options.actor, connection ? apiUserLabel(connection) : undefined),
    ...(missing ? { missingConnection: missing } : {}),
    destinations: options.destinations ?? {},
    ...(options.audit === undefined ? {} : { audit: check("audit", options.audit, "audit") }),
    ...(consent ? { consent } : {}),
    ...(options.compliance ? complianceOf(check("compliance", options.compliance, "compliance")) : {}),
    ...(maxAge === undefined ? {} : { cxoneDncMaxAgeMinutes: maxAge }),
    ...(dispositionsAge === undefined ? {} : { dispositionsMaxAgeMinutes: dispositionsAge }),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.onRedrive ? { onRedrive: options.onRedrive } : {}),
    ...(options.consentPeers ? { consentPeers: options.consentPeers } : {}),
    ...(options.rnd === undefined ? {} : { rnd: rndRuntimeOf(options.rnd, coreOptions, check) }),
    ...(options.tsr === undefined ? {} : { tsr: check("tsr", options.tsr, "tsr") }),
    ...(effectiveDates ? { effectiveDates } : {}),
    ...(clock ? { clock } : {}),
  });
  const close = closerOf(runtime, port, core, ownsDispatcher ? proxied : undefined, options.logger);
  // Every group's methods pass through the one closed-client guard (closed-guard.ts).
  const guarded = <G extends object>(group: G): G => guardGroup(group, () => runtime.isClosed, runtime.calls);
  const campaigns = guarded(campaignsGroup(runtime));
  const outcomes = guarded(outcomesGroup(runtime));
  const base: CxoneBaseClient = {
    access: guarded(accessGroup(runtime)),
    dispositions: guarded(dispositionsGroup(runtime)),
    interactions: guarded(interactionsGroup(runtime)),
    campaigns,
    compliance: guarded(complianceGroup(runtime)),
    consent: guarded(consentGroup(runtime)),
    touches: guarded(touchesGroup(runtime)),
    callbacks: guarded(callbacksGroup(runtime)),
    callerId: guarded(callerIdGroup(runtime)),
    dialer: guarded(dialerGroup(runtime)),
    outcomes,
    doctor: guarded(doctorGroup(runtime)),
    // A plan's `{ listId }` is read through the client's own contacts listing, a learn's or an
    // evaluation's `{ campaignId, from, to }` through its outcomes listing.
    strategy: guarded(
      strategyGroup(
        runtime,
        (listId, options) => campaigns.contacts(listId, undefined, options),
        (query, options) => outcomes.list(query, options),
      ),
    ),
    rnd: guarded(rndGroup(runtime)),
    audit: guarded(auditGroup(runtime)),
    outbox: guarded(outboxGroup(runtime)),
    connection: connection
      ? connectionInfo(connection)
      : { platform: "none", missing: (missing as ConnectionMissingError).setting },
    dataDir: store.dataDir,
    unsupported: (operation) => unsupportedOn(port, operation),
    close,
    [Symbol.asyncDispose]: close,
  };
  registerInternals(base, { port, core, runtime });
  return withApplications(base, parts.applications, guarded);
}

/** The applications' groups on the client itself (its internals stay registered to it), each behind the guard. */
function withApplications(
  base: CxoneBaseClient,
  applications: ApplicationsOver,
  guarded: <G extends object>(group: G) => G,
): CxoneClient {
  const groups = Object.entries(applications(base)).map(([name, group]) => [name, guarded(group as object)]);
  return Object.assign(base, Object.fromEntries(groups)) as CxoneClient;
}

/**
 * `buildClient` for options made from loaded settings (`clientOptionsFromSettings`,
 * `localClientOptionsFromSettings`: what the CLI uses), with only what they need imported: the
 * options' platform adapter (none without a connection), undici for a proxy. The settings schema
 * checked those options already (with the schemas `createClient` checks them with), so they are
 * not checked again and zod is not loaded: a client built for local work — a compliance check,
 * once a number — loads none of these.
 */
export async function openInternalClient(
  options: CreateClientOptions,
  applications: ApplicationsOver,
  local?: LocalOnly,
): Promise<InternalClient> {
  const given = (options as Partial<CreateClientOptions> | null)?.connection;
  // Without a connection no adapter is needed (nor loaded).
  const connect: PlatformConnectors =
    given === undefined
      ? {}
      : given.platform === "cxone"
        ? { cxone: (await import("../platform/cxone/connect.ts")).connectProductionApi }
        : { seed: (await import("../platform/seed-api/connect.ts")).connectSeedApi };
  const proxyAgent = options.http?.proxy
    ? proxyAgentOf((await import("../core/http/undici.ts")).ProxyAgent)
    : undefined;
  return internalsOf(
    buildClient(
      options,
      { connect, applications, check: settledOption, ...(proxyAgent ? { proxyAgent } : {}) },
      local,
    ),
  );
}

/** `ClientParts.proxyAgent` of undici's ProxyAgent class. */
export function proxyAgentOf(
  ProxyAgent: new (options: { uri: string; connections: number }) => Dispatcher,
): (uri: string, connections: number) => Dispatcher {
  return (uri, connections) => new ProxyAgent({ uri, connections });
}

/**
 * Where a client's store is: the options' own, else the tenant's namespace (its directory under
 * `./.cxo/tenants`, its PostgreSQL schema), else the single-business-unit default.
 */
function tenantStoreOptions(options: CreateClientOptions): {
  dataDir: string;
  tenant?: string;
  databaseUrl?: string;
  databaseSchema?: string;
} {
  const { tenant, databaseSchema } = options;
  if (tenant !== undefined && (typeof tenant !== "string" || !TENANT_NAME_PATTERN.test(tenant)))
    throw new InputError({ field: "tenant", rule: TENANT_NAME_RULE });
  if (databaseSchema !== undefined && !DATABASE_SCHEMA_PATTERN.test(databaseSchema))
    throw new InputError({
      field: "databaseSchema",
      rule: "must be a lowercase SQL identifier (letters, digits, '_')",
    });
  const own = tenant ? tenantStoreOf(tenant, { ownDataDir: options.dataDir }) : undefined;
  const schema = databaseSchema ?? own?.schema;
  return {
    dataDir: path.resolve(own?.dataDir ?? options.dataDir ?? DEFAULT_DATA_DIR),
    ...(tenant ? { tenant } : {}),
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.databaseUrl && schema ? { databaseSchema: schema } : {}),
  };
}

/**
 * The compliance settings a runtime keeps: the registrations, and the skills' declared voices
 * (absent from options made from settings that declare none).
 */
function complianceOf(
  compliance: Omit<CheckedOptions["compliance"], "skills"> &
    Partial<Pick<CheckedOptions["compliance"], "skills">>,
) {
  const skills = compliance.skills ?? {};
  return {
    registrations: compliance.registrations,
    ...(Object.keys(skills).length > 0 ? { skillVoices: skills } : {}),
    ...(compliance.ukCallingHours === undefined ? {} : { ukCallingHours: compliance.ukCallingHours }),
  };
}

/** `clock`, checked: an object whose `now()` answers an instant, with both halves of a schedule or neither (InputError naming the field). */
function clockOf(clock: unknown): ClientClock | undefined {
  if (clock === undefined) return undefined;
  const now = (clock as { now?: unknown } | null)?.now;
  const rule = "must be an object whose now() answers milliseconds since the epoch (a real instant)";
  if (typeof now !== "function") throw new InputError({ field: "clock", rule });
  const first = (now as () => unknown).call(clock);
  if (typeof first !== "number" || !Number.isFinite(first) || Number.isNaN(new Date(first).getTime()))
    throw new InputError({ field: "clock", rule });
  const { setTimeout: schedule, clearTimeout: cancel } = clock as Partial<Record<string, unknown>>;
  if (schedule !== undefined || cancel !== undefined)
    for (const [field, given] of [
      ["clock.setTimeout", schedule],
      ["clock.clearTimeout", cancel],
    ] as const)
      if (typeof given !== "function")
        throw new InputError({
          field,
          rule: "must be a function: a clock's schedule is setTimeout and clearTimeout, both or neither",
        });
  return clock as ClientClock;
}

/** `rules.effectiveDates`, checked: known rule ids, dates with their year (InputError naming each). */
function effectiveDatesOf(rules: CreateClientOptions["rules"]): Record<string, string> | undefined {
  if (rules === undefined) return undefined;
  if (typeof rules !== "object" || rules === null)
    throw new InputError({ field: "rules", rule: "must be an object, e.g. { effectiveDates: {...} }" });
  const problems = effectiveDatesProblems(rules.effectiveDates);
  if (problems.length > 0) throw new InputError(problems);
  return rules.effectiveDates === undefined ? undefined : effectiveDatesText(rules.effectiveDates);
}

export {
  clientOptionsFromSettings,
  type LocalOnly,
  localClientOptionsFromSettings,
} from "./options-from-settings.ts";

/** The client's RND settings checked (InputError naming `rnd.…`), its port made on first use. */
function rndRuntimeOf(
  given: RndClientOptions,
  shared: SharedHttpOptions,
  check: OptionCheck,
): RndRuntimeOptions {
  const rnd = check("rnd", given, "rnd");
  registerSecret(rnd.clientSecret);
  return {
    batchSize: rnd.batchSize,
    maxAgeDays: rnd.maxAgeDays,
    noData: rnd.noData,
    connect: async () => {
      const { connectRnd } = await import("../platform/rnd/client.ts");
      // Its own limiters (the RND's host and caller), the client's HTTP settings and logger.
      const { limits: _limits, ...http } = shared;
      return connectRnd(rnd, http);
    },
  };
}
