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
}

export class CxoneError extends Error {
  override name = "CxoneError";
  readonly status: number | undefined;
  readonly method: string | undefined;
  readonly endpoint: string | undefined;
  readonly requestId: string | undefined;
  /** The response body with credentials masked and registered secrets scrubbed. */
  readonly body: unknown;
  readonly attempts: number | undefined;

  constructor(message: string, details: CxoneErrorDetails = {}) {
    super(scrubSecrets(message), details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.method = details.method;
    this.endpoint = details.endpoint;
    this.requestId = details.requestId;
    this.body = redactValue(details.body);
    this.attempts = details.attempts;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      method: this.method,
      endpoint: this.endpoint,
      requestId: this.requestId,
      attempts: this.attempts,
      body: this.body,
    };
  }
}

/** 400: CXone rejected the request's content. */
export class ValidationError extends CxoneError {
  override name = "ValidationError";
}

/** 401: missing, expired or revoked credentials (after one token refresh). */
export class AuthError extends CxoneError {
  override name = "AuthError";
}

/** 403: the token lacks a scope the endpoint needs. */
export class ScopeError extends CxoneError {
  override name = "ScopeError";
  readonly requiredScopes: string[];
  constructor(message: string, requiredScopes: string[], details: CxoneErrorDetails = {}) {
    super(message, details);
    this.requiredScopes = requiredScopes;
  }
}

export class NotFoundError extends CxoneError {
  override name = "NotFoundError";
}

/** 409: the resource is in a state that forbids the change (locked, concurrent edit, same state). */
export class ConflictError extends CxoneError {
  override name = "ConflictError";
}

/** 412 (and 428): a version precondition failed or was missing. */
export class PreconditionFailedError extends CxoneError {
  override name = "PreconditionFailedError";
}

/** 429 after every allowed retry. */
export class RateLimitError extends CxoneError {
  override name = "RateLimitError";
}

/** 5xx after every allowed retry. */
export class ServerError extends CxoneError {
  override name = "ServerError";
}

/** No HTTP answer: reset, refused, DNS, per-attempt timeout, or the overall deadline passed. */
export class NetworkError extends CxoneError {
  override name = "NetworkError";
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

function summarize(body: unknown): string {
  if (body == null) return "";
  if (typeof body === "string") return body.slice(0, 300);
  const record = body as Record<string, unknown>;
  const text = record.message ?? record.error_description ?? record.error ?? record.detail ?? record.title;
  if (typeof text === "string") return text;
  return JSON.stringify(redactValue(body)).slice(0, 300);
}

/** Maps a final (non-retried) HTTP error answer to its typed error. */
export function errorFromResponse(
  status: number,
  details: Omit<CxoneErrorDetails, "status"> & { requiredScopes?: string[] },
): CxoneError {
  // Endpoint labels usually carry their method already ("GET /api/…"); don't say it twice.
  const endpoint = details.endpoint ?? "?";
  const where =
    details.method && !endpoint.startsWith(`${details.method} `) ? `${details.method} ${endpoint}` : endpoint;
  const said = summarize(details.body);
  const suffix = said ? `: ${said}` : "";
  if (status === 403) {
    const scopes = details.requiredScopes ?? [];
    const need = scopes.length > 0 ? ` (this endpoint needs scope ${scopes.join(" or ")})` : "";
    return new ScopeError(`${where} was forbidden (403)${need}${suffix}`, scopes, { ...details, status });
  }
  const ErrorType = BY_STATUS[status] ?? (status >= 500 ? ServerError : CxoneError);
  return new ErrorType(`${where} failed with ${status}${suffix}`, { ...details, status });
}
