/** Seed 002's campaign lifecycle: spec → create, pause/resume, webhook registration, failover watchdog. */
export { type CreateOutcome, createCampaign } from "./create.ts";
export { findKnownCampaign, type KnownCampaign, listKnownCampaigns } from "./known-campaigns.ts";
export { campaignOperations } from "./operations.ts";
export {
  type CampaignSpec,
  campaignSpecSchema,
  type ResolvedCampaignSpec,
  resolveContactList,
  specHash,
  toDefinition,
} from "./spec.ts";
export { changeCampaignStatus, type SetStatusResult } from "./transition.ts";
export * from "./watchdog/index.ts";
export { registerWebhook, type WebhookOptions, webhookOptionsSchema } from "./webhook.ts";
