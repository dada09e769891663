export { outboxActivity } from "./activity.ts";
export { deliverBeforeExit, type ExitDelivery } from "./deliver-before-exit.ts";
export { type DestinationStatus, destinationStatus, unconfiguredNote } from "./destination-status.ts";
export {
  createDispatcher,
  type DispatcherOptions,
  type DispatchStats,
  type DrainReport,
  OutboxDispatcher,
} from "./dispatcher.ts";
export {
  eventBody,
  newEventId,
  type OutboxEvent,
  type OutboxEventInput,
  type OutboxStatus,
  type StoredOutboxEvent,
} from "./events.ts";
export { type DestinationCounts, enqueueEvents, Outbox } from "./queue.ts";
export {
  type HeaderBag,
  signWebhook,
  type VerifiedWebhook,
  verifyWebhook,
  type WebhookSignatureHeaders,
  WebhookVerificationError,
  type WebhookVerifier,
  webhookKey,
  webhookVerifier,
} from "./signing.ts";
