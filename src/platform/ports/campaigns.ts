import type { Paginated } from "../../core/http/pagination.ts";
import type {
  Campaign,
  CampaignDefinition,
  CampaignLiveMetrics,
  CampaignStatus,
  Contact,
  ContactPage,
  ContactQuery,
  EventSubscription,
  EventSubscriptionRequest,
} from "../types.ts";
import type { PresentedCallerId } from "./diagnosis.ts";

/**
 * Seed 002: predictive campaigns, their contact lists, live metrics and event webhooks.
 * Writes take an idempotency key chosen by the caller for one INTENT (stable across retries
 * and restarts), so a retried create or status change is done once. A status change to the
 * state the campaign is already in fails with ConflictError (code `already_in_state`); the
 * capability decides that this is success.
 */
/** What the capability judges during a create or a resume, before the platform starts dialing. */
export interface CreateHooks {
  /**
   * Asked before a skill is started (`status: active`), with the caller id its calls will
   * present: a throw leaves it not started (the create fails with that error); the strings
   * returned are the create's warnings.
   */
  beforeStart?(skillId: string, callerId: PresentedCallerId): Promise<string[]>;
}

export interface CampaignsPort {
  create(
    definition: CampaignDefinition,
    idempotencyKey: string,
    signal?: AbortSignal,
    hooks?: CreateHooks,
  ): Promise<CampaignWrite>;
  get(campaignId: string, signal?: AbortSignal): Promise<Campaign>;
  /** `hooks.beforeStart` is asked before a move to `active` starts the campaign dialing. */
  setStatus(
    campaignId: string,
    status: CampaignStatus,
    idempotencyKey: string,
    signal?: AbortSignal,
    hooks?: CreateHooks,
  ): Promise<CampaignWrite>;
  metrics(campaignId: string, windowMinutes: number, signal?: AbortSignal): Promise<CampaignLiveMetrics>;
  /** Registers a callback URL for campaign metrics and state-change events. */
  subscribe(request: EventSubscriptionRequest, signal?: AbortSignal): Promise<EventSubscription>;
  /** Contacts of a list matching a server-side query, one by one, in constant memory. */
  listContacts(contactListId: string, query: ContactQuery, signal?: AbortSignal): Paginated<Contact>;
  /**
   * The same listing as pages decoded on demand (see ContactPage), for consumers of whole
   * lists: no page's worth of contact objects is ever held.
   */
  contactPages(contactListId: string, query: ContactQuery, signal?: AbortSignal): AsyncGenerator<ContactPage>;
  /**
   * The tenant's own campaigns, where the platform can list them (the production platform: its
   * outbound Personal Connection skills), page by page as the loop asks. Absent on a platform
   * that cannot: there the SDK lists the campaigns created from the data dir.
   */
  listTenant?(signal?: AbortSignal): AsyncGenerator<TenantCampaign>;
}

/** One of the tenant's campaigns as its listing gives it. */
export interface TenantCampaign {
  id: string;
  name: string;
  status: CampaignStatus;
  createdAt: string | undefined;
}

export interface CampaignWrite {
  campaign: Campaign;
  /** CXone answered from its idempotency store: this intent had already been carried out. */
  replayed: boolean;
  requestId: string | undefined;
  attempts: number;
  /** Parts of the definition the platform did not take (the campaign exists without them). */
  warnings?: string[];
}
