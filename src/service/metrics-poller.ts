import { NotFoundError } from "../core/http/errors.ts";
import type { Logger } from "../core/logging/index.ts";
import { scrubSecrets } from "../core/logging/index.ts";
import type { CampaignsPort } from "../platform/ports/campaigns.ts";
import type { CampaignBoard } from "./campaign-board.ts";
import { serviceMetrics } from "./metrics.ts";

/**
 * Polls every known campaign's status and live metrics on a fixed interval, so the charts move
 * even when no webhook arrives. Reads only (GET): the poller never changes anything on CXone.
 * Polls never overlap: a slow round delays the next one instead of piling requests up (the
 * campaigns group is limited to 100 requests per minute, shared with every other caller).
 */
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
}

export class MetricsPoller {
  private readonly options: MetricsPollerOptions;
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;
  /** Campaigns CXone answered 404 for: off the board, and not re-added by discovery. */
  private readonly gone = new Set<string>();

  constructor(options: MetricsPollerOptions) {
    this.options = options;
  }

  start(): void {
    this.schedule(0);
  }

  /** One round over every known campaign now (also what the timer runs). */
  pollNow(): Promise<void> {
    this.round ??= this.pollAll().finally(() => {
      this.round = undefined;
    });
    return this.round;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.round?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.pollNow().finally(() => this.schedule(this.options.intervalMs));
    }, delayMs);
  }

  private async pollAll(): Promise<void> {
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
    const signal = this.abort.signal;
    try {
      const [campaign, metrics] = await Promise.all([
        campaigns.get(id, signal),
        campaigns.metrics(id, windowMinutes, signal),
      ]);
      if (this.stopped) return undefined;
      board.recordState(id, { status: campaign.status, name: campaign.name });
      board.recordMetrics({
        campaignId: id,
        t: Date.now(),
        successRate: metrics.successRate,
        activeCalls: metrics.activeCalls,
        abandonmentRate: null,
        failoverTriggered: metrics.failoverTriggered,
        lastUpdated: metrics.lastUpdated ?? null,
        source: "poll",
      });
      serviceMetrics.polls.inc({ outcome: "ok" });
      return undefined;
    } catch (error) {
      if (this.stopped) return error;
      if (error instanceof NotFoundError) {
        // Deleted (or never existed): a red card forever helps nobody. It leaves the board.
        this.gone.add(id);
        board.remove(id);
        serviceMetrics.polls.inc({ outcome: "not_found" });
        logger.warn({ campaignId: id }, "campaign not found on CXone: removed from the board");
        return error;
      }
      const message = scrubSecrets(error instanceof Error ? error.message : String(error));
      board.recordError(id, message);
      serviceMetrics.polls.inc({ outcome: "error" });
      logger.warn({ campaignId: id, error: message }, "campaign metrics poll failed");
      return error;
    }
  }
}
