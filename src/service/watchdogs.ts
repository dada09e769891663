import type { CxoneClient } from "../client.ts";
import type { ServiceWatchdogSettings } from "../core/config/index.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";
import type { CampaignLiveMetrics } from "../platform/types.ts";
import { serviceMetrics } from "./metrics.ts";
import { importIfPresent } from "./optional-module.ts";

/**
 * The failover watchdogs configured under `service.watchdogs`, run by the campaigns capability
 * (src/campaigns/watchdog). The service only starts them, feeds them webhook metrics, relays
 * their events to the dashboard and stops them on shutdown; the failover rules are theirs.
 *
 * The module is loaded at run time, so a build without it still serves everything else (the
 * dashboard then says watchdogs are unavailable).
 */
export interface WatchdogHandle {
  evaluateNow(): Promise<unknown>;
  observe(metrics: CampaignLiveMetrics): void;
  state(): unknown;
  on(event: "evaluation" | "failover" | "error", listener: (payload: unknown) => void): unknown;
  stop(): unknown;
}

interface WatchdogModule {
  startWatchdog(options: {
    client: CxoneClient;
    store: Store;
    logger?: Logger;
    config: ServiceWatchdogSettings;
    signal?: AbortSignal;
  }): WatchdogHandle;
  readIncidents?(store: Store): Promise<unknown[]>;
}

const loadWatchdogModule = () => importIfPresent<WatchdogModule>("../campaigns/watchdog/index.ts");

export interface WatchdogSet {
  available: boolean;
  watchdogs: Array<{ config: ServiceWatchdogSettings; handle: WatchdogHandle }>;
  observe(metrics: CampaignLiveMetrics): void;
  incidents(): Promise<unknown[]>;
  states(): Array<{ primary: string; backup: string; state: unknown }>;
  stop(): Promise<void>;
}

export async function startWatchdogs(options: {
  configs: readonly ServiceWatchdogSettings[];
  client: CxoneClient | undefined;
  store: Store;
  logger: Logger;
  /** Dashboard relay: every watchdog event, with the pair it concerns. */
  relay: (event: string, payload: { primary: string; backup: string; detail: unknown }) => void;
}): Promise<WatchdogSet> {
  const module = await loadWatchdogModule();
  const abort = new AbortController();
  const watchdogs: WatchdogSet["watchdogs"] = [];
  if (!module) {
    if (options.configs.length > 0)
      options.logger.warn(
        { watchdogs: options.configs.length },
        "failover watchdogs are not available in this build (src/campaigns/watchdog is missing): not started",
      );
  } else if (options.configs.length > 0 && !options.client) {
    options.logger.warn("failover watchdogs need CXone credentials: not started");
  } else if (options.client) {
    for (const config of options.configs) {
      const handle = module.startWatchdog({
        client: options.client,
        store: options.store,
        logger: options.logger,
        config,
        signal: abort.signal,
      });
      const pair = { primary: config.primary, backup: config.backup };
      handle.on("evaluation", (detail) => {
        serviceMetrics.watchdogEvaluations.inc({ primary: config.primary });
        options.relay("watchdog", { ...pair, detail });
      });
      handle.on("failover", (detail) => {
        serviceMetrics.watchdogFailovers.inc({ primary: config.primary });
        options.relay("failover", { ...pair, detail });
      });
      handle.on("error", (detail) => {
        options.logger.warn(
          { ...pair, error: String((detail as Error)?.message ?? detail) },
          "watchdog error",
        );
        options.relay("watchdog-error", { ...pair, detail: String((detail as Error)?.message ?? detail) });
      });
      watchdogs.push({ config, handle });
    }
  }
  return {
    available: module !== undefined,
    watchdogs,
    observe(metrics) {
      for (const { config, handle } of watchdogs)
        if (config.primary === metrics.campaignId || config.backup === metrics.campaignId)
          handle.observe(metrics);
    },
    async incidents() {
      return module?.readIncidents ? await module.readIncidents(options.store) : [];
    },
    states() {
      return watchdogs.map(({ config, handle }) => ({
        primary: config.primary,
        backup: config.backup,
        state: handle.state(),
      }));
    },
    async stop() {
      abort.abort();
      await Promise.all(watchdogs.map(({ handle }) => handle.stop()));
    },
  };
}
