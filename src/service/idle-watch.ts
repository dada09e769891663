import { TITLES } from "../campaigns/diagnose/causes.ts";
import type { Diagnosis } from "../campaigns/diagnose/facts.ts";
import { clockNowMs } from "../core/clock/now.ts";
import type { Logger } from "../core/logging/index.ts";
import { scrubSecrets } from "../core/logging/index.ts";
import { PeriodicTask } from "../core/periodic-task.ts";
import type { Store } from "../core/store/index.ts";
import { planFedListIds } from "../core/store/pushed-lists.ts";
import { PACING_LATEST, type PacingDecision } from "../dialer/live-pacing/latest.ts";
import type { MonitoringHost } from "../sdk/monitoring-host.ts";
import type { CampaignBoard, IdleView } from "./campaign-board.ts";
export interface IdleWatchOptions {
  /** The diagnosis, asked of the client (sdk/monitoring-host.ts: the port's reads, its compliance engine). */
  host: Pick<MonitoringHost, "diagnose">;
  store: Store;
  board: CampaignBoard;
  logger: Logger;
  intervalMs: number;
  idleAlertMinutes: number;
  /**
   * Whether the `campaigns` rate group has room for a read that can wait (background-reads.ts);
   * absent: always. A scheduled diagnosis without room is put off, up to three intervals.
   */
  roomToRead?: () => boolean;
}

/**
 * Issue 65 in `cxo serve`: every watched campaign diagnosed (as `cxo why` does) on the leader,
 * every `service.diagnoseIntervalSeconds`: the board's card says "Not dialing: <cause> — <fix>"
 * and when the list runs dry, `/metrics` has `cxo_campaign_dialable_records` and
 * `cxo_campaign_idle_seconds`, and a running campaign that has dialled nothing for
 * `service.idleAlertMinutes` inside its window emits one `campaign.idle` (signed by the outbox,
 * with the causes) per idle spell. The event's id is derived from the spell's start, so a restart
 * or a second instance never emits it twice.
 */
export class IdleWatch extends PeriodicTask {
  private readonly options: IdleWatchOptions;
  /** Since when each campaign has been idle inside its window (epoch ms). */
  private readonly idleSince = new Map<string, number>();

  constructor(options: IdleWatchOptions) {
    // The first diagnosis waits (a minute at most): it reads whole lists, and the service's
    // boot-time reads (campaigns, live figures) should reach the board first.
    super(options.intervalMs, { keepAlive: false, firstDelayMs: Math.min(options.intervalMs, 60_000) });
    this.options = options;
  }

  /** When the last diagnosis of every campaign began (the clock's ms). */
  private lastRunMs: number | undefined;
  /** A diagnosis asked for (`checkNow`): it goes whatever the budget. */
  private asked = false;

  checkNow(): Promise<void> {
    this.asked = true;
    return this.runNow();
  }

  /**
   * A scheduled diagnosis reads every list of every watched campaign (a list and its attempts,
   * each a request of the `campaigns` group): it goes while the group has room, and is put off
   * while it has not for up to three intervals, so the board's causes are never older than that.
   */
  private due(): boolean {
    if (this.asked || this.lastRunMs === undefined) return true;
    if (this.options.roomToRead?.() ?? true) return true;
    return clockNowMs() - this.lastRunMs >= 3 * this.options.intervalMs;
  }

  protected override async runOnce(signal: AbortSignal): Promise<void> {
    const due = this.due();
    this.asked = false;
    if (!due) return;
    this.lastRunMs = clockNowMs();
    for (const campaignId of this.options.board.ids()) {
      if (this.stopped) return;
      try {
        const pacing = (await this.options.store.kv.get<PacingDecision>(PACING_LATEST, campaignId)) ?? null;
        const planFed = await planFedListIds(this.options.store);
        const diagnosis = await this.options.host.diagnose(
          campaignId,
          { atMs: clockNowMs(), pacing, planFedLists: planFed },
          { signal },
        );
        if (this.stopped) return;
        await this.record(campaignId, diagnosis);
      } catch (error) {
        this.options.logger.warn(
          { campaignId, error: scrubSecrets(error instanceof Error ? error.message : String(error)) },
          "campaign diagnosis failed",
        );
      }
    }
  }

  private async record(campaignId: string, d: Diagnosis): Promise<void> {
    const now = clockNowMs();
    const top = d.causes[0];
    // Should dial: its skill runs and it is inside a window (the hours are not what holds it).
    const shouldDial =
      !d.dialing &&
      !d.causes.some((c) => c.code === "skill_inactive" || c.code === "skill_not_running") &&
      top?.code !== "outside_calling_hours";
    if (!shouldDial) this.idleSince.delete(campaignId);
    else if (!this.idleSince.has(campaignId)) this.idleSince.set(campaignId, now);
    const since = this.idleSince.get(campaignId);
    const view: IdleView = {
      dialing: d.dialing,
      dialableNow: d.dialableNow,
      cause:
        top && !d.dialing
          ? { code: top.code, title: TITLES[top.code], fix: top.fix, until: top.until ?? null }
          : null,
      summary: d.summary,
      runsDryAt: d.runsDryAt ?? null,
      idleSince: since === undefined ? null : new Date(since).toISOString(),
      shouldDial,
      checkedAt: new Date(now).toISOString(),
    };
    this.options.board.recordIdle(campaignId, view);
    if (since !== undefined && now - since >= this.options.idleAlertMinutes * 60_000)
      await this.alert(campaignId, since, d);
  }

  private async alert(campaignId: string, since: number, d: Diagnosis): Promise<void> {
    try {
      await this.options.store.outbox.enqueue([
        {
          id: `campaign.idle-${campaignId}-${since}`,
          type: "campaign.idle",
          destination: "campaigns",
          orderKey: campaignId,
          data: {
            campaignId,
            idleSince: new Date(since).toISOString(),
            dialableNow: d.dialableNow,
            summary: d.summary,
            causes: d.causes,
            runsDryAt: d.runsDryAt ?? null,
          },
        },
      ]);
    } catch (error) {
      // The spell's event is already queued (its id is the spell's): once per spell.
      if (!/unique|duplicate|constraint/i.test(error instanceof Error ? error.message : String(error)))
        throw error;
    }
  }
}
