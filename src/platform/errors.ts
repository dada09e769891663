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

// Raised by the HTTP core too (a token answer without a token): it lives there.
export { UnreadableAnswerError } from "../core/http/errors.ts";

/**
 * A listing could not be read whole — a page came back twice (a tenant that ignores `skip`: on
 * every listing, compliance or not), the count CXone gave changed while it was read (records
 * added or deleted mid-read shift the pages), or fewer items were read than CXone said it holds.
 * What was read is not used (a DNC copy keeps the one before).
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
