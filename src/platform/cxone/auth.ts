import type { ProductionConnection } from "../../core/config/load.ts";
import { type AttemptContext, runAttempts, unwatchedAttempts } from "../../core/http/attempt-loop.ts";
import { AuthError } from "../../core/http/errors.ts";
import type { OAuthTokenProvider, TokenGrant } from "../../core/http/token-provider.ts";
import type { Transport } from "../../core/http/transport.ts";
import { registerSecret, registerToken } from "../../core/logging/secrets.ts";
import {
  DISCOVERY_LIMITS,
  type DiscoveryLimits,
  discoverOpenId,
  discoverTenant,
  type OpenIdConfiguration,
  type TenantConfiguration,
} from "./discovery.ts";

/**
 * NICE's access-key login without a registered application (UserHub; what most tenants'
 * administrators can set up): `POST {accessKeyUrl}` with `{accessKeyId, accessKeySecret}` as
 * JSON answers an OAuth-shaped token. Renewal repeats this login before the token expires (the
 * reference's recommendation: one code path, the key does not expire), under the HTTP core's
 * single-flight cache, renewal margin and 401 handling. The tenant's API is then found from the
 * token's `tenantId` through the issuer's `cxone-configuration`, as for the application login.
 */
export function accessKeyGrant(connection: ProductionConnection): TokenGrant {
  registerSecret(connection.accessKeySecret);
  return {
    rejectionHint:
      "the access key id and secret (the API user's access key) and the access-key login URL (its area)",
    unreachableHint: `the access-key login URL ${connection.accessKeyUrl} (setting cxone.accessKeyUrl, env CXONE_ACCESS_KEY_URL; else built from the area, CXONE_AREA)`,
    prepare() {
      return {
        url: connection.accessKeyUrl,
        headers: { accept: "application/json", "content-type": "application/json" },
        body: JSON.stringify({
          accessKeyId: connection.accessKeyId,
          accessKeySecret: connection.accessKeySecret,
        }),
      };
    },
  };
}

/**
 * NICE's back-end app auth: OpenID discovery → password grant with the API user's access key
 * (client auth Basic or in the body, as configured and as the issuer allows) → the tenant id
 * from the token's claims → the tenant's discovery document → its API endpoint. The HTTP core's
 * token provider keeps its single-flight cache, renewal margin and 401 handling; this file only
 * says how a token request looks and where the API lives.
 */
export function passwordGrant(
  connection: ProductionConnection,
  transport: Transport,
  limits: DiscoveryLimits = DISCOVERY_LIMITS,
  /** The client's clock, random source, listeners and count of calls: what the discovery reads run on. */
  attempts?: AttemptContext,
): TokenGrant {
  const clientId = connection.clientId ?? "";
  const clientSecret = connection.clientSecret ?? "";
  registerSecret(connection.accessKeySecret);
  registerSecret(clientSecret);
  let discovered: Promise<OpenIdConfiguration> | undefined;
  return {
    rejectionHint:
      "the client id and secret (the registered back-end app) and the access key id and secret (the API user's access key)",
    async prepare(signal) {
      discovered ??= discoverOpenId(transport, connection.issuer, signal, limits, attempts).catch(
        (error: unknown) => {
          discovered = undefined; // a failed discovery is tried again by the next token request
          throw error;
        },
      );
      const openId = await discovered;
      const fields: Record<string, string> = {
        grant_type: "password",
        username: connection.accessKeyId,
        password: connection.accessKeySecret,
      };
      const headers: Record<string, string> = {
        accept: "application/json",
        "content-type": "application/x-www-form-urlencoded",
      };
      if (clientAuthOf(connection, openId) === "basic") {
        const basic = Buffer.from(`${clientId}:${clientSecret}`).toString("base64");
        registerSecret(basic);
        headers.authorization = `Basic ${basic}`;
      } else {
        fields.client_id = clientId;
        fields.client_secret = clientSecret;
      }
      return { url: openId.tokenEndpoint, headers, body: new URLSearchParams(fields).toString() };
    },
  };
}

/**
 * The client auth: the configured one always (an application can be registered for
 * `client_secret_post` while discovery lists only `client_secret_basic`); unset, the issuer's
 * listed methods decide (Basic when it lists it or lists nothing).
 */
export function clientAuthOf(
  connection: Pick<ProductionConnection, "auth">,
  openId: OpenIdConfiguration,
): "basic" | "post" {
  const configured = connection.auth.credentials;
  if (configured) return configured === "body" ? "post" : "basic";
  const methods = openId.authMethods;
  if (methods.length === 0 || methods.includes("client_secret_basic")) return "basic";
  return methods.includes("client_secret_post") ? "post" : "basic";
}

/** What the access token says about the caller (never the token itself). */
export interface TokenClaims {
  tenantId: string | undefined;
  role: string | undefined;
  subject: string | undefined;
  clusterId: string | undefined;
  expiresAt: number | undefined;
}

/** Reads a JWT's payload (no signature check: the token came straight from the issuer over TLS). */
export function claimsOf(token: string): TokenClaims {
  let payload: Record<string, unknown> = {};
  try {
    const part = token.split(".")[1];
    if (part)
      payload = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    payload = {};
  }
  const text = (value: unknown) =>
    typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined;
  const role = payload.role as { legacyId?: unknown; id?: unknown } | string | undefined;
  return {
    tenantId: text(payload.tenantId),
    role: typeof role === "object" && role !== null ? (text(role.legacyId) ?? text(role.id)) : text(role),
    subject: text(payload.sub),
    clusterId: text(payload.icClusterId),
    expiresAt: typeof payload.exp === "number" ? payload.exp * 1000 : undefined,
  };
}

/**
 * The tenant's API base (`{api_endpoint}/inContactAPI/services`), resolved once: from the
 * `cxone.baseUrl` override, else from the tenant discovery of the token's tenant.
 */
export class ProductionSession {
  private discovered: Promise<TenantConfiguration> | undefined;
  readonly connection: ProductionConnection;
  readonly tokens: OAuthTokenProvider;
  private readonly transport: Transport;
  private readonly limits: DiscoveryLimits;
  private readonly attempts: AttemptContext | undefined;

  /**
   * `attempts`: the client's clock, random source, listeners and count of calls (its HTTP core's),
   * what the discovery reads run on and are told to.
   */
  constructor(
    connection: ProductionConnection,
    tokens: OAuthTokenProvider,
    transport: Transport,
    limits: DiscoveryLimits = DISCOVERY_LIMITS,
    attempts?: AttemptContext,
  ) {
    this.connection = connection;
    this.tokens = tokens;
    this.transport = transport;
    this.limits = limits;
    this.attempts = attempts;
  }

  async claims(signal?: AbortSignal): Promise<TokenClaims> {
    return claimsOf(await this.tokens.getToken(signal));
  }

  async tenantId(signal?: AbortSignal): Promise<string> {
    const claimed = (await this.claims(signal)).tenantId;
    const configured = this.connection.tenantId;
    if (configured && claimed && configured !== claimed) {
      throw new AuthError(
        `the access key belongs to tenant ${claimed}, not to the configured cxone.tenantId ${configured}`,
      );
    }
    const tenant = configured ?? claimed;
    if (!tenant)
      throw new AuthError(
        "the access token carries no tenantId claim; set cxone.tenantId (CXONE_TENANT_ID) or cxone.baseUrl (CXONE_BASE_URL)",
      );
    return tenant;
  }

  /**
   * One login with `mode`'s grant, its token not kept (doctor: does each configured way in
   * work?). The answer's status; 0 when no answer came. The token is scrubbed from any output.
   */
  async tryLogin(mode: "access-key" | "application", signal?: AbortSignal): Promise<number> {
    const grant =
      mode === "access-key"
        ? accessKeyGrant(this.connection)
        : passwordGrant(this.connection, this.transport, this.limits, this.attempts);
    try {
      // One attempt through the attempt loop: told to the client's listeners as any login is.
      return await runAttempts<number>({
        context: this.attempts ?? unwatchedAttempts(),
        group: "token",
        method: "POST",
        endpoint: "POST token endpoint",
        transport: this.transport,
        signal,
        // One try: the probe asks whether the way in works, not to get in.
        maxAttempts: 1,
        deadlineMs: this.limits.deadlineMs,
        hasIdempotencyKey: true,
        backoffBaseMs: 0,
        backoffCapMs: 0,
        attemptTimeoutMs: () => this.limits.attemptMs,
        prepare: async () => {
          const request = await grant.prepare(signal);
          const url = URL.parse(request.url);
          return {
            request: { ...request, method: "POST" },
            ...(url ? { endpoint: `POST ${url.pathname}` } : {}),
          };
        },
        answered: (answer) => {
          registerToken(/"access_token"\s*:\s*"([^"]+)"/.exec(answer.text)?.[1]);
          return answer.status;
        },
        giveUp: () => new Error("no answer"),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      return 0;
    }
  }

  /** The issuer's OpenID discovery document, read afresh (doctor: which client auth it lists). */
  openIdConfiguration(signal?: AbortSignal): Promise<OpenIdConfiguration> {
    return discoverOpenId(this.transport, this.connection.issuer, signal, this.limits, this.attempts);
  }

  /** The tenant discovery document of any tenant id (doctor: what an unknown tenant gets). */
  tenantConfiguration(tenantId: string, signal?: AbortSignal): Promise<TenantConfiguration> {
    return discoverTenant(
      this.transport,
      this.connection.issuer,
      tenantId,
      signal,
      this.limits,
      this.attempts,
    );
  }

  /** The tenant's own discovery document, read once and shared (the API endpoint and area). */
  discovery(signal?: AbortSignal): Promise<TenantConfiguration> {
    this.discovered ??= (async () => {
      const tenant = await this.tenantId(signal);
      return discoverTenant(
        this.transport,
        this.connection.issuer,
        tenant,
        signal,
        this.limits,
        this.attempts,
      );
    })().catch((error: unknown) => {
      this.discovered = undefined;
      throw error;
    });
    return this.discovered;
  }

  /** `https://api-na1.niceincontact.com` (no trailing slash). */
  async endpoint(signal?: AbortSignal): Promise<string> {
    if (this.connection.apiEndpoint) return this.connection.apiEndpoint;
    return (await this.discovery(signal)).apiEndpoint;
  }
}
