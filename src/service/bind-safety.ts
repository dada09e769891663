import { InputError } from "../core/input-error.ts";
import { isLoopbackHost } from "../core/loopback.ts";

export { isLoopbackHost };

/**
 * The service shows campaign data and can be told about campaign state changes, so it only
 * listens beyond this machine when every request must carry an access token.
 * Throws InputError (exit 2) when `host` is not loopback and no access token is set. */
export function assertSafeBind(host: string, accessToken: string | undefined): void {
  if (isLoopbackHost(host) || accessToken) return;
  throw new InputError({
    field: "accessToken",
    rule: `is required to listen on ${host} (not loopback): set an access token (CXO_SERVICE_TOKEN or service.accessToken), or listen on 127.0.0.1`,
  });
}
