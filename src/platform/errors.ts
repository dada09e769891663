import type { Platform } from "../core/config/schema.ts";
import { CxoneError } from "../core/http/errors.ts";

/**
 * A port function the selected platform has no API for (NICE's production platform has no
 * webhook subscriptions, no post-call disposition correction, no server-side dialer policy
 * check …). Raised BEFORE anything is sent, so nothing pretends to work. The CLI prints the
 * message as it is and exits 1.
 */
export class NotSupportedError extends CxoneError {
  override name = "NotSupportedError";
  override readonly code = "not_supported_by_platform" as const;
  readonly platform: Platform;
  /** The port function, e.g. "campaigns.subscribe". */
  readonly operation: string;
  /** The nearest thing the user can do instead. */
  readonly alternative: string;

  constructor(details: { platform: Platform; operation: string; why: string; alternative: string }) {
    super(
      `${details.operation} is not supported on the ${PLATFORM_NAMES[details.platform]} platform: ${details.why}. Instead: ${details.alternative}`,
      { body: { error: "not_supported_by_platform", operation: details.operation } },
    );
    this.platform = details.platform;
    this.operation = details.operation;
    this.alternative = details.alternative;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      platform: this.platform,
      operation: this.operation,
      alternative: this.alternative,
    };
  }
}

export const PLATFORM_NAMES: Record<Platform, string> = {
  seed: "seed API",
  cxone: "CXone production (inContactAPI)",
};

export function isNotSupported(error: unknown): error is NotSupportedError {
  return error instanceof NotSupportedError;
}

/**
 * CXone answered 2xx, but not in any shape this adapter knows for the route (no array
 * or object it needs, an unknown envelope, a field of the wrong type). On a compliance path (DNC
 * groups and records, the search, scrubbed skills, a skill's hours, schedule and retry settings,
 * list records) such an answer is never read as "empty, so allowed": the command fails (exit 1)
 * and nothing is dialled, pushed or copied on its strength. `route` names the request,
 * `missing` what could not be found; the body is kept redacted for the report.
 */
export class UnreadableAnswerError extends CxoneError {
  override name = "UnreadableAnswerError";
  override readonly code = "cxone_unreadable_answer" as const;
  /** The request, as the adapter labels it ("GET /dnc-groups/{groupId}/records"). */
  readonly route: string;
  /** What the answer lacked ("an array under dncRecords or dncGroupRecords"). */
  readonly missing: string;

  /**
   * `details.service`: who answered, in words ("CXone" by default; "the Reassigned Numbers
   * Database" for its reads), so the message names the party that did.
   */
  constructor(
    route: string,
    missing: string,
    details: { status?: number; body?: unknown; service?: string } = {},
  ) {
    const { service = "CXone", ...rest } = details;
    super(
      `${route}: ${service} answered${rest.status === undefined ? "" : ` ${rest.status}`} without ${missing}; this answer cannot be read, so nothing is taken from it (a compliance read that cannot be understood blocks rather than allows)`,
      { endpoint: route, ...rest },
    );
    this.route = route;
    this.missing = missing;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), route: this.route, missing: this.missing };
  }
}

/**
 * A listing on a compliance path could not be read whole — a page came back
 * twice (a tenant that ignores `skip`), the count CXone gave changed while it was read (records
 * added or deleted mid-read shift the pages), or fewer items were read than CXone said it holds.
 * What was read is not used: the previous copy stays.
 */
export class IncompleteListingError extends CxoneError {
  override name = "IncompleteListingError";
  override readonly code = "cxone_listing_incomplete" as const;
  readonly route: string;
  /** Why: `repeated-page`, `count-changed`, `fewer-than-said`. */
  readonly reason: "repeated-page" | "count-changed" | "fewer-than-said";
  /** Items read, and how many CXone said there are (when it said). */
  readonly read: number;
  readonly expected: number | undefined;

  constructor(
    route: string,
    reason: IncompleteListingError["reason"],
    counts: { read: number; expected?: number | undefined; detail?: string },
  ) {
    super(`${route}: ${counts.detail ?? reason}; what was read is not used`, { endpoint: route });
    this.route = route;
    this.reason = reason;
    this.read = counts.read;
    this.expected = counts.expected;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      route: this.route,
      reason: this.reason,
      read: this.read,
      expected: this.expected,
    };
  }
}
