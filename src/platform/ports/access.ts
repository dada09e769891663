import type { AccessInfo } from "../types.ts";

export interface AccessPort {
  /** Obtains (or reuses) a token and says what it grants. */
  describe(signal?: AbortSignal): Promise<AccessInfo>;
}
