import type { ProductionConnection } from "../../core/config/load.ts";
import type { ProductionApiSettings } from "../../core/config/schema.ts";
import { readTenantProfile } from "../../core/config/tenant-profile.ts";
import { type CxoneHttp, createCxoneHttp, type SharedHttpOptions } from "../../core/http/create.ts";
import type { CxonePort } from "../port.ts";
import { createProductionPort } from "./adapter.ts";
import { ProductionApi } from "./api.ts";
import { accessKeyGrant, ProductionSession, passwordGrant } from "./auth.ts";
import { discoveryLimits } from "./discovery.ts";
import { checkProfileFacts } from "./doctor/facts.ts";
import { PRODUCTION_GROUP_LIMITS } from "./rate-limits.ts";

/**
 * A client's way to the production API: an access-key or password grant at the issuer, the API
 * host discovered after the first token. A file of its own so that a client of the other
 * platform never loads this adapter.
 */
export function connectProductionApi(
  connection: ProductionConnection,
  core: SharedHttpOptions,
  choices: ProductionApiSettings,
): { core: CxoneHttp; port: CxonePort } {
  // The tenant profile's facts (its settings are already in `choices`): what doctor checks
  // against. Read first: a bad profile is bad input, before anything is opened or sent.
  const facts = connection.tenantProfile
    ? checkProfileFacts(readTenantProfile(connection.tenantProfile).facts, connection.tenantProfile)
    : {};
  // The discovery documents go through the same connection pool as the API calls, within the
  // configured per-attempt timeout and deadline.
  const limits = discoveryLimits(core.http);
  const http = createCxoneHttp({
    ...core,
    // NICE publishes no limits: conservative defaults that adapt on 429 (rate-limits.ts).
    groupDefaults: PRODUCTION_GROUP_LIMITS,
    // Every request path is absolute (the API host is discovered after the first token).
    // Limiters are shared per tenant: the issuer and whoever logs in name it until discovery.
    connection: {
      ...connection,
      baseUrl: "",
      tokenUrl: connection.issuer,
      clientId: connection.clientId ?? connection.accessKeyId,
      clientSecret: "",
    },
    // The discovery reads run on the client's clock and random source, and are told to its
    // listeners under numbers of its count, as its token requests and API calls are.
    grant: (transport, attempts) =>
      connection.login === "access-key"
        ? accessKeyGrant(connection)
        : passwordGrant(connection, transport, limits, attempts),
  });
  // The session's own reads (discovery, the tenant's host) share the core's pool and attempt context.
  const session = new ProductionSession(connection, http.tokens, http.transport, limits, http.attempts);
  const api = new ProductionApi(http.http, session, connection.apiVersion, core.logger);
  return { core: http, port: createProductionPort(api, connection, choices, facts) };
}
