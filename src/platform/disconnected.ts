import type { Platform } from "../core/config/schema.ts";
import type { ConnectionMissingError } from "../core/connection-missing-error.ts";
import type { CxoneHttp } from "../core/http/create.ts";
import type { CxonePort } from "./port.ts";

/**
 * The port and HTTP core of a client built without a connection: every port function and every
 * use of the core refuses with the client's ConnectionMissingError (nothing is sent, nothing can
 * be), so a workflow that needs CXone fails with one stable code wherever it reaches for it.
 * `support.unsupported` answers that error for every operation; closing is a no-op.
 */
export function disconnectedPlatform(
  platform: Platform,
  missing: ConnectionMissingError,
): { port: CxonePort; core: CxoneHttp } {
  const refuse = (): never => {
    throw missing;
  };
  const support = { name: platform, unsupported: () => missing };
  const port = refusingProxy(refuse, { support, close: undefined }) as CxonePort;
  const core = refusingProxy(refuse, { close: async () => undefined }) as CxoneHttp;
  return { port, core };
}

/**
 * An object whose every property (but `own`'s, `then` and symbols) is a refusing function that
 * is itself such an object: `port.campaigns.get(…)` and `port.campaigns.get.call(…)` both refuse.
 */
function refusingProxy(refuse: () => never, own: Record<string, unknown> = {}): object {
  const target = function disconnected() {
    refuse();
  };
  return new Proxy(target, {
    get(_target, key) {
      if (typeof key === "symbol" || key === "then") return undefined;
      if (key in own) return own[key];
      return refusingProxy(refuse);
    },
    apply: () => refuse(),
    has: () => true,
  });
}
