/**
 * OAuth scopes, spelled every way the seeds spell them. An endpoint lists the scopes that each
 * grant access (any one is enough), so a client written from seed 000 (`outbound:calls:read`)
 * and one from seed 004 (`outbound:call:read`) both work.
 */
export const SCOPES = {
  dispositionUpdate: ["outbound:calls:disposition:update"],
  outboundCampaignRead: ["outbound:campaign:read", "outbound:campaigns:read"],
  outboundCallRead: ["outbound:calls:read", "outbound:call:read"],
  interactionRead: ["interactions:read", "interactions:write"],
  interactionWrite: ["interactions:write"],
  dispositionsRead: ["dispositions:read"],
  omniCampaignRead: ["omnichannel:campaigns:read", "omnichannel:campaigns:write"],
  omniCampaignWrite: ["omnichannel:campaigns:write"],
  omniMetricsRead: ["analytics:read", "omnichannel:campaigns:read"],
  omniContactListRead: ["omnichannel:contactlists:read"],
  omniWebhookWrite: ["omnichannel:webhooks:write"],
  dialerCampaignWrite: ["campaigns:write"],
  dialerRead: ["dialer:read", "dialer:write"],
  dialerWrite: ["dialer:write"],
  analyticsRead: ["analytics:read"],
  auditRead: ["audit:read"],
  webhooksWrite: ["webhooks:write"],
} as const satisfies Record<string, readonly string[]>;

/** Every scope the emulated tenant knows (the full-access fixture client has them all). */
export const ALL_SCOPES: readonly string[] = [
  "outbound:calls:disposition:update",
  "outbound:campaign:read",
  "outbound:campaigns:read",
  "outbound:calls:read",
  "outbound:call:read",
  "interactions:read",
  "interactions:write",
  "dispositions:read",
  "omnichannel:campaigns:read",
  "omnichannel:campaigns:write",
  "omnichannel:contactlists:read",
  "omnichannel:webhooks:write",
  "analytics:read",
  "dialer:read",
  "dialer:write",
  "campaigns:read",
  "campaigns:write",
  "audit:read",
  "webhooks:read",
  "webhooks:write",
];

/** The read-only fixture client: everything that only reads (for 403 tests). */
export const READ_ONLY_SCOPES: readonly string[] = ALL_SCOPES.filter((scope) => scope.endsWith(":read"));

/** A narrow client shaped like seed 004's (outcome reads only). */
export const OUTCOMES_SCOPES: readonly string[] = ["outbound:call:read", "outbound:campaign:read"];
