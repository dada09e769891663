import { InputError } from "../../core/input-error.ts";
import { idOf } from "../../core/params.ts";
import type { Store } from "../../core/store/index.ts";
import type { ClientContext } from "../../platform/client-context.ts";
import type { Watchdog, WatchdogConfig } from "./watchdog.ts";

/** `watch`'s params: the watchdog's config (the primary at least), and how it runs. */
export type WatchParams = Partial<WatchdogConfig> & {
  primary: string;
  /** `loop` (default): evaluates every interval until stopped; `manual`: when told to. */
  mode?: "loop" | "manual";
  /**
   * Judge the live figures too (default true; see `watch`); `false` judges the success rate
   * only. (`live` is the live rules' own config, as in WatchdogConfig.)
   */
  judgeLive?: boolean;
  /** Stops the watchdog (as its `stop()` does). */
  stopSignal?: AbortSignal;
};

/**
 * `campaigns.watch`: a failover watchdog started from its params, the fields not given taken from
 * the primary's spec when this data dir created it, else the defaults. The caller owns it (the
 * SDK hands it to the client, whose close() stops it).
 */
export async function startWatchOf(
  client: ClientContext,
  store: () => Promise<Store>,
  params: WatchParams,
  signal: AbortSignal | undefined,
): Promise<Watchdog & { readonly config: WatchdogConfig }> {
  const port = client.port.campaigns;
  if (typeof params !== "object" || params === null)
    throw new InputError({ field: "primary", rule: "is required (the campaign to watch)" });
  const { mode, judgeLive, stopSignal, ...config } = params;
  idOf(config.primary, "primary");
  const [{ parseInput }, { findKnownCampaign }, { startWatchdog, WATCHDOG_DEFAULTS, watchdogConfigSchema }] =
    await Promise.all([
      import("../../core/input-file.ts"),
      import("../known-campaigns.ts"),
      import("./watchdog.ts"),
    ]);
  const s = await store();
  signal?.throwIfAborted();
  const spec = (await findKnownCampaign(s, config.primary))?.failover ?? undefined;
  signal?.throwIfAborted();
  if (config.backup === undefined && spec?.backupCampaignId === undefined)
    throw new InputError({
      field: "backup",
      rule: "is required (or create the primary from a spec with failover.backupCampaignId)",
    });
  const merged = {
    ...WATCHDOG_DEFAULTS,
    ...(spec?.backupCampaignId ? { backup: spec.backupCampaignId } : {}),
    ...(spec?.threshold === undefined ? {} : { threshold: spec.threshold }),
    ...(spec?.windowMinutes === undefined ? {} : { windowMinutes: spec.windowMinutes }),
    ...(spec?.minSample === undefined ? {} : { minSample: spec.minSample }),
    ...(spec?.breaches === undefined ? {} : { breaches: spec.breaches }),
    ...Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)),
  };
  const checked = parseInput(merged, watchdogConfigSchema);
  const watchdog = startWatchdog({
    client: port,
    store: s,
    config: checked,
    ...(client.logger ? { logger: client.logger } : {}),
    ...(stopSignal ? { signal: stopSignal } : {}),
    mode: mode ?? "loop",
    ...(judgeLive === false ? {} : { live: client.port.live }),
  });
  return Object.assign(watchdog, { config: checked });
}
