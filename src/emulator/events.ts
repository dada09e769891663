import type { EmulatorContext } from "./context.ts";
import type { Campaign } from "./data/model.ts";
import { currentMetrics } from "./metrics.ts";
import { newEvent } from "./webhooks.ts";

/**
 * Where the emulator's webhook events come from. Omnichannel registrations (seed 002) get
 * campaign metrics and state changes; integration registrations (seed 003) get dialer
 * settings updates and campaign activations.
 */
export const OMNI_EVENTS = [
  "omnichannel.campaign.metrics.update",
  "omnichannel.campaign.state.change",
] as const;
export const DIALER_EVENTS = ["dialer.settings.updated", "dialer.campaign.activated"] as const;

export function emitOmni(
  ctx: EmulatorContext,
  type: (typeof OMNI_EVENTS)[number],
  campaignId: string,
  data: Record<string, unknown>,
): void {
  const event = newEvent(type, campaignId, data);
  for (const hook of ctx.state.omniWebhooks) {
    if (!hook.enabled || !hook.events.includes(type)) continue;
    ctx.webhooks.send(
      { webhookId: hook.id, url: hook.callbackUrl, secret: hook.secret, headers: hook.headers },
      event,
    );
  }
}

export function emitDialer(
  ctx: EmulatorContext,
  type: (typeof DIALER_EVENTS)[number],
  campaignId: string | null,
  data: Record<string, unknown>,
): void {
  const event = newEvent(type, campaignId, data);
  for (const hook of ctx.state.integrationWebhooks) {
    if (!hook.events.includes(type)) continue;
    const headers: Record<string, string> = {};
    if (hook.auth?.type === "bearer" && hook.auth.token) headers.authorization = `Bearer ${hook.auth.token}`;
    if (hook.auth?.type === "basic" && hook.auth.username !== undefined) {
      const pair = `${hook.auth.username}:${hook.auth.password ?? ""}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString("base64")}`;
    }
    ctx.webhooks.send(
      {
        webhookId: hook.id,
        url: hook.url,
        secret: hook.secret,
        headers,
        maxRetries: hook.retryPolicy?.maxRetries ?? 3,
        timeoutMs: (hook.retryPolicy?.timeoutSec ?? 5) * 1000,
      },
      event,
    );
  }
}

/** Status changes fan out to both families: state change for 002, activation for 003. */
export function campaignStatusChanged(
  ctx: EmulatorContext,
  campaign: Campaign,
  previous: string | null,
): void {
  emitOmni(ctx, "omnichannel.campaign.state.change", campaign.id, {
    previousStatus: previous,
    status: campaign.status,
  });
  if (campaign.status === "active") {
    emitDialer(ctx, "dialer.campaign.activated", campaign.id, {
      name: campaign.name,
      status: campaign.status,
    });
  }
}

export function emitMetrics(ctx: EmulatorContext, campaign: Campaign): void {
  emitOmni(ctx, "omnichannel.campaign.metrics.update", campaign.id, { ...currentMetrics(ctx, campaign, 30) });
}
