import type { Logger } from "../core/logging/index.ts";
import { scrubSecrets } from "../core/logging/index.ts";
import { PeriodicTask } from "../core/periodic-task.ts";
import type { LivePort, SkillLiveSnapshot } from "../platform/ports/live.ts";
import type { CampaignBoard } from "./campaign-board.ts";
import { type TenantCounters, tenantCounters } from "./metrics.ts";

/** What a LivePoller reads, where it records the figures, and who judges them. */
export interface LivePollerOptions {
  live: LivePort;
  board: CampaignBoard;
  intervalMs: number;
  logger: Logger;
  /** The watchdogs' live rules (service/watchdogs.ts). */
  observe: (snapshot: SkillLiveSnapshot) => Promise<unknown> | undefined;
  /** The business unit whose counters these are (a service for several: the `tenant` label). */
  tenant?: string | undefined;
}

/**
 * Reads live figures for EVERY campaign on the board in one reading per interval (on the
 * production platform: two tenant-wide requests, whatever the number of campaigns; see
 * docs/service.md for the request budget), records them on the board (dashboard, /api,
 * /metrics) and hands each snapshot to the watchdogs' live rules. Readings never overlap: a
 * slow one delays the next. Runs on the leader only.
 */
export class LivePoller extends PeriodicTask {
  private readonly options: LivePollerOptions;

  private readonly counters: TenantCounters;

  constructor(options: LivePollerOptions) {
    super(options.intervalMs, { keepAlive: false });
    this.options = options;
    this.counters = tenantCounters(options.tenant);
  }

  /** One reading now (also what the timer runs); resolves once the watchdogs have judged it. */
  readNow(): Promise<void> {
    return this.runNow();
  }

  protected override async runOnce(signal: AbortSignal): Promise<void> {
    const { live, board, logger } = this.options;
    const ids = board.ids();
    if (ids.length === 0) return;
    try {
      const reading = await live.read(ids, signal);
      if (this.stopped) return;
      this.counters.liveRequests.inc({}, reading.requests);
      this.counters.liveReadings.inc({ outcome: reading.notModified ? "not_modified" : "ok" });
      for (const snapshot of reading.snapshots) board.recordLive(snapshot);
      await Promise.all(reading.snapshots.map((snapshot) => this.options.observe(snapshot)));
    } catch (error) {
      if (this.stopped) return;
      this.counters.liveReadings.inc({ outcome: "error" });
      logger.warn(
        { error: scrubSecrets(error instanceof Error ? error.message : String(error)) },
        "live reading failed",
      );
    }
  }
}
