import { CxoneError, type CxoneErrorDetails } from "../core/http/errors.ts";

// Raised by the HTTP core too (a token answer without a token; a page token given twice): they live there.
export { IncompleteListingError, UnreadableAnswerError } from "../core/http/errors.ts";
export { isNotSupported, NotSupportedError, PLATFORM_NAMES } from "../core/not-supported-error.ts";

/**
 * A write CXone accepted did not read back as written: a field it dropped or reset (`fields`
 * names each, with what was sent and what reads now). The change is not complete; a dialer apply
 * undoes it. Not a ConflictError: nobody else's edit is known to be in the way.
 */
export class ReadBackMismatchError extends CxoneError {
  override name = "ReadBackMismatchError";
  override readonly code = "cxone_read_back_mismatch" as const;
  /** Each field that did not read back ("retrySettings.maxAttempts (sent 3, reads 2)"). */
  readonly fields: string[];

  constructor(message: string, fields: string[], details: CxoneErrorDetails = {}) {
    super(message, details);
    this.fields = fields;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), fields: this.fields };
  }
}
