import type { EmulatorContext } from "./context.ts";
import type { Campaign } from "./data/model.ts";

/**
 * Campaign metrics (seed 002): a smooth per-campaign simulation around a seeded baseline, so a
 * watcher sees plausible movement, unless a test forced a value through the admin API (which
 * sticks until the next force or reset). `successRate` is a fraction in [0, 1].
 */
export interface CampaignMetrics {
  campaignId: string;
  windowMinutes: number;
  successRate: number;
  activeCalls: number;
  failoverTriggered: boolean;
  lastUpdated: string;
  forced: boolean;
}

export function currentMetrics(
  ctx: EmulatorContext,
  campaign: Campaign,
  windowMinutes: number,
): CampaignMetrics {
  const now = Date.now();
  const forced = ctx.state.forcedMetrics.get(campaign.id);
  const { baseSuccessRate, phase } = campaign.simulation;
  // A slow wave (period ~2 h) plus a faster ripple; the window smooths the ripple.
  const t = now / 3_600_000;
  const ripple = (0.03 * Math.sin(t * 12 + phase)) / Math.sqrt(Math.max(1, windowMinutes / 5));
  const simulated = Math.min(1, Math.max(0, baseSuccessRate + 0.04 * Math.sin(t * Math.PI + phase) + ripple));
  const successRate = forced ? forced.successRate : Math.round(simulated * 10_000) / 10_000;
  const simulatedCalls =
    campaign.status === "active" ? 20 + Math.round(15 * (1 + Math.sin(t * 3 + phase))) : 0;
  const activeCalls = forced?.activeCalls ?? simulatedCalls;
  const threshold = campaign.failoverConfig?.enabled ? campaign.failoverConfig.thresholdValue : null;
  return {
    campaignId: campaign.id,
    windowMinutes,
    successRate,
    activeCalls,
    failoverTriggered: threshold !== null && campaign.status === "active" && successRate < threshold,
    lastUpdated: forced?.at ?? new Date(now - (now % 60_000)).toISOString(),
    forced: Boolean(forced),
  };
}
