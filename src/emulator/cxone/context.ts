import type { FaultBoard } from "../faults.ts";
import type { RequestLog } from "../request-log.ts";
import type { CxoneResolvedOptions } from "./options.ts";
import type { CxoneState } from "./state.ts";
import type { CxoneTokens } from "./tokens.ts";

/** Everything a production-API route handler may touch, built once per emulator instance. */
export interface CxoneContext {
  options: CxoneResolvedOptions;
  state: CxoneState;
  tokens: CxoneTokens;
  faults: FaultBoard;
  log: RequestLog;
}

/**
 * Endpoint groups: the unit of fault injection (`POST /_emulator/faults {"group": "completed"}`).
 * `auth` holds discovery and the token endpoint.
 */
export const CXONE_GROUPS = [
  "auth",
  "dispositions",
  "tags",
  "contacts",
  "completed",
  "agent-sessions",
  "skills",
  "parameters",
  "lists",
  "wfm",
  "campaigns",
  "dnc",
  "misc",
] as const;

export type CxoneGroup = (typeof CXONE_GROUPS)[number];
