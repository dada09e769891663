import type { CxoneClient } from "../client.ts";
import type { ServiceExportSettings } from "../core/config/index.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";
import { serviceMetrics } from "./metrics.ts";
import { importIfPresent } from "./optional-module.ts";

/**
 * Scheduled outcome exports (`service.exports`), run by the outcomes capability (src/outcomes,
 * `exportOutcomes`). Loaded at run time: a build without it logs once that scheduled exports
 * are not available and serves everything else. One run per entry at a time; a run that is
 * still going when the next is due is not doubled.
 */
type ExportFn = (options: Record<string, unknown>) => Promise<unknown>;

async function loadExporter(): Promise<ExportFn | undefined> {
  const module = await importIfPresent<{ exportOutcomes?: ExportFn }>("../outcomes/index.ts");
  return module?.exportOutcomes;
}

export interface ExportSchedule {
  available: boolean;
  stop(): Promise<void>;
}

export async function scheduleExports(options: {
  configs: readonly ServiceExportSettings[];
  client: CxoneClient | undefined;
  store: Store;
  logger: Logger;
}): Promise<ExportSchedule> {
  if (options.configs.length === 0) return { available: true, stop: async () => undefined };
  const exporter = await loadExporter();
  if (!exporter || !options.client) {
    options.logger.warn(
      { exports: options.configs.length },
      exporter
        ? "scheduled outcome exports need CXone credentials: not started"
        : "scheduled outcome exports are not yet available in this build (src/outcomes is missing): not started",
    );
    return { available: false, stop: async () => undefined };
  }
  const client = options.client;
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  const busy = new Set<ServiceExportSettings>();
  for (const config of options.configs) {
    const run = () => {
      if (busy.has(config)) return;
      busy.add(config);
      const to = new Date();
      const from = new Date(to.getTime() - config.lookbackMinutes * 60_000);
      const task = exporter({
        client,
        store: options.store,
        logger: options.logger,
        campaignId: config.campaign,
        from: from.toISOString(),
        to: to.toISOString(),
        format: config.format,
        out: `${config.outDir}/${config.campaign}-${to.toISOString().replaceAll(":", "")}.${config.format}`,
      })
        .then(() => serviceMetrics.exportRuns.inc({ outcome: "ok" }))
        .catch((error: unknown) => {
          serviceMetrics.exportRuns.inc({ outcome: "error" });
          options.logger.error(
            { campaign: config.campaign, error: String(error) },
            "scheduled export failed",
          );
        })
        .finally(() => {
          busy.delete(config);
          running.delete(task);
        });
      running.add(task);
    };
    timers.push(setInterval(run, config.everyMinutes * 60_000));
  }
  return {
    available: true,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.allSettled(running);
    },
  };
}
