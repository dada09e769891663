import type { CxoneDncSyncResult } from "../compliance/cxone-dnc-sync.ts";
import type { Clock } from "../core/clock/clock.ts";
import type { Logger } from "../core/logging/index.ts";
import { PeriodicTask } from "../core/periodic-task.ts";
import type { Store } from "../core/store/index.ts";
import type { MonitoringHost } from "../sdk/monitoring-host.ts";

/**
 * `cxo serve` keeps the copy of the tenant's CXone DNC groups fresh (issue 62 §2): a sync at start,
 * then `consent.cxoneDncSyncMinutes` after each one ends, on the leader only (one writer of the
 * copy per store). Each sync replaces the copy in one transaction and is audited with the actor
 * `dnc-sync:<instance>`; a failed one is logged and leaves the previous copy in use (the checks
 * then see its age, and search live once it is older than `consent.cxoneDncMaxAgeMinutes`).
 * A platform without DNC groups (the seed API) runs nothing.
 */
export class CxoneDncSyncTask extends PeriodicTask {
  private readonly host: Pick<MonitoringHost, "syncDncGroups">;
  private readonly store: Store;
  private readonly logger: Logger;
  private readonly actor: string;
  /** The last sync that completed (for tests and the log). */
  last: CxoneDncSyncResult | undefined;

  constructor(options: {
    /** The sync, asked of the client (sdk/monitoring-host.ts). */
    host: Pick<MonitoringHost, "syncDncGroups">;
    store: Store;
    logger: Logger;
    intervalMs: number;
    actor: string;
    clock?: Clock;
  }) {
    super(options.intervalMs, { keepAlive: false, ...(options.clock ? { clock: options.clock } : {}) });
    this.host = options.host;
    this.store = options.store;
    this.logger = options.logger;
    this.actor = options.actor;
  }

  protected override async runOnce(signal: AbortSignal): Promise<void> {
    try {
      this.last = await this.host.syncDncGroups({ store: this.store, actor: this.actor }, { signal });
      this.logger.info(this.last, "CXone DNC groups synced");
    } catch (error) {
      if (this.stopped) return;
      this.logger.warn(
        { err: error },
        "CXone DNC groups sync failed: the previous copy stays in use (checks search live once it is too old)",
      );
      throw error;
    }
  }
}

/** The task for this client's platform, started; undefined where the platform has no DNC groups, or with an interval of 0 (off). */
export function startCxoneDncSync(options: {
  host: Pick<MonitoringHost, "hasDncGroups" | "syncDncGroups">;
  store: Store;
  logger: Logger;
  intervalMinutes: number;
  actor: string;
}): CxoneDncSyncTask | undefined {
  const { host } = options;
  if (!host.hasDncGroups() || options.intervalMinutes === 0) return undefined;
  const task = new CxoneDncSyncTask({
    host,
    store: options.store,
    logger: options.logger,
    intervalMs: options.intervalMinutes * 60_000,
    actor: options.actor,
  });
  task.start();
  return task;
}
