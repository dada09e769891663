/**
 * cxone-outbound: the SDK. Build a client with `createClient`, then use its capability groups.
 */
export { type CreateClientOptions, type CxoneClient, createClient } from "./client.ts";
export { verifyAuditChain } from "./core/audit/index.ts";
export * from "./core/config/index.ts";
export * from "./core/http/errors.ts";
export { Paginated, paginateByPageNumber, paginateByToken } from "./core/http/pagination.ts";
export { InputError, type InputProblem } from "./core/input-error.ts";
export { createLogger } from "./core/logging/index.ts";
export { metricsRegistry } from "./core/metrics/index.ts";
export { signWebhook, verifyWebhook, WebhookVerificationError } from "./core/outbox/index.ts";
export { openStore, type Store } from "./core/store/index.ts";
export { type RunningEmulator, startEmulator } from "./emulator/index.ts";
export {
  ConflictRetriesExhaustedError,
  type SetDispositionInput,
  type SetDispositionResult,
  setDisposition,
} from "./interactions/index.ts";
export type { CxonePort } from "./platform/port.ts";
export * from "./platform/types.ts";
