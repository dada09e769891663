import path from "node:path";
import type { CxoneClient } from "../client.ts";
import type { ServiceExportSettings } from "../core/config/index.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";
import { exportOutcomes, parseExportQuery } from "../outcomes/index.ts";
import { serviceMetrics } from "./metrics.ts";

/**
 * Scheduled outcome exports (`service.exports`), run by the outcomes capability: every
 * `everyMinutes`, the calls that started in the last `lookbackMinutes` go to a new file in
 * `outDir`. One run per entry at a time: a run still going when the next is due is not doubled.
 */
export interface ExportSchedule {
  stop(): Promise<void>;
}

export function scheduleExports(options: {
  configs: readonly ServiceExportSettings[];
  client: CxoneClient | undefined;
  store: Store;
  logger: Logger;
}): ExportSchedule {
  const { client, configs, logger } = options;
  if (configs.length > 0 && !client)
    logger.warn("scheduled outcome exports need CXone credentials: not started");
  if (!client || configs.length === 0) return { stop: async () => undefined };
  const abort = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  const running = new Map<ServiceExportSettings, Promise<void>>();
  const run = (config: ServiceExportSettings) => {
    if (running.has(config)) return;
    const to = new Date();
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
      const summary = await exportOutcomes({
        client: client.port,
        store: options.store,
        query,
        out,
        format: config.format,
        signal: abort.signal,
      });
      serviceMetrics.exportRuns.inc({ outcome: "ok" });
      logger.info(
        { campaign: config.campaign, out, records: summary.totalRecords },
        "scheduled export written",
      );
    })()
      .catch((error: unknown) => {
        serviceMetrics.exportRuns.inc({ outcome: "error" });
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
