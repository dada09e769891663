import type { Platform } from "./config/schema.ts";
import { CxoneError } from "./http/errors.ts";

// Below the platform layer (platform/errors.ts re-exports it): the SDK's groups refuse with it
// before they reach a port, and a client built for a compliance check, once a number, loads no
// module of the platform's (test/cli/product.test.ts).

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
 * The part of a port a platform may lack (`port.doctor`, `port.scheduledCallbacks`), or the
 * NotSupportedError saying so — raised before anything is sent.
 */
export function partOrRefuse<T>(
  part: T | undefined,
  refusal: { platform: Platform; operation: string; why: string; alternative: string },
): T {
  if (part === undefined) throw new NotSupportedError(refusal);
  return part;
}
