import { clockNowMs } from "../core/clock/now.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";
import type { CampaignLiveMetrics } from "../platform/types.ts";
/**
 * CXone webhooks reach whichever instance the load balancer picks, but only the leader runs
 * the watchdogs. A follower writes each pushed metrics sample to the store (one checkpoint per
 * campaign, the latest wins); the leader reads samples newer than what it has seen every
 * `everyMs` and hands them to its watchdogs, so a webhook-pushed breach fails a campaign over
 * wherever it landed.
 */
export const OBSERVED_METRICS = "service.observed-metrics";

interface ObservedSample {
  metrics: CampaignLiveMetrics;
  /** Epoch ms when the follower received it. */
  at: number;
  by: string;
}

export function shareObservation(store: Store, metrics: CampaignLiveMetrics, logger: Logger): void {
  const sample: ObservedSample = { metrics, at: clockNowMs(), by: store.instance.name };
  store.kv.set(OBSERVED_METRICS, metrics.campaignId, sample).catch((error) => {
    logger.warn(
      { err: error, campaignId: metrics.campaignId },
      "could not hand a webhook sample to the leader",
    );
  });
}

/** On the leader: feeds samples written by followers since it took over to `observe`. */
export function relayObservations(
  store: Store,
  observe: (metrics: CampaignLiveMetrics) => void,
  logger: Logger,
  everyMs = 1000,
): () => void {
  let since = clockNowMs();
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const rows = await store.kv.list(OBSERVED_METRICS);
      const fresh = rows
        .map((row) => row.value as ObservedSample)
        .filter((sample) => sample.at > since)
        .sort((a, b) => a.at - b.at);
      for (const sample of fresh) {
        since = Math.max(since, sample.at);
        observe(sample.metrics);
      }
    } catch (error) {
      logger.warn({ err: error }, "could not read webhook samples from other instances");
    } finally {
      busy = false;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
