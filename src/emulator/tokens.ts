import { randomBytes } from "node:crypto";

import { clockNowMs } from "../core/clock/now.ts";
/**
 * Issued bearer tokens. Tokens are opaque random strings (nothing for a client to parse); an
 * `expireTokens` fault bumps the generation so every token issued before it answers 401 until
 * the client fetches a new one.
 */
export interface TokenGrant {
  clientId: string;
  scopes: string[];
  expiresAt: number;
  generation: number;
}

export type TokenCheck =
  | { ok: true; grant: TokenGrant }
  | { ok: false; reason: "unknown" | "expired" | "revoked" };

export class TokenStore {
  private readonly ttlMs: number;
  private readonly grants = new Map<string, TokenGrant>();
  private generation = 0;

  constructor(ttlSeconds: number) {
    this.ttlMs = ttlSeconds * 1000;
  }

  issue(clientId: string, scopes: string[], now = clockNowMs()): { token: string; expiresIn: number } {
    if (this.grants.size > 200_000) this.prune(now);
    const token = randomBytes(24).toString("base64url");
    this.grants.set(token, { clientId, scopes, expiresAt: now + this.ttlMs, generation: this.generation });
    return { token, expiresIn: Math.round(this.ttlMs / 1000) };
  }

  check(token: string, now = clockNowMs()): TokenCheck {
    const grant = this.grants.get(token);
    if (!grant) return { ok: false, reason: "unknown" };
    if (grant.generation !== this.generation) return { ok: false, reason: "revoked" };
    if (grant.expiresAt <= now) return { ok: false, reason: "expired" };
    return { ok: true, grant };
  }

  /** Every token issued so far stops working. */
  revokeAll(): void {
    this.generation += 1;
  }

  private prune(now: number): void {
    for (const [token, grant] of this.grants) {
      if (grant.expiresAt <= now || grant.generation !== this.generation) this.grants.delete(token);
    }
  }
}
