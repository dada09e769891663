/**
 * cxone-outbound: the SDK. Build a client with `createClient`, then use its capability groups.
 */

export * as compliance from "./campaigns/compliance/index.ts";
// Seed 002: campaigns (spec → create once, pause/resume per intent, failover watchdog),
// the calling-rules engine and contact segmentation.
export * as campaigns from "./campaigns/index.ts";
export { type SegmentRequest, segmentContacts } from "./campaigns/segment/segment-contacts.ts";
export type { SegmentSummary } from "./campaigns/segment/summary.ts";
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
export { type DemoOptions, runDemo } from "./demo/run-demo.ts";
// Seed 003: dialer config, settings lifecycle and the local capacity simulator.
export { type DialerConfig, dialerConfigSchema, MAX_ABANDONMENT_RATE } from "./dialer/config.ts";
export * as dialerSettings from "./dialer/settings/index.ts";
export * as simulator from "./dialer/simulator/index.ts";
export { type RunningEmulator, startEmulator } from "./emulator/index.ts";
export {
  ConflictRetriesExhaustedError,
  type SetDispositionInput,
  type SetDispositionResult,
  setDisposition,
} from "./interactions/index.ts";
// Seed 004: streaming outcome export, analysis, compliance hash, report, CRM summary.
export * as outcomes from "./outcomes/index.ts";
export { isNotSupported, NotSupportedError } from "./platform/errors.ts";
export type { CxonePort } from "./platform/port.ts";
export type { PlatformSupport, PortOperation } from "./platform/support.ts";
export * from "./platform/types.ts";
// The service (`cxo serve`) and the demo (`npm start`), in-process.
export { type RunningService, type StartServiceOptions, startService } from "./service/index.ts";
