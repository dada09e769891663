import { clockNowMs } from "../core/clock/now.ts";
import { NotFoundError } from "../core/http/errors.ts";
import type { Logger } from "../core/logging/index.ts";
import { scrubSecrets } from "../core/logging/index.ts";
import { PeriodicTask } from "../core/periodic-task.ts";
import { NotSupportedError } from "../platform/errors.ts";
import type { CampaignsPort } from "../platform/ports/campaigns.ts";
import type { DialerPort } from "../platform/ports/dialer.ts";
import type { CampaignBoard } from "./campaign-board.ts";
import { type TenantCounters, tenantCounters } from "./metrics.ts";
/** What a MetricsPoller reads, how often, and where it records the figures. */
export interface MetricsPollerOptions {
  campaigns: Pick<CampaignsPort, "get" | "metrics">;
  board: CampaignBoard;
  intervalMs: number;
  windowMinutes: number;
  logger: Logger;
  /**
   * Campaigns created since boot (`cxo campaigns create` from another process, or the demo)
   * are discovered here at the start of every round, so the dashboard picks them up without
   * a restart.
   */
  discover?: () => Promise<readonly string[]>;
  /**
   * Where the abandonment rate comes from: the platform's dialer analytics (seed 003's
   * `/api/v1/analytics/dialer/metrics`, hourly buckets), the latest bucket of the last
   * {@link ABANDONMENT_LOOKBACK_MS}. Without it, or when the platform does not report it (or
   * the credentials lack the analytics scope), the board shows abandonment as not reported.
   */
  dialer?: Pick<DialerPort, "metrics">;
  /** The clock (tests). */
  now?: () => number;
  /** The business unit whose counters these are (a service for several: the `tenant` label). */
  tenant?: string | undefined;
}

/** How far back the poller looks for the latest abandonment bucket. */
export const ABANDONMENT_LOOKBACK_MS = 2 * 3_600_000;

/**
 * Polls every known campaign's status and live metrics on a fixed interval, so the charts move
 * even when no webhook arrives. Reads only (GET): the poller never changes anything on CXone.
 * Polls never overlap: a slow round delays the next one instead of piling requests up (the
 * campaigns group is limited to 100 requests per minute, shared with every other caller).
 */
export class MetricsPoller extends PeriodicTask {
  private readonly options: MetricsPollerOptions;
  /** Campaigns CXone answered 404 for: off the board, and not re-added by discovery. */
  private readonly gone = new Set<string>();
  /** Set once the platform said it has no dialer analytics: not asked again. */
  private abandonmentUnsupported = false;
  private readonly counters: TenantCounters;

  constructor(options: MetricsPollerOptions) {
    super(options.intervalMs);
    this.options = options;
    this.counters = tenantCounters(options.tenant);
  }

  /** One round over every known campaign now (also what the timer runs). */
  pollNow(): Promise<void> {
    return this.runNow();
  }

  protected override async runOnce(): Promise<void> {
    const { board } = this.options;
    if (this.options.discover) {
      try {
        for (const id of await this.options.discover())
          if (!board.has(id) && !this.gone.has(id)) board.add(id);
      } catch (error) {
        this.options.logger.warn({ error: scrubSecrets(String(error)) }, "could not read known campaigns");
      }
    }
    await Promise.all(board.ids().map((id) => this.pollOne(id)));
  }

  /** Polls one campaign now; resolves with its error, if any (e.g. NotFoundError). */
  async pollOne(id: string): Promise<unknown> {
    const { campaigns, board, windowMinutes, logger } = this.options;
    const signal = this.signal;
    try {
      // The name and status go on the board as soon as they are read: a metrics read that fails
      // must not leave an operator looking at a bare id.
      // Stamped with when the read was ASKED: an operator's pause recorded while it was on the
      // wire is newer than what it answers.
      const askedAt = clockNowMs();
      const state = campaigns.get(id, signal).then((campaign) => {
        if (!this.stopped)
          board.recordState(id, { status: campaign.status, name: campaign.name, at: askedAt });
      });
      const [, metrics, abandonmentRate] = await Promise.all([
        state,
        campaigns.metrics(id, windowMinutes, signal),
        this.abandonment(id, signal),
      ]);
      if (this.stopped) return undefined;
      board.recordMetrics({
        campaignId: id,
        t: this.now(),
        // A rate with no call behind it is "n/a", not 0%.
        successRate: metrics.callsInWindow === 0 ? null : metrics.successRate,
        callsInWindow: metrics.callsInWindow ?? null,
        windowMinutes: metrics.windowMinutes,
        activeCalls: metrics.activeCalls,
        abandonmentRate,
        failoverTriggered: metrics.failoverTriggered,
        lastUpdated: metrics.lastUpdated ?? null,
        source: "poll",
      });
      this.counters.polls.inc({ outcome: "ok" });
      return undefined;
    } catch (error) {
      if (this.stopped) return error;
      if (error instanceof NotFoundError) {
        // Deleted (or never existed): a red card forever helps nobody. It leaves the board.
        this.gone.add(id);
        board.remove(id);
        this.counters.polls.inc({ outcome: "not_found" });
        logger.warn({ campaignId: id }, "campaign not found on CXone: removed from the board");
        return error;
      }
      const message = scrubSecrets(error instanceof Error ? error.message : String(error));
      board.recordError(id, message);
      this.counters.polls.inc({ outcome: "error" });
      logger.warn({ campaignId: id, error: message }, "campaign metrics poll failed");
      return error;
    }
  }

  private now(): number {
    return this.options.now?.() ?? clockNowMs();
  }

  /**
   * The latest abandonment rate the dialer analytics report for the campaign, or null (not
   * reported, not supported, or the read failed: a missing figure never fails the poll).
   */
  private async abandonment(id: string, signal: AbortSignal): Promise<number | null> {
    const { dialer, logger } = this.options;
    if (!dialer || this.abandonmentUnsupported) return null;
    const to = this.now();
    try {
      let latest: { at: number; rate: number } | undefined;
      const rows = dialer.metrics(
        {
          campaignId: id,
          metrics: ["abandonmentRate"],
          groupBy: "hour",
          from: new Date(to - ABANDONMENT_LOOKBACK_MS).toISOString(),
          to: new Date(to).toISOString(),
        },
        signal,
      );
      for await (const row of rows) {
        const rate = row.values.abandonmentRate;
        const at = Date.parse(row.timestamp);
        if (typeof rate === "number" && (!latest || at >= latest.at)) latest = { at, rate };
      }
      return latest?.rate ?? null;
    } catch (error) {
      if (error instanceof NotSupportedError) this.abandonmentUnsupported = true;
      else if (!this.stopped) {
        logger.debug(
          { campaignId: id, error: scrubSecrets(error instanceof Error ? error.message : String(error)) },
          "abandonment rate not read",
        );
      }
      return null;
    }
  }
}
