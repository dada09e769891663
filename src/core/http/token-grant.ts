import type { AuthStyle } from "../config/schema.ts";
import { registerSecret } from "../logging/secrets.ts";
import type { RawRequest } from "./transport.ts";

/**
 * How to ask for a token: one strategy per OAuth2 grant. The token provider owns everything
 * around it (cache, one fetch in flight, retries, limits, errors); a grant only says what one
 * token request looks like. `prepare` is called for every attempt and may do I/O of its own
 * (a discovery document, say) under the signal it is given.
 */
export interface TokenGrant {
  /** Which settings to check, named in the error when the token request is rejected (400/401). */
  readonly rejectionHint: string;
  /** Which setting names the token URL, named in the error when its host cannot be reached. */
  readonly unreachableHint?: string;
  /** The POST to send for one attempt (its URL's path names the endpoint in errors and events). */
  prepare(signal?: AbortSignal): TokenRequest | Promise<TokenRequest>;
}

export type TokenRequest = Pick<RawRequest, "url" | "headers" | "body">;

export interface ClientCredentialsOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  auth: AuthStyle;
}

/** OAuth2 client credentials, in every style of the seeds (Basic or body, form or JSON). */
export function clientCredentialsGrant(options: ClientCredentialsOptions): TokenGrant {
  const { tokenUrl, clientId, clientSecret, auth } = options;
  registerSecret(clientSecret);
  return {
    rejectionHint: "the client id and secret, the requested scopes and the auth style (connection.auth)",
    prepare() {
      const fields: Record<string, string> = { grant_type: "client_credentials" };
      const headers: Record<string, string> = { accept: "application/json" };
      if (auth.credentials !== "body") {
        const basic = Buffer.from(
          `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
        ).toString("base64");
        registerSecret(basic);
        headers.authorization = `Basic ${basic}`;
      } else {
        fields.client_id = clientId;
        fields.client_secret = clientSecret;
      }
      if (auth.scopes.length > 0) fields.scope = auth.scopes.join(" ");
      if (auth.encoding === "json") {
        headers["content-type"] = "application/json";
        return { url: tokenUrl, headers, body: JSON.stringify(fields) };
      }
      headers["content-type"] = "application/x-www-form-urlencoded";
      return { url: tokenUrl, headers, body: new URLSearchParams(fields).toString() };
    },
  };
}
