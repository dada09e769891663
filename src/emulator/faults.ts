import { z } from "zod";
import { clockNowDate, clockNowMs } from "../core/clock/now.ts";
import { GROUPS } from "./groups.ts";
import type { Rng } from "./random.ts";
/**
 * Fault injection: what `POST /_emulator/faults` installs. Several faults can be active; each
 * applies to one group or to all. A fault with `count` applies to that many matching requests
 * and then disappears; a `burst429` fault disappears once its 429s are spent.
 */
export function faultSpecSchemaFor<const G extends readonly [string, ...string[]]>(groups: G) {
  return z.strictObject({
    group: z.enum([...groups, "all"]).default("all"),
    ...faultFields,
  });
}

/** Every field but `group`: shared by the seed emulator and the production-API emulator. */
const faultFields = {
  errorRate: z.number().min(0).max(1).optional(),
  errorStatus: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).default(503),
  resetRate: z.number().min(0).max(1).optional(),
  /** Share of matching 2xx answers cut off mid-body: headers and half the body, then the connection closes. */
  truncateRate: z.number().min(0).max(1).optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  jitterMs: z.number().int().min(0).max(120_000).optional(),
  burst429: z.number().int().min(1).optional(),
  retryAfter: z.number().int().min(0).max(86_400).default(1),
  retryAfterFormat: z.enum(["seconds", "http-date", "none"]).optional(),
  expireTokens: z.literal(true).optional(),
  failNextOperations: z.number().int().min(1).optional(),
  count: z.number().int().min(1).optional(),
  /**
   * Only requests of this route: `METHOD /path` as routed, the path's tail (e.g.
   * `POST /lists/call-lists/:listId/upload`), so a fault can hit one step of a workflow.
   */
  route: z
    .string()
    .regex(
      /^(GET|POST|PUT|PATCH|DELETE) \/\S*$/,
      "must be METHOD /path, e.g. POST /lists/call-lists/:listId/upload",
    )
    .optional(),
};

export const faultSpecSchema = faultSpecSchemaFor(GROUPS);

/** A fault for any emulator: `group` is one of that emulator's endpoint groups, or "all". */
export type FaultSpec = Omit<z.infer<typeof faultSpecSchema>, "group"> & { group: string };

export interface ActiveFault extends FaultSpec {
  id: string;
  createdAt: string;
  /** 429s still to send (burst429). */
  remaining429: number;
  /** Matching requests still affected (count). */
  remainingCount: number | null;
  /** Dialer operations still to fail (failNextOperations). */
  remainingOperationFailures: number;
}

export type FaultAction =
  | { kind: "reset" }
  | { kind: "truncate" }
  | { kind: "status"; status: number; retryAfter: number; format: RetryAfterFormat }
  | { kind: "throttle"; retryAfter: number; format: RetryAfterFormat };

export type RetryAfterFormat = "seconds" | "http-date" | "none";

export interface FaultDecision {
  delayMs: number;
  action: FaultAction | null;
}

function touchesRequests(fault: ActiveFault): boolean {
  return (
    fault.errorRate !== undefined ||
    fault.resetRate !== undefined ||
    fault.truncateRate !== undefined ||
    fault.latencyMs !== undefined ||
    fault.jitterMs !== undefined ||
    fault.remaining429 > 0
  );
}

export class FaultBoard {
  private faults: ActiveFault[] = [];
  private sequence = 0;
  private readonly rng: () => Rng;
  private random: Rng;

  constructor(rng: () => Rng) {
    this.rng = rng;
    this.random = rng();
  }

  add(spec: FaultSpec): ActiveFault {
    this.sequence += 1;
    const fault: ActiveFault = {
      ...spec,
      id: `fault-${this.sequence}`,
      createdAt: clockNowDate().toISOString(),
      remaining429: spec.burst429 ?? 0,
      remainingCount: spec.count ?? null,
      remainingOperationFailures: spec.failNextOperations ?? 0,
    };
    // Token expiry is an event, not a condition: it acts once (in the route) and is not kept
    // unless the same body also asked for something lasting.
    if (touchesRequests(fault) || fault.remainingOperationFailures > 0 || fault.retryAfterFormat) {
      this.faults.push(fault);
    }
    return fault;
  }

  list(): ActiveFault[] {
    return [...this.faults];
  }

  clear(): void {
    this.faults = [];
    this.random = this.rng();
  }

  /** Decides what happens to one request of `group` (`route`: its `METHOD /routed/path`), and spends counts. */
  decide(group: string, route = ""): FaultDecision {
    let delayMs = 0;
    let action: FaultAction | null = null;
    for (const fault of this.faults) {
      if (fault.group !== "all" && fault.group !== group) continue;
      if (fault.route !== undefined && !routeMatches(fault.route, route)) continue;
      if (!touchesRequests(fault)) continue;
      delayMs += (fault.latencyMs ?? 0) + Math.floor(this.random.next() * (fault.jitterMs ?? 0));
      if (action === null) {
        if (fault.remaining429 > 0) {
          fault.remaining429 -= 1;
          action = {
            kind: "throttle",
            retryAfter: fault.retryAfter,
            format: fault.retryAfterFormat ?? "seconds",
          };
        } else if (fault.resetRate !== undefined && this.random.next() < fault.resetRate) {
          action = { kind: "reset" };
        } else if (fault.truncateRate !== undefined && this.random.next() < fault.truncateRate) {
          action = { kind: "truncate" };
        } else if (fault.errorRate !== undefined && this.random.next() < fault.errorRate) {
          // A 5xx carries Retry-After only when the fault asks for it (a 503 may mean throttling).
          action = {
            kind: "status",
            status: fault.errorStatus,
            retryAfter: fault.retryAfter,
            format: fault.retryAfterFormat ?? "none",
          };
        }
      }
      if (fault.remainingCount !== null) fault.remainingCount -= 1;
    }
    this.faults = this.faults.filter((fault) => {
      if (fault.remainingCount !== null && fault.remainingCount <= 0) return false;
      // A pure burst fault is done once its 429s are spent.
      const onlyBurst =
        fault.burst429 !== undefined &&
        fault.errorRate === undefined &&
        fault.resetRate === undefined &&
        fault.truncateRate === undefined &&
        fault.latencyMs === undefined &&
        fault.jitterMs === undefined &&
        fault.remainingOperationFailures === 0;
      return !(onlyBurst && fault.remaining429 === 0);
    });
    return { delayMs, action };
  }

  /** The Retry-After style rate-limit 429s of `group` use (the newest fault that sets one). */
  retryAfterFormat(group: string): RetryAfterFormat {
    for (let i = this.faults.length - 1; i >= 0; i--) {
      const fault = this.faults[i] as ActiveFault;
      if ((fault.group === "all" || fault.group === group) && fault.retryAfterFormat)
        return fault.retryAfterFormat;
    }
    return "seconds";
  }

  /** True when a dialer operation should end FAILED (spends one). */
  takeOperationFailure(): boolean {
    const fault = this.faults.find((f) => f.remainingOperationFailures > 0);
    if (!fault) return false;
    fault.remainingOperationFailures -= 1;
    this.faults = this.faults.filter(
      (f) => touchesRequests(f) || f.remainingOperationFailures > 0 || f.retryAfterFormat,
    );
    return true;
  }
}

function routeMatches(wanted: string, route: string): boolean {
  const [method, path] = wanted.split(" ");
  return route.startsWith(`${method} `) && route.endsWith(path as string);
}

/** The Retry-After header value for a wait of `seconds` in the given style (null = no header). */
export function retryAfterHeader(
  seconds: number,
  format: RetryAfterFormat,
  now = clockNowMs(),
): string | null {
  if (format === "none") return null;
  if (format === "http-date") {
    // HTTP dates have whole seconds: round up so the client never comes back early.
    return new Date(Math.ceil((now + seconds * 1000) / 1000) * 1000).toUTCString();
  }
  return String(seconds);
}
