import { named } from "../core/http/not-found.ts";
import { InputError } from "../core/input-error.ts";
import { parseInput } from "../core/input-file.ts";
import type { Store } from "../core/store/index.ts";
import type { CampaignsPort } from "../platform/ports/campaigns.ts";
import type { Campaign, EventSubscription } from "../platform/types.ts";
import { comparableSettings } from "./compare-tenants.ts";
import { type CreateOutcome, createCampaign } from "./create.ts";
import { type CampaignSpecInput, campaignSpecSchema, resolveContactList } from "./spec.ts";
import { changeCampaignStatus, type SetStatusResult } from "./transition.ts";
import { registerWebhook, type WebhookOptions, webhookOptionsSchema } from "./webhook.ts";

export { campaignOperations } from "./operations.ts";

// A client's campaign writes and reads (sdk/campaigns.ts): this file is loaded on the first of
// them, with the campaigns' journal operations (operations.ts imports the writes already).

/** What each call works with: the client's campaigns port, and its store. */
export interface CampaignsOfClient {
  port: CampaignsPort;
  /** The store, with the campaigns' pending journal rows re-driven first (once per client). */
  store: () => Promise<Store>;
}

/** A write's signal and idempotency key (a keyed call's; undefined otherwise). */
interface KeyedCall {
  signal: AbortSignal | undefined;
  idempotencyKey: string | undefined;
}

/** `create`'s params: the spec, and the contact list when the spec names none. */
export interface CreateCampaignParams {
  spec: CampaignSpecInput;
  /** The contact list to dial (overrides the spec's `contactListId`, which may be left out). */
  contactListId?: string;
}

/** A campaign's state and definition, as `campaigns.get` reads it. */
export type CampaignDetails = Omit<Campaign, "raw"> & { settings: Record<string, unknown> };

/** `create`: the spec checked (nothing sent when it is bad), then created once. */
export async function createOfClient(
  ctx: CampaignsOfClient,
  params: CreateCampaignParams,
  request: KeyedCall,
): Promise<CreateOutcome> {
  if (typeof params !== "object" || params === null || !("spec" in params))
    throw new InputError({ field: "spec", rule: "is required: create({ spec, contactListId? })" });
  const { spec, contactListId } = params;
  const parsed = parseInput(spec, campaignSpecSchema);
  const resolved = resolveContactList(parsed, contactListId);
  if ("problem" in resolved) throw new InputError(resolved.problem);
  return createCampaign(ctx.port, await ctx.store(), resolved, request);
}

/** `pause` and `resume`: one status change, once. */
export async function setStatusOfClient(
  ctx: CampaignsOfClient,
  campaignId: string,
  target: "paused" | "active",
  request: KeyedCall,
): Promise<SetStatusResult> {
  // An unknown campaign is CXone's NotFoundError, as for every call (the CLI exits 2).
  const s = await ctx.store();
  return named("campaign", campaignId, () => changeCampaignStatus(ctx.port, s, campaignId, target, request));
}

/** `get`: the campaign's state, and its settings without identifiers and timestamps. */
export async function getOfClient(
  ctx: CampaignsOfClient,
  id: string,
  signal: AbortSignal | undefined,
): Promise<CampaignDetails> {
  const { raw, ...campaign } = await named("campaign", id, () => ctx.port.get(id, signal));
  return { ...campaign, settings: comparableSettings(raw) };
}

/** `subscribe`: the receiver registered once. */
export async function subscribeOfClient(
  ctx: CampaignsOfClient,
  options: { url: string; name?: string; secret?: string },
  signal: AbortSignal | undefined,
): Promise<EventSubscription> {
  const checked: WebhookOptions = parseInput(
    { name: "cxo campaign events", ...options },
    webhookOptionsSchema,
  );
  return registerWebhook(ctx.port, await ctx.store(), checked, signal);
}
