import { clockNowMs } from "../core/clock/now.ts";
import type { EmulatorContext } from "./context.ts";
import type { Campaign } from "./data/model.ts";
import type { ForcedMetrics } from "./state.ts";
/**
 * Campaign metrics (seed 002): a smooth per-campaign simulation around a seeded baseline, so a
 * watcher sees plausible movement, unless a test forced a value through the admin API (which
 * sticks until the next force or reset). `successRate` is a fraction in [0, 1].
 *
 * A campaign that is not active dials nothing new, so its active calls only drain: the calls in
 * flight when it was paused (or when a value was forced while paused) finish one by one, each
 * lasting about two minutes on average (an exponential drain, mean {@link DRAIN_MEAN_MS}).
 */
export interface CampaignMetrics {
  campaignId: string;
  windowMinutes: number;
  successRate: number;
  activeCalls: number;
  /** Calls completed in the window: the sample size a watchdog needs before trusting the rate. */
  callsInWindow: number;
  failoverTriggered: boolean;
  lastUpdated: string;
  forced: boolean;
}

/**
 * A forced `callsInWindow`, kept beside the forced metrics (keyed by that entry, so a reset or
 * the next force without it drops it with the entry).
 */
const forcedCallsInWindow = new WeakMap<ForcedMetrics, number>();

export function forceCallsInWindow(forced: ForcedMetrics, callsInWindow: number | undefined): void {
  if (callsInWindow !== undefined) forcedCallsInWindow.set(forced, callsInWindow);
}

/** Mean remaining life of a call in flight when its campaign stops dialing. */
export const DRAIN_MEAN_MS = 120_000;

/** The active calls a campaign had when it last stopped dialing, and when (per campaign object). */
const drains = new WeakMap<Campaign, { activeCalls: number; atMs: number }>();

/**
 * Call BEFORE a campaign's status changes: leaving `active` starts the drain from the calls in
 * flight at that moment; becoming active ends it.
 */
export function noteStatusChange(ctx: EmulatorContext, campaign: Campaign, next: string): void {
  if (next === "active") drains.delete(campaign);
  else if (campaign.status === "active") {
    drains.set(campaign, { activeCalls: currentMetrics(ctx, campaign, 30).activeCalls, atMs: clockNowMs() });
  }
}

/** The calls still in flight `now` on a campaign that is not dialing. */
function drainedCalls(campaign: Campaign, forced: ForcedMetrics | undefined, now: number): number {
  let start = drains.get(campaign);
  if (forced && forced.activeCalls !== null) {
    const forcedAt = Date.parse(forced.at);
    if (!start || forcedAt >= start.atMs) start = { activeCalls: forced.activeCalls, atMs: forcedAt };
  }
  if (!start) return 0;
  return Math.floor(start.activeCalls * Math.exp(-Math.max(0, now - start.atMs) / DRAIN_MEAN_MS));
}

export function currentMetrics(
  ctx: EmulatorContext,
  campaign: Campaign,
  windowMinutes: number,
): CampaignMetrics {
  const now = clockNowMs();
  const forced = ctx.state.forcedMetrics.get(campaign.id);
  const { baseSuccessRate, phase } = campaign.simulation;
  // A slow wave (period ~2 h) plus a faster ripple; the window smooths the ripple.
  const t = now / 3_600_000;
  const ripple = (0.03 * Math.sin(t * 12 + phase)) / Math.sqrt(Math.max(1, windowMinutes / 5));
  const simulated = Math.min(1, Math.max(0, baseSuccessRate + 0.04 * Math.sin(t * Math.PI + phase) + ripple));
  const successRate = forced ? forced.successRate : Math.round(simulated * 10_000) / 10_000;
  const simulatedCalls =
    campaign.status === "active" ? 20 + Math.round(15 * (1 + Math.sin(t * 3 + phase))) : 0;
  const activeCalls =
    campaign.status === "active"
      ? (forced?.activeCalls ?? simulatedCalls)
      : drainedCalls(campaign, forced, now);
  // Calls finish about every two minutes per line in flight, so the window's count scales with
  // its length; a paused or stopped campaign completes none.
  const simulatedInWindow = Math.round((simulatedCalls * windowMinutes) / 2);
  const callsInWindow = (forced && forcedCallsInWindow.get(forced)) ?? simulatedInWindow;
  const threshold = campaign.failoverConfig?.enabled ? campaign.failoverConfig.thresholdValue : null;
  return {
    campaignId: campaign.id,
    windowMinutes,
    successRate,
    activeCalls,
    callsInWindow,
    failoverTriggered: threshold !== null && campaign.status === "active" && successRate < threshold,
    lastUpdated: forced?.at ?? new Date(now - (now % 60_000)).toISOString(),
    forced: Boolean(forced),
  };
}
