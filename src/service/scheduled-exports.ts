import path from "node:path";
import type { InternalClient } from "../client.ts";
import { clockNowDate, clockNowMs } from "../core/clock/now.ts";
import type { ServiceExportSettings } from "../core/config/index.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";
import { parseExportQuery } from "../outcomes/index.ts";
import { type ExportHost, exportHostOf } from "../sdk/export-host.ts";
import { reachesCxone } from "./cxone-status.ts";
import { type TenantCounters, tenantCounters } from "./metrics.ts";
/**
 * Scheduled outcome exports (`service.exports`), run by the outcomes capability: every
 * `everyMinutes`, the calls that started in the last `lookbackMinutes` go to a new file in
 * `outDir`. One run per entry at a time: a run still going when the next is due is not doubled.
 * `format: parquet` appends to one dataset in `outDir` instead (exportDays).
 */
export interface ExportSchedule {
  stop(): Promise<void>;
}

export function scheduleExports(options: {
  configs: readonly ServiceExportSettings[];
  client: InternalClient;
  store: Store;
  logger: Logger;
  /** The business unit whose counters these are (a service for several: the `tenant` label). */
  tenant?: string | undefined;
}): ExportSchedule {
  const { client, configs, logger } = options;
  const counters = tenantCounters(options.tenant);
  const connected = reachesCxone(client);
  if (configs.length > 0 && !connected)
    logger.warn("scheduled outcome exports need CXone credentials: not started");
  if (!connected || configs.length === 0) return { stop: async () => undefined };
  // Each export one of the client's calls (sdk/export-host.ts), into the service's store.
  const host = exportHostOf(client);
  const abort = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  const running = new Map<ServiceExportSettings, Promise<void>>();
  const run = (config: ServiceExportSettings) => {
    if (running.has(config)) return;
    if (config.format === "parquet") {
      const task = exportDays(
        config,
        host,
        options.store,
        logger,
        abort.signal,
        clockNowMs(),
        counters,
      ).finally(() => running.delete(config));
      running.set(config, task);
      return;
    }
    const to = clockNowDate();
    const from = new Date(to.getTime() - config.lookbackMinutes * 60_000);
    const out = path.resolve(
      config.outDir,
      `${config.campaign}-${to.toISOString().replaceAll(":", "")}.${config.format}`,
    );
    const task = (async () => {
      const query = parseExportQuery({
        campaign: config.campaign,
        from: from.toISOString(),
        to: to.toISOString(),
      });
      const summary = await host.exportOutcomes(
        options.store,
        { query, out, format: config.format },
        { signal: abort.signal },
      );
      counters.exportRuns.inc({ outcome: "ok" });
      logger.info(
        { campaign: config.campaign, out, records: summary.totalRecords },
        "scheduled export written",
      );
    })()
      .catch((error: unknown) => {
        counters.exportRuns.inc({ outcome: "error" });
        logger.error({ campaign: config.campaign, error: String(error) }, "scheduled export failed");
      })
      .finally(() => running.delete(config));
    running.set(config, task);
  };
  for (const config of configs) timers.push(setInterval(() => run(config), config.everyMinutes * 60_000));
  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      abort.abort();
      await Promise.allSettled(running.values());
    },
  };
}

const DAY_MS = 86_400_000;

/**
 * A Parquet schedule's run: each complete UTC day the lookback reaches (at least yesterday),
 * oldest first, exported into the dataset `outDir` as its `date=` partition, with `resume` on: a
 * day already exported completes at once without a request (its checkpoint says so), a day an
 * earlier run left half-done continues, so re-runs append each day exactly once.
 */
export async function exportDays(
  config: ServiceExportSettings,
  /** The client's export (`exportHostOf(client)`), with the TSR fields of its settings. */
  host: ExportHost,
  store: Store,
  logger: Logger,
  signal: AbortSignal,
  now = clockNowMs(),
  counters: TenantCounters = tenantCounters(undefined),
): Promise<void> {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const days = Math.max(1, Math.ceil(config.lookbackMinutes / 1440));
  const out = path.resolve(config.outDir);
  for (let n = days; n >= 1 && !signal.aborted; n--) {
    const from = new Date(today - n * DAY_MS).toISOString();
    const to = new Date(today - (n - 1) * DAY_MS).toISOString();
    try {
      const summary = await host.exportOutcomes(
        store,
        {
          query: parseExportQuery({ campaign: config.campaign, from, to }),
          out,
          format: "parquet",
          resume: true,
        },
        { signal },
      );
      counters.exportRuns.inc({ outcome: "ok" });
      if (!summary.alreadyComplete)
        logger.info(
          { campaign: config.campaign, out, day: from.slice(0, 10), records: summary.totalRecords },
          "scheduled export written",
        );
    } catch (error) {
      counters.exportRuns.inc({ outcome: "error" });
      logger.error(
        { campaign: config.campaign, day: from.slice(0, 10), error: String(error) },
        "scheduled export failed",
      );
    }
  }
}
