import type { FaultBoard } from "./faults.ts";
import type { Group } from "./groups.ts";
import type { ResolvedOptions } from "./options.ts";
import type { RateLimiter } from "./rate-limit.ts";
import type { RequestLog } from "./request-log.ts";
import type { EmulatorState } from "./state.ts";
import type { TokenStore } from "./tokens.ts";
import type { WebhookDispatcher } from "./webhooks.ts";

/** Everything a route handler may touch, built once per emulator instance. */
export interface EmulatorContext {
  options: ResolvedOptions;
  state: EmulatorState;
  tokens: TokenStore;
  limiter: RateLimiter;
  faults: FaultBoard;
  log: RequestLog;
  webhooks: WebhookDispatcher;
  /** Registered API routes, for the OpenAPI document. */
  routes: RouteDoc[];
  /** Timers to cancel on close/reset (dialer operations). */
  timers: Set<NodeJS.Timeout>;
}

export interface RouteDoc {
  method: string;
  url: string;
  group: Group;
  scopes: readonly string[] | null;
  summary: string;
  body?: unknown;
  query?: unknown;
  responses: Record<string, string>;
}
