import type { AccessInfo } from "../platform/types.ts";
import { type ClientRuntime, inCall, type RequestOptions, requestSignal } from "./runtime.ts";

export interface AccessGroup {
  /**
   * Obtains a token (or reuses the cached one) and says what it grants and until when; on the
   * production platform also the tenant, the discovered API endpoint and the role.
   */
  describe(options?: RequestOptions): Promise<AccessInfo>;
}

export function accessGroup(runtime: ClientRuntime): AccessGroup {
  return {
    describe: (options) => inCall(options, () => runtime.port.access.describe(requestSignal(options))),
  };
}
