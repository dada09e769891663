import { requirePlatformConnection } from "../core/config/connection.ts";
import { ConfigError } from "../core/config/errors.ts";
import type { Settings } from "../core/config/schema.ts";
import { ConnectionMissingError } from "../core/connection-missing-error.ts";
import { InputError } from "../core/input-error.ts";
import type {
  ConnectionOptions,
  CreateClientOptions,
  RndClientOptions,
  TsrClientOptions,
} from "./client-types.ts";
import type { OptionCheck } from "./option-checks.ts";

// The client options settings describe (build-client.ts builds the client from them).

/**
 * The check of options made here (`openInternalClient`'s): none. Settings are checked when they
 * are loaded, by the schemas `createClient` checks its options with (client-schema.ts, composed
 * into the settings schema) or by the quick path that accepts only what they accept unchanged;
 * each option made of them is what its schema outputs, so checking it again (and loading zod for
 * that) would change nothing. test/sdk/settled-options.test.ts holds them to it.
 */
export const settledOption: OptionCheck = (_name, value) => value as never;

/**
 * A client built without a connection (the CLI's, from settings that name none): the platform
 * the settings select, and the error its CXone calls refuse with (naming the missing setting).
 */
export interface LocalOnly {
  platform: "seed" | "cxone";
  missing: ConnectionMissingError;
}

/**
 * The client options the resolved settings describe (what the CLI and the service use after
 * `loadSettings()`). Raises ConfigError when the connection settings are missing.
 */
export function clientOptionsFromSettings(settings: Settings): CreateClientOptions {
  checkSettings(settings);
  return optionsOfSettings(settings, connectionOfSettings(settings));
}

/**
 * The client options of the settings as `clientOptionsFromSettings` makes them, with or without
 * a connection (the CLI's one client for every command): settings that name no complete
 * connection give options without one, and `local` says which setting is missing — the client's
 * CXone calls refuse with a ConnectionMissingError carrying the ConfigError's words.
 */
export function localClientOptionsFromSettings(settings: Settings): {
  options: CreateClientOptions;
  local?: LocalOnly;
} {
  checkSettings(settings);
  let connection: ConnectionOptions;
  try {
    connection = connectionOfSettings(settings);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return {
      options: optionsOfSettings(settings, undefined),
      local: {
        platform: settings.cxone.platform,
        missing: new ConnectionMissingError(error.setting, error.message, { cause: error }),
      },
    };
  }
  return { options: optionsOfSettings(settings, connection) };
}

function checkSettings(settings: Settings): void {
  if (typeof settings !== "object" || settings === null || typeof settings.cxone !== "object")
    throw new InputError({ field: "settings", rule: "must be what loadSettings() returns" });
}

function connectionOfSettings(settings: Settings): ConnectionOptions {
  const resolved = requirePlatformConnection(settings);
  return resolved.platform === "cxone"
    ? { ...resolved, productionApi: settings.cxone.productionApi }
    : resolved;
}

function optionsOfSettings(
  settings: Settings,
  connection: ConnectionOptions | undefined,
): CreateClientOptions {
  return {
    ...(connection ? { connection } : {}),
    dataDir: settings.dataDir,
    ...(settings.tenant ? { tenant: settings.tenant } : {}),
    ...(settings.store.url ? { databaseUrl: settings.store.url } : {}),
    ...(settings.store.schema ? { databaseSchema: settings.store.schema } : {}),
    groupCommitMs: settings.store.groupCommitMs,
    http: settings.http,
    rateLimits: settings.rateLimits,
    destinations: settings.destinations,
    audit: settings.audit,
    ...(settings.consent
      ? {
          consent: {
            ...(settings.consent.cxoneDncGroup ? { cxoneDncGroup: settings.consent.cxoneDncGroup } : {}),
            ...(settings.consent.seller ? { seller: settings.consent.seller } : {}),
            cxoneDncMaxAgeMinutes: settings.consent.cxoneDncMaxAgeMinutes,
            dispositionsMaxAgeMinutes: settings.consent.dispositionsMaxAgeMinutes,
            ...(settings.consent.agentDoNotCall ? { agentDoNotCall: settings.consent.agentDoNotCall } : {}),
          },
        }
      : {}),
    ...complianceOptionsFromSettings(settings),
    ...rndOptionsFromSettings(settings),
    ...tsrOptionsFromSettings(settings),
    ...(Object.keys(settings.rules?.effectiveDates ?? {}).length > 0
      ? { rules: { effectiveDates: settings.rules.effectiveDates } }
      : {}),
  };
}

/** `compliance.registrations` and `compliance.skills` as client options (none when both are empty). */
function complianceOptionsFromSettings(settings: Settings): Pick<CreateClientOptions, "compliance"> {
  const registrations = settings.compliance?.registrations ?? {};
  const skills = settings.compliance?.skills ?? {};
  const hours = settings.compliance?.ukCallingHours;
  if (Object.keys(registrations).length === 0 && Object.keys(skills).length === 0 && hours === undefined)
    return {};
  return {
    compliance: {
      registrations,
      ...(Object.keys(skills).length > 0 ? { skills } : {}),
      ...(hours === undefined ? {} : { ukCallingHours: hours }),
    },
  };
}

/** `compliance.tsr` as client options (none when nothing is set). */
function tsrOptionsFromSettings(settings: Settings): { tsr?: TsrClientOptions } {
  const tsr = settings.compliance?.tsr;
  if (!tsr) return {};
  const { campaigns, ...defaults } = tsr;
  if (Object.keys(campaigns).length === 0 && Object.values(defaults).every((v) => v === undefined)) return {};
  return { tsr: tsr as TsrClientOptions };
}

/** `compliance.rnd` as client options (none without a URL); a URL without credentials is a ConfigError. */
function rndOptionsFromSettings(settings: Settings): { rnd?: RndClientOptions } {
  const rnd = settings.compliance?.rnd;
  if (!rnd?.url) return {};
  for (const [key, env] of [
    ["clientId", "CXO_RND_CLIENT_ID"],
    ["clientSecret", "CXO_RND_CLIENT_SECRET"],
  ] as const)
    if (!rnd[key])
      throw new ConfigError(
        `compliance.rnd.${key}`,
        "is required when compliance.rnd.url is set",
        `${env}, or compliance.rnd.${key} in the config file`,
      );
  return {
    rnd: {
      url: rnd.url,
      ...(rnd.tokenUrl ? { tokenUrl: rnd.tokenUrl } : {}),
      clientId: rnd.clientId as string,
      clientSecret: rnd.clientSecret as string,
      batchSize: rnd.batchSize,
      maxAgeDays: rnd.maxAgeDays,
      noData: rnd.noData,
    },
  };
}
