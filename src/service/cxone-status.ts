import { clockNowMs } from "../core/clock/now.ts";
import type { HttpEvent } from "../core/http/events.ts";
import type { ClientConnectionInfo } from "../sdk/client-types.ts";

/**
 * The client reaches a CXone: its settings name a complete connection. A tenant's client always
 * exists (without a connection, the local client: its consent, compliance and evidence work runs;
 * its CXone calls refuse with ConnectionMissingError); what only CXone can do is started or
 * answered only when this holds, so a service without a connection says so as it always did.
 */
export function reachesCxone(client: { connection: ClientConnectionInfo }): boolean {
  return client.connection.platform !== "none";
}
/**
 * CXone reachability and token state for /api/health, learnt passively from the HTTP core's
 * events (so a health check never costs a CXone request or a token fetch). Never the token.
 * Every request is told, the login's included (its token requests and discovery reads, group
 * `token`): a login with no answer shows CXone unreachable, a refused one the token `refused`.
 */
export interface CxoneHealth {
  configured: boolean;
  /** true: the last request (a login's too) got an HTTP answer; false: it got none; null: nothing tried yet. */
  reachable: boolean | null;
  lastResponseAt: string | null;
  lastStatus: number | null;
  lastNetworkError: string | null;
  /**
   * `refused`: the last login was refused (its token request answered 400, 401 or 403: the
   * credentials), until a token is fetched; `invalidated`: CXone refused a token the client held.
   */
  token: { state: "none" | "valid" | "expired" | "invalidated" | "refused"; expiresAt: string | null };
}

/** A token request's answers that refuse the credentials (the rest are failures of the service). */
const LOGIN_REFUSED = new Set([400, 401, 403]);

export class CxoneStatus {
  private readonly configured: boolean;
  private reachable: boolean | null = null;
  private lastResponseMs: number | null = null;
  private lastStatus: number | null = null;
  private lastNetworkError: string | null = null;
  private tokenExpiresMs: number | null = null;
  private invalidated = false;
  private loginRefused = false;

  constructor(configured: boolean) {
    this.configured = configured;
  }

  readonly listener = (event: HttpEvent): void => {
    switch (event.type) {
      case "response":
        this.reachable = true;
        this.lastResponseMs = clockNowMs();
        this.lastStatus = event.status;
        this.lastNetworkError = null;
        // The login's POST (the token group's only one; its other requests are discovery reads).
        if (event.group === "token" && event.method === "POST" && LOGIN_REFUSED.has(event.status))
          this.loginRefused = true;
        break;
      case "network-error":
        this.reachable = false;
        this.lastNetworkError = event.code;
        break;
      case "token":
        if (event.action === "fetched") {
          this.reachable = true;
          this.invalidated = false;
          this.loginRefused = false;
          this.tokenExpiresMs =
            event.expiresInS === undefined ? null : clockNowMs() + event.expiresInS * 1000;
        } else this.invalidated = true;
        break;
      default:
        break;
    }
  };

  snapshot(now = clockNowMs()): CxoneHealth {
    const state = this.loginRefused
      ? "refused"
      : this.invalidated
        ? "invalidated"
        : this.tokenExpiresMs === null
          ? "none"
          : this.tokenExpiresMs > now
            ? "valid"
            : "expired";
    return {
      configured: this.configured,
      reachable: this.reachable,
      lastResponseAt: this.lastResponseMs === null ? null : new Date(this.lastResponseMs).toISOString(),
      lastStatus: this.lastStatus,
      lastNetworkError: this.lastNetworkError,
      token: {
        state,
        expiresAt: this.tokenExpiresMs === null ? null : new Date(this.tokenExpiresMs).toISOString(),
      },
    };
  }
}
