import type { WatchdogStepError } from "./campaigns/watchdog/errors.ts";
import type { CxoneDncCopyIncompleteError } from "./compliance/cxone-dnc-errors.ts";
import type { DncGroupMissingError } from "./consent/dnc-group-missing-error.ts";
import type { ConsentNotRecordedEverywhereError } from "./consent/every-tenant.ts";
import type { ClientClosedError } from "./core/client-closed-error.ts";
import type { ConfigError } from "./core/config/errors.ts";
import type { ConnectionMissingError } from "./core/connection-missing-error.ts";
import { CxoError } from "./core/cxo-error.ts";
import type { DeadlineExceededError } from "./core/deadline-error.ts";
import type {
  AnswerTooLargeError,
  AuthError,
  ConflictError,
  CxoneError,
  NetworkError,
  NotFoundError,
  PreconditionFailedError,
  RateLimitError,
  ScopeError,
  ServerError,
  ValidationError,
} from "./core/http/errors.ts";
import type { ListingTooLargeError, RepeatedPageTokenError } from "./core/http/pagination.ts";
import type { InputError } from "./core/input-error.ts";
import type { WebhookVerificationError } from "./core/outbox/signing.ts";
import type { StoreFullError, StoreSchemaTooNewError, StoreUnavailableError } from "./core/store/errors.ts";
import type { LeaseLostError } from "./core/store/leases.ts";
import type { ConflictRetriesExhaustedError } from "./interactions/errors.ts";
import type { ExportInterruptedError } from "./outcomes/export.ts";
import type { ExportResumeError, StreamClosedError } from "./outcomes/export-file.ts";
import type { DuckDbMissingError } from "./outcomes/parquet/duckdb-missing-error.ts";
import type { ExportFileFormatError } from "./outcomes/read-export.ts";
import type {
  IncompleteListingError,
  NotSupportedError,
  ReadBackMismatchError,
  UnreadableAnswerError,
} from "./platform/errors.ts";
import type { EveryRecordBlockedError } from "./strategy/push-blocked.ts";
import type { PushInProgressError } from "./strategy/push-in-progress-error.ts";
import type { RemovalPendingError } from "./strategy/removal-pending-error.ts";
import type { SkillDriftError } from "./strategy/skill-drift-error.ts";

/**
 * Every error the SDK raises (besides a signal's own reason when the caller aborts): switch on
 * `code`, which narrows to the class.
 *
 * ```ts
 * try { await cxo.campaigns.pause(id); }
 * catch (error) {
 *   if (!isSdkError(error)) throw error;
 *   switch (error.code) {
 *     case "invalid_input": console.error(error.problems); break;
 *     case "not_found": …
 *   }
 * }
 * ```
 */
export type SdkError =
  | OtherCxoneError
  | ValidationError
  | AuthError
  | ScopeError
  | NotFoundError
  | ConflictError
  | PreconditionFailedError
  | RateLimitError
  | ServerError
  | NetworkError
  | AnswerTooLargeError
  | ConflictRetriesExhaustedError
  | NotSupportedError
  | UnreadableAnswerError
  | IncompleteListingError
  | ReadBackMismatchError
  | RemovalPendingError
  | InputError
  | ConfigError
  | DeadlineExceededError
  | RepeatedPageTokenError
  | ListingTooLargeError
  | StoreUnavailableError
  | StoreSchemaTooNewError
  | StoreFullError
  | LeaseLostError
  | ExportInterruptedError
  | ExportResumeError
  | StreamClosedError
  | ExportFileFormatError
  | WebhookVerificationError
  | WatchdogStepError
  | CxoneDncCopyIncompleteError
  | DuckDbMissingError
  | PushInProgressError
  | EveryRecordBlockedError
  | SkillDriftError
  | ConsentNotRecordedEverywhereError
  | DncGroupMissingError
  | ClientClosedError
  | ConnectionMissingError;

/** A CxoneError for an answer no subclass names (an unusual status): `code` is `cxone_error`. */
export type OtherCxoneError = CxoneError & { readonly code: "cxone_error" };

/** The stable `code` of every SDK error. */
export type SdkErrorCode = SdkError["code"];

/**
 * Is this an error the SDK raised? Every one extends `CxoError`, so this is `instanceof`: the
 * codes are the classes' own (`SdkErrorCode` is derived from them), not a list kept beside them.
 */
export function isSdkError(error: unknown): error is SdkError {
  return error instanceof CxoError;
}
