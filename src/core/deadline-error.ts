import { CxoError } from "./cxo-error.ts";
import { CxoneError } from "./http/errors.ts";
/**
 * A deadline passed before the call finished: the caller's per-call `deadlineMs` (the whole
 * call), the client's `http.deadlineMs` (one request, every retry and wait included; `cause`
 * is then the typed error of the request's last answer, e.g. a RateLimitError, whose status,
 * request id and `retryAfterMs` this error carries too), or the bound of a wait for CXone's own operation (an
 * upload job, a just-created skill: each poll answered, the operation not done in time). What the call was waiting on (a rate-limit slot, a token, a
 * retry, an answer, the store) was stopped. A write whose request may already have reached CXone
 * stays pending in the journal and is re-driven by the next run of the same capability, as after
 * an abort.
 */
export class DeadlineExceededError extends CxoError {
  override readonly name = "DeadlineExceededError";
  readonly code = "deadline_exceeded" as const;
  /** The deadline the caller gave, in milliseconds. */
  readonly deadlineMs: number;

  /**
   * Which deadline: the caller's on the whole call (`call`), the client's `http.deadlineMs` on one
   * request (`request`), or a wait's bound on CXone's operation (`wait`; it may still complete).
   */
  readonly scope: "call" | "request" | "wait";

  /**
   * When CXone asked to be called again, from the cause (a RateLimitError's, or a 503's that
   * said so): milliseconds from its last answer; undefined otherwise.
   */
  readonly retryAfterMs: number | undefined;

  constructor(
    deadlineMs: number,
    options: { scope?: "call" | "request" | "wait"; message?: string; cause?: unknown } = {},
  ) {
    const cause = options.cause instanceof CxoError ? options.cause : undefined;
    super(options.message ?? `the call did not finish within its deadline of ${deadlineMs} ms`, {
      ...(options.cause === undefined ? {} : { cause: options.cause }),
      status: cause?.status,
      requestId: cause?.requestId,
    });
    this.deadlineMs = deadlineMs;
    this.scope = options.scope ?? "call";
    this.retryAfterMs = cause instanceof CxoneError ? cause.retryAfterMs : undefined;
  }
}
