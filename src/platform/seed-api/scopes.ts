/**
 * Scopes each seed-API endpoint accepts (any one of them), as the seeds spell them. Sent along
 * with each request so a 403 names what is missing.
 */
export const SCOPES = {
  campaignRead: ["outbound:campaign:read"],
  callsRead: ["outbound:calls:read", "outbound:call:read"],
  dispositionUpdate: ["outbound:calls:disposition:update"],
  omniCampaignRead: ["omnichannel:campaigns:read", "omnichannel:campaigns:write"],
  omniCampaignWrite: ["omnichannel:campaigns:write"],
  omniMetricsRead: ["analytics:read", "omnichannel:campaigns:read"],
  omniContactListRead: ["omnichannel:contactlists:read"],
  omniWebhookWrite: ["omnichannel:webhooks:write"],
} as const satisfies Record<string, readonly string[]>;

/** Seed 003 (dialer settings, policies, operations; analytics; audit). */
export const DIALER_SCOPES = {
  dialerRead: ["dialer:read", "dialer:write"],
  dialerWrite: ["dialer:write"],
  analyticsRead: ["analytics:read"],
  auditRead: ["audit:read"],
} as const satisfies Record<string, readonly string[]>;
