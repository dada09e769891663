import { CxoError } from "../cxo-error.ts";
import { redactValue, scrubSecrets } from "../logging/secrets.ts";

/**
 * Typed errors for everything that can go wrong talking to CXone. Each carries what an operator
 * needs to act on it (status, method, endpoint, CXone's request id) and a redacted body.
 */
export interface CxoneErrorDetails {
  status?: number;
  method?: string;
  endpoint?: string;
  requestId?: string;
  body?: unknown;
  attempts?: number;
  cause?: unknown;
  /** The platform's `icStatusDescription` response header (its human-readable reason). */
  statusDescription?: string | undefined;
  /** CXone's `Retry-After` on a 429 or 503, in milliseconds (see `CxoneError.retryAfterMs`). */
  retryAfterMs?: number | undefined;
}

/** The stable `code` of each CXone error (switch on it; messages may change). */
export type CxoneErrorCode =
  | "cxone_error"
  | "cxone_validation_failed"
  | "auth_failed"
  | "scope_missing"
  | "not_found"
  | "conflict"
  | "precondition_failed"
  | "rate_limited"
  | "server_error"
  | "network_error"
  | "conflict_retries_exhausted"
  | "not_supported_by_platform"
  | "cxone_unreadable_answer"
  | "cxone_listing_incomplete"
  | "cxone_read_back_mismatch"
  | "cxone_removal_pending"
  | "answer_too_large";

export class CxoneError extends CxoError {
  override name = "CxoneError";
  /** Stable identifier of the kind of failure, one per class (`not_found`, `rate_limited`, …). */
  readonly code: CxoneErrorCode = "cxone_error";
  readonly method: string | undefined;
  readonly endpoint: string | undefined;
  /** The response body with credentials masked and registered secrets scrubbed. */
  readonly body: unknown;
  readonly attempts: number | undefined;
  /** CXone's error code from the body (`error`: `InvalidParameter`, `invalid_grant`…), when it sent one. */
  readonly cxoneError: string | undefined;
  /** CXone's own words: `errorDescription`, `error_description`, `message` or the `icStatusDescription` header. */
  readonly cxoneDescription: string | undefined;
  /**
   * When CXone asked to be called again: its `Retry-After` on the last answer (a 429, or a 503
   * that sent one), in milliseconds from that answer; undefined when it did not say. A batch
   * job that meets a RateLimitError (or a DeadlineExceededError caused by one) waits this long
   * before it comes back.
   */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: CxoneErrorDetails = {}) {
    super(scrubSecrets(message), {
      status: details.status,
      requestId: details.requestId,
      ...(details.cause === undefined ? {} : { cause: details.cause }),
    });
    this.method = details.method;
    this.endpoint = details.endpoint;
    this.body = redactValue(details.body);
    this.attempts = details.attempts;
    this.retryAfterMs = details.retryAfterMs;
    const said = whatCxoneSaid(details.body, details.statusDescription);
    this.cxoneError = said.code === undefined ? undefined : scrubSecrets(said.code);
    this.cxoneDescription = said.description === undefined ? undefined : scrubSecrets(said.description);
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      method: this.method,
      endpoint: this.endpoint,
      requestId: this.requestId,
      attempts: this.attempts,
      retryAfterMs: this.retryAfterMs,
      cxoneError: this.cxoneError,
      cxoneDescription: this.cxoneDescription,
      body: this.body,
    };
  }
}

/** 400: CXone rejected the request's content. */
export class ValidationError extends CxoneError {
  override name = "ValidationError";
  override readonly code = "cxone_validation_failed" as const;
}

/** 401: missing, expired or revoked credentials (after one token refresh). */
export class AuthError extends CxoneError {
  override name = "AuthError";
  override readonly code = "auth_failed" as const;
}

/** 403: the token lacks a scope the endpoint needs. */
export class ScopeError extends CxoneError {
  override name = "ScopeError";
  override readonly code = "scope_missing" as const;
  readonly requiredScopes: string[];
  constructor(message: string, requiredScopes: string[], details: CxoneErrorDetails = {}) {
    super(message, details);
    this.requiredScopes = requiredScopes;
  }
}

export class NotFoundError extends CxoneError {
  override name = "NotFoundError";
  override readonly code = "not_found" as const;
}

/** 409: the resource is in a state that forbids the change (locked, concurrent edit, same state). */
export class ConflictError extends CxoneError {
  override name = "ConflictError";
  override readonly code = "conflict" as const;
}

/** 412 (and 428): a version precondition failed or was missing. */
export class PreconditionFailedError extends CxoneError {
  override name = "PreconditionFailedError";
  override readonly code = "precondition_failed" as const;
}

/** 429 after every allowed retry. */
export class RateLimitError extends CxoneError {
  override name = "RateLimitError";
  override readonly code = "rate_limited" as const;
}

/** 5xx after every allowed retry. */
export class ServerError extends CxoneError {
  override name = "ServerError";
  override readonly code = "server_error" as const;
}

/** No HTTP answer: reset, refused, DNS, per-attempt timeout, or the overall deadline passed. */
export class NetworkError extends CxoneError {
  override name = "NetworkError";
  override readonly code = "network_error" as const;
}

/**
 * An answer longer than the request can need (a third party's: CXone, the RND, a token or
 * discovery host): refused unread past its bound, never retried. A 3-number query cannot need
 * 150 MB; reading it whole would take the process's memory with it.
 */
export class AnswerTooLargeError extends CxoneError {
  override name = "AnswerTooLargeError";
  override readonly code = "answer_too_large" as const;
  /** The bound the answer passed, in bytes. */
  readonly limitBytes: number;

  constructor(endpoint: string, bound: AnswerBound, details: { status?: number; declared?: number } = {}) {
    const bytes = (n: number) => n.toLocaleString("en-US");
    super(
      `${endpoint}: the answer passed ${bytes(bound.bytes)} bytes${details.declared === undefined ? "" : ` (it announced ${bytes(details.declared)})`}, more than ${bound.why}; it was refused unread and nothing is taken from it`,
      { endpoint, ...(details.status === undefined ? {} : { status: details.status }) },
    );
    this.limitBytes = bound.bytes;
  }
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
    details: { status?: number; body?: unknown; service?: string; requestId?: string | undefined } = {},
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
 * A listing could not be read whole — a page came back twice (a tenant that ignores `skip`, or a
 * server that hands back a page token it already gave: on either platform, compliance listing or
 * not), the count CXone gave changed while it was read (records added or deleted mid-read shift
 * the pages), or fewer items were read than CXone said it holds. What was read is not used (a DNC
 * copy keeps the one before).
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

/** The most bytes an answer may have, and why that many (said in the error). */
export interface AnswerBound {
  bytes: number;
  /** e.g. "what a 3-number query's answer can need". */
  why: string;
}

type ErrorClass = new (message: string, details: CxoneErrorDetails) => CxoneError;

const BY_STATUS: Record<number, ErrorClass> = {
  400: ValidationError,
  401: AuthError,
  404: NotFoundError,
  409: ConflictError,
  412: PreconditionFailedError,
  422: ValidationError,
  428: PreconditionFailedError,
  429: RateLimitError,
};

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;

/**
 * CXone's code and words in an error answer, in every layout seen: GEN's `{error,
 * errorDescription}`, RFC 6749's `{error, error_description}`, `{message}`, problem+json
 * `{title, detail}`, and the `icStatusDescription` header (TAP: sometimes the only place).
 */
export function whatCxoneSaid(
  body: unknown,
  statusDescription?: string,
): { code: string | undefined; description: string | undefined } {
  const record =
    body !== null && typeof body === "object" && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  const code = text(record.error) ?? text(record.errorCode) ?? text(record.code);
  const description =
    text(record.errorDescription) ??
    text(record.error_description) ??
    text(record.message) ??
    text(record.detail) ??
    text(record.title) ??
    text(statusDescription);
  return { code, description };
}

function summarize(body: unknown, statusDescription?: string): string {
  const { code, description } = whatCxoneSaid(body, statusDescription);
  if (description && code && description !== code) return `${description} (${code})`;
  if (description ?? code) return (description ?? code)!;
  if (body == null || body === "") return "";
  if (typeof body === "string") return body.slice(0, 300);
  return JSON.stringify(redactValue(body)).slice(0, 300);
}

/**
 * Maps a final (non-retried) HTTP error answer to its typed error. `retryAfterMs` (the answer's
 * parsed Retry-After) is kept on a 429 or a 503 only: on any other status it says nothing.
 */
export function errorFromResponse(
  status: number,
  answer: Omit<CxoneErrorDetails, "status"> & { requiredScopes?: string[] },
): CxoneError {
  const { retryAfterMs, ...rest } = answer;
  const details = status === 429 || status === 503 ? answer : rest;
  // Endpoint labels usually carry their method already ("GET /api/…"); don't say it twice.
  const endpoint = details.endpoint ?? "?";
  const where =
    details.method && !endpoint.startsWith(`${details.method} `) ? `${details.method} ${endpoint}` : endpoint;
  const said = summarize(details.body, details.statusDescription);
  const suffix = said ? `: ${said}` : "";
  if (status === 403) {
    const scopes = details.requiredScopes ?? [];
    const need = scopes.length > 0 ? ` (this endpoint needs scope ${scopes.join(" or ")})` : "";
    return new ScopeError(`${where} was forbidden (403)${need}${suffix}`, scopes, { ...details, status });
  }
  return errorOfStatus(status, `${where} failed with ${status}${suffix}`, details);
}

/**
 * The typed error of a final answer's status, with a message already made: 0 (no answer came)
 * is a NetworkError, 403 a ScopeError (scopes unknown here), and only a status no class names is
 * a plain CxoneError (`cxone_error`). The one place besides the classes that makes that error.
 */
export function errorOfStatus(
  status: number,
  message: string,
  details: Omit<CxoneErrorDetails, "status"> = {},
): CxoneError {
  if (status === 0) return new NetworkError(message, details);
  if (status === 403) return new ScopeError(message, [], { ...details, status });
  const ErrorType = BY_STATUS[status] ?? (status >= 500 ? ServerError : CxoneError);
  return new ErrorType(message, { ...details, status });
}

/**
 * CXone's own words about a refusal, to keep beside ours (issue 50 §6: "Skill 999 was not found
 * in business unit 4600123" says which unit a user is on): ` (CXone: "…")`, from the error or the
 * first of its causes that carries them; "" when CXone said nothing.
 */
export function cxoneWords(error: unknown): string {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    if (e instanceof CxoneError && e.cxoneDescription) return ` (CXone: "${e.cxoneDescription}")`;
  return "";
}
