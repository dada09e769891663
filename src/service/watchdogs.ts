import {
  readIncidents,
  readWatchdogStates,
  type Watchdog,
  type WatchdogState,
} from "../campaigns/watchdog/index.ts";
import type { InternalClient } from "../client.ts";
import type { ServiceWatchdogSettings } from "../core/config/index.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";
import type { SkillLiveSnapshot } from "../platform/ports/live.ts";
import type { CampaignLiveMetrics } from "../platform/types.ts";
import { campaignControlHostOf } from "../sdk/campaign-control-host.ts";
import { reachesCxone } from "./cxone-status.ts";
import { tenantCounters } from "./metrics.ts";

/**
 * The failover watchdogs configured under `service.watchdogs`, run by the campaigns capability
 * (src/campaigns/watchdog: decisions, journaled pause/resume, persisted incidents). The service
 * starts them, feeds them webhook metrics (`observe`), relays their events to the dashboard,
 * counts evaluations and failovers for /metrics, and stops them on shutdown.
 */
export interface WatchdogSet {
  available: boolean;
  watchdogs: Array<{ config: ServiceWatchdogSettings; handle: Watchdog }>;
  observe(metrics: CampaignLiveMetrics): void;
  /** A live snapshot, for the live rules of the watchdogs whose primary it is. */
  observeLive(snapshot: SkillLiveSnapshot): Promise<unknown>;
  incidents(): Promise<unknown[]>;
  states(): WatchdogState[];
  stop(): Promise<void>;
}

export function startWatchdogs(options: {
  configs: readonly ServiceWatchdogSettings[];
  client: InternalClient;
  store: Store;
  logger: Logger;
  /** Dashboard relay: every watchdog event, with the pair it concerns. */
  relay: (event: string, payload: { primary: string; backup: string; detail: unknown }) => void;
  /** The business unit whose counters these are (a service for several: the `tenant` label). */
  tenant?: string | undefined;
}): WatchdogSet {
  const abort = new AbortController();
  const counters = tenantCounters(options.tenant);
  const watchdogs: WatchdogSet["watchdogs"] = [];
  const client = options.client;
  const connected = reachesCxone(client);
  if (options.configs.length > 0 && !connected)
    options.logger.warn("failover watchdogs need CXone credentials: not started");
  if (connected) {
    // Started by the SDK over the client (sdk/campaign-control-host.ts), each call one of its calls.
    const host = campaignControlHostOf(client);
    for (const config of options.configs) {
      const handle = host.startWatchdog(
        // Its pauses and resumes are audited with the automation as the actor, not the API client.
        { store: options.store, actor: `watchdog:${config.primary}` },
        { config, logger: options.logger, signal: abort.signal },
      );
      const pair = { primary: config.primary, backup: config.backup };
      handle.on("evaluation", (detail) => {
        counters.watchdogEvaluations.inc({ primary: config.primary });
        options.relay("watchdog", { ...pair, detail });
      });
      handle.on("failover", (detail) => {
        counters.watchdogFailovers.inc({ primary: config.primary });
        options.relay("failover", { ...pair, detail });
      });
      handle.on("fail-back", (detail) => options.relay("failover", { ...pair, detail }));
      handle.on("error", (error) => {
        options.logger.warn({ ...pair, error: error.message }, "watchdog error");
        options.relay("watchdog-error", { ...pair, detail: error.message });
      });
      watchdogs.push({ config, handle });
    }
  }
  return {
    available: true,
    watchdogs,
    observe(metrics) {
      for (const { config, handle } of watchdogs)
        if (config.primary === metrics.campaignId) handle.observe(metrics);
    },
    observeLive: (snapshot) =>
      Promise.all(
        watchdogs
          .filter(({ config }) => config.primary === snapshot.campaignId)
          .map(({ handle }) => handle.observeLive(snapshot)),
      ),
    incidents: () => readIncidents(options.store),
    states: () => watchdogs.map(({ handle }) => handle.state()),
    async stop() {
      abort.abort();
      await Promise.all(watchdogs.map(({ handle }) => handle.stop()));
    },
  };
}

/** A primary whose open incident has completed its failover. */
export function hasFailedOver(state: WatchdogState): boolean {
  if (!state.openIncidentId) return false;
  return state.incidents.some((i) => i.id === state.openIncidentId && i.phase === "failed-over");
}

/**
 * The watchdog set the HTTP surface sees on an instance that may or may not lead: the leader's
 * running set when it leads; otherwise none running, the pairs' states and incidents read from
 * the shared store (refreshed every 2 s), and pushed metrics handed to the leader through the
 * store (`share`).
 */
export function followerAwareWatchdogs(
  store: Store,
  leading: () => WatchdogSet | undefined,
  share: (metrics: CampaignLiveMetrics) => void,
): WatchdogSet {
  let stored: WatchdogState[] = [];
  const refresh = () => {
    if (leading()) return;
    readWatchdogStates(store).then(
      (states) => {
        stored = states;
      },
      () => undefined,
    );
  };
  refresh();
  const timer = setInterval(refresh, 2000);
  timer.unref();
  return {
    available: true,
    get watchdogs() {
      return leading()?.watchdogs ?? [];
    },
    observe(metrics) {
      const set = leading();
      if (set) set.observe(metrics);
      else share(metrics);
    },
    // Live readings happen on the leader only (leader-work.ts): a follower has none to judge.
    observeLive: (snapshot) => leading()?.observeLive(snapshot) ?? Promise.resolve(undefined),
    incidents: () => leading()?.incidents() ?? readIncidents(store),
    states: () => leading()?.states() ?? stored,
    stop: async () => clearInterval(timer),
  };
}
