import { CxoneError } from "../core/http/errors.ts";

// Raised by the HTTP core too (a token answer without a token): it lives there.
export { UnreadableAnswerError } from "../core/http/errors.ts";
export { isNotSupported, NotSupportedError, PLATFORM_NAMES } from "../core/not-supported-error.ts";

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
