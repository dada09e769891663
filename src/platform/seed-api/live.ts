import { clockNowMs } from "../../core/clock/now.ts";
import { NotFoundError } from "../../core/http/errors.ts";
import type { CampaignsPort } from "../ports/campaigns.ts";
import type { LivePort, SkillLiveSnapshot } from "../ports/live.ts";
/**
 * Live figures on the seed API, from what it has: the campaign (running = `active`) and its
 * metrics endpoint (`activeCalls` = contacts active now). The seed API has no tenant-wide
 * activity read, so a reading costs two requests per campaign; it gives no agent or queue
 * figures (but the agents logged in when the metrics carry the `dialer` counters) and no day
 * counts, so those stay absent.
 */
export const SEED_LIVE_SOURCE = "GET /api/v2/omnichannel/campaigns/:id/metrics";

export function seedLive(
  campaigns: Pick<CampaignsPort, "get" | "metrics">,
  now: () => number = clockNowMs,
): LivePort {
  return {
    async read(campaignIds, signal) {
      const readings = await Promise.all(
        campaignIds.map(async (campaignId): Promise<SkillLiveSnapshot | undefined> => {
          try {
            const [campaign, metrics] = await Promise.all([
              campaigns.get(campaignId, signal),
              campaigns.metrics(campaignId, 1, signal),
            ]);
            return {
              campaignId,
              running: campaign.status === "active",
              // The emulator's dialer counters (an extension of the seed's metrics) carry it.
              agentsLoggedIn: metrics.dialer?.agentsLoggedIn,
              agentsAvailable: undefined,
              agentsWorking: undefined,
              agentsInWrap: undefined,
              contactsActive: metrics.activeCalls,
              queued: undefined,
              observedAt: new Date(now()).toISOString(),
              source: SEED_LIVE_SOURCE,
              today: undefined,
            };
          } catch (error) {
            if (error instanceof NotFoundError) return undefined;
            throw error;
          }
        }),
      );
      return {
        snapshots: readings.filter((s): s is SkillLiveSnapshot => s !== undefined),
        requests: campaignIds.length * 2,
        notModified: false,
      };
    },
  };
}
