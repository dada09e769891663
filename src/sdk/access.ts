import type { AccessInfo } from "../platform/types.ts";
import { runCall } from "./call.ts";
import type { ClientRuntime, RequestOptions } from "./runtime.ts";

/** A call that takes no params: `{}` (or nothing) before its request options. */
export type NoParams = Record<string, never>;

export interface AccessGroup {
  /**
   * Obtains a token (or reuses the cached one) and says what it grants and until when; on the
   * production platform also the tenant, the discovered API endpoint and the role.
   */
  describe(params?: NoParams, options?: RequestOptions): Promise<AccessInfo>;
}

export function accessGroup(runtime: ClientRuntime): AccessGroup {
  return {
    describe: (_params, options) =>
      runCall(runtime, options, (signal) => runtime.port.access.describe(signal)),
  };
}
