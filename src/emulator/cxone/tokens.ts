import { randomUUID } from "node:crypto";
import { clockNowMs } from "../../core/clock/now.ts";
import type { AccessKey, AppClient, Tenant } from "./data/model.ts";
import { signJwt, verifyJwt } from "./jwt.ts";
/**
 * Token issuance and checks for the production-API emulator: JWTs with the claims of the
 * reference (§B step 4). An access token is valid while unexpired and of the current
 * generation: the `expireTokens` fault bumps the generation, so every earlier one answers 401.
 */
export interface TokenSubject {
  client: AppClient;
  key: AccessKey;
  /** The team of the key's agent (NICE's user info reads `teamId` from the id_token). */
  teamId?: number;
}

export interface IssuedTokens {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  id_token: string;
  issued_token_type: "urn:ietf:params:oauth:token-type:access_token";
}

export interface AccessGrant {
  clientId: string;
  accessKeyId: string;
  readOnly: boolean;
  agentId: number;
}

export class CxoneTokens {
  ttlS: number;
  readonly refreshTtlS: number;
  private generation = 0;

  constructor(ttlS: number, refreshTtlS: number) {
    this.ttlS = ttlS;
    this.refreshTtlS = refreshTtlS;
  }

  issue(
    issuer: string,
    tenant: Tenant,
    businessUnitId: number,
    subject: TokenSubject,
    nowMs = clockNowMs(),
  ): IssuedTokens {
    const iat = Math.floor(nowMs / 1000);
    const { client, key } = subject;
    const common = {
      iss: issuer,
      aud: client.clientId,
      sub: `user:${key.userId}`,
      iat,
      gen: this.generation,
    };
    const access = signJwt({
      ...common,
      exp: iat + this.ttlS,
      jti: randomUUID(),
      tenantId: tenant.tenantId,
      tenant: tenant.tenantName,
      icBUId: businessUnitId,
      icClusterId: tenant.clusterId,
      icAgentId: key.agentId,
      role: key.role,
      ak: key.accessKeyId,
    });
    const refresh = signJwt({
      ...common,
      exp: iat + this.refreshTtlS,
      jti: randomUUID(),
      typ: "refresh",
      ak: key.accessKeyId,
    });
    // NICE's agent SDK reads its user from the id_token, not the access token
    // (auth-sdk `cxone-user.js:147-166`): the agent, business unit, cluster, tenant and team.
    const id = signJwt({
      ...common,
      exp: iat + this.ttlS,
      tenantId: tenant.tenantId,
      tenant: tenant.tenantName,
      icAgentId: key.agentId,
      icBUId: businessUnitId,
      icClusterId: tenant.clusterId,
      teamId: subject.teamId ?? null,
      name: key.description,
    });
    return {
      access_token: access,
      token_type: "Bearer",
      expires_in: this.ttlS,
      refresh_token: refresh,
      id_token: id,
      issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
    };
  }

  /** The claims of a valid token of the given kind, or why not. */
  check(token: string, kind: "access" | "refresh", nowMs = clockNowMs()): Record<string, unknown> | string {
    const claims = verifyJwt(token);
    if (!claims) return "not issued by this emulator";
    if ((claims.typ === "refresh") !== (kind === "refresh"))
      return `not a${kind === "access" ? "n access" : " refresh"} token`;
    // `expireTokens` ends access tokens early; a refresh token still works, as on the platform.
    if (kind === "access" && claims.gen !== this.generation) return "revoked";
    if (typeof claims.exp !== "number" || claims.exp * 1000 <= nowMs) return "expired";
    return claims;
  }

  revokeAll(): void {
    this.generation += 1;
  }
}
