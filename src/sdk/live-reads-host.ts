import type { LiveReading } from "../platform/ports/live.ts";
import type { CampaignLiveMetrics } from "../platform/types.ts";
import { runCall } from "./call.ts";
import type { ClientRuntime, RequestOptions } from "./runtime.ts";

/**
 * The live reads `cxo serve`'s applications make of a campaign (the pacer's, the leader's
 * watches'), one definition for every host that gives them: each the port's own read, run as the
 * SDK runs its methods (runCall: the caller's signal and deadline joined with `close()`).
 */
export interface LiveReadsHost {
  /** A campaign's live metrics over the last `windowMinutes` (its dialer counters, when the platform has them). */
  campaignMetrics(
    campaignId: string,
    windowMinutes: number,
    options?: RequestOptions,
  ): Promise<CampaignLiveMetrics>;
  /** One live reading of the skills of `campaignIds` (their counts of today). */
  liveRead(campaignIds: readonly string[], options?: RequestOptions): Promise<LiveReading>;
}

export type LiveReadsRuntime = Pick<ClientRuntime, "port" | "calls" | "clock">;

export function liveReadsOver(runtime: LiveReadsRuntime): LiveReadsHost {
  const { port } = runtime;
  return {
    campaignMetrics: (campaignId, windowMinutes, options) =>
      runCall(runtime, options, (signal) => port.campaigns.metrics(campaignId, windowMinutes, signal)),
    liveRead: (campaignIds, options) =>
      runCall(runtime, options, (signal) => port.live.read(campaignIds, signal)),
  };
}
