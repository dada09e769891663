import { clockNowMs } from "../core/clock/now.ts";
import type { PacingDecision } from "../dialer/live-pacing/latest.ts";
import type { SkillLiveSnapshot } from "../platform/ports/live.ts";
import type { CampaignStatus } from "../platform/types.ts";
import { type RateFigure, rateFigures } from "./rate-figures.ts";
/**
 * What the service knows about each campaign right now, in memory: status, the latest metrics
 * and a bounded history of points for the charts. Polls and webhooks both write here; the
 * dashboard (SSE), the JSON API and /metrics read from here, so none of them calls CXone.
 */
export interface MetricPoint {
  /** Epoch milliseconds. */
  t: number;
  /** Null when no call is behind it ("n/a", never 0%). */
  successRate: number | null;
  activeCalls: number;
  /** Abandoned / connected calls when the source reports it; null otherwise. */
  abandonmentRate: number | null;
}

export interface MetricsUpdate extends MetricPoint {
  campaignId: string;
  /** Calls completed in the success rate's window, when CXone reports it (the rate's count). */
  callsInWindow?: number | null;
  /** The success rate's trailing window, minutes. */
  windowMinutes?: number | null;
  failoverTriggered: boolean;
  lastUpdated: string | null;
  source: "poll" | "webhook";
}

/**
 * Live pacing of a campaign (service/pacing.ts), as the dashboard shows it: the latest decision
 * (what `cxo campaigns status` prints too), with its recent history and the operator's hold.
 */
export interface PacingView extends PacingDecision {
  /** The latest decisions, oldest first (bounded like the metric series), for the ratio chart. */
  history: PacingPoint[];
  /** An operator stopped (or resumed) the automation for this campaign: who and when. */
  automation?: { state: "stopped" | "automatic"; by: string; at: string; reason?: string } | null;
}

/** One pacing decision as the ratio chart draws it. */
export interface PacingPoint {
  /** Epoch milliseconds. */
  t: number;
  ratio: number | null;
  /** Abandoned / live answers over the window at that time. */
  abandonment: number;
}

export interface CampaignView {
  id: string;
  name: string | null;
  status: CampaignStatus | "unknown";
  successRate: number | null;
  /** Calls completed in the success rate's window (its count), when CXone reports it. */
  callsInWindow: number | null;
  /** The success rate's trailing window, minutes. */
  windowMinutes: number | null;
  activeCalls: number | null;
  abandonmentRate: number | null;
  failoverTriggered: boolean;
  lastMetricUpdate: string | null;
  lastSource: "poll" | "webhook" | null;
  lastError: string | null;
  /**
   * The latest live snapshot (agents, active contacts, today's counts; platform/ports/live.ts)
   * with how old it is (`ageSeconds`, at the time of the view) and where it came from.
   */
  live: LiveView | null;
  /** Live pacing, when the campaign's spec asks for it. */
  pacing: PacingView | null;
  /** Every rate above with its counts, sample and window (rate-figures.ts): what the page draws. */
  rates: RateFigure[];
  /** The latest diagnosis (`cxo why`): why it is not dialing and when it runs dry. */
  idle: IdleView | null;
}

/** The board's summary of a diagnosis (service/idle-watch.ts). */
export interface IdleView {
  dialing: boolean;
  dialableNow: number;
  /** The top cause, when not dialing (or a record cause worth showing while dialing). */
  cause: { code: string; title: string; fix: string; until: string | null } | null;
  summary: string;
  runsDryAt: string | null;
  /** Since when a running campaign inside its window has been diagnosed not dialing; null when it dials. */
  idleSince: string | null;
  /** The campaign should be dialing (running, inside its window) and is not. */
  shouldDial: boolean;
  checkedAt: string;
}

export interface LiveView extends SkillLiveSnapshot {
  ageSeconds: number;
}

export type BoardEvent =
  | { kind: "metrics"; campaignId: string; point: MetricPoint; campaign: CampaignView }
  | { kind: "state"; campaignId: string; campaign: CampaignView }
  | { kind: "live"; campaignId: string; campaign: CampaignView }
  /** The campaign left the board (CXone says it does not exist). */
  | { kind: "removed"; campaignId: string };

interface Entry {
  view: Omit<CampaignView, "live" | "rates">;
  /** When the status shown was observed (ms): an older observation arriving later is not applied. */
  statusAt: number;
  live: SkillLiveSnapshot | null;
  series: MetricPoint[];
}

export class CampaignBoard {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(event: BoardEvent) => void>();
  private readonly historyPoints: number;

  constructor(options: { historyPoints: number; campaigns?: readonly string[] }) {
    this.historyPoints = options.historyPoints;
    for (const id of options.campaigns ?? []) this.entry(id);
  }

  /** Campaign ids the service watches (configured, watched by a watchdog, or seen in an event). */
  ids(): string[] {
    return [...this.entries.keys()];
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  add(id: string): void {
    this.entry(id);
  }

  remove(id: string): void {
    if (this.entries.delete(id)) this.emit({ kind: "removed", campaignId: id });
  }

  onEvent(listener: (event: BoardEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  recordMetrics(update: MetricsUpdate): void {
    const entry = this.entry(update.campaignId);
    const point: MetricPoint = {
      t: update.t,
      successRate: update.successRate,
      activeCalls: update.activeCalls,
      abandonmentRate: update.abandonmentRate,
    };
    // Points arrive from two sources; keep the series in time order for the charts.
    const last = entry.series[entry.series.length - 1];
    if (!last || last.t <= point.t) entry.series.push(point);
    else entry.series.splice(this.insertAt(entry.series, point.t), 0, point);
    if (entry.series.length > this.historyPoints)
      entry.series.splice(0, entry.series.length - this.historyPoints);
    Object.assign(entry.view, {
      successRate: update.successRate,
      callsInWindow: update.callsInWindow ?? null,
      windowMinutes: update.windowMinutes ?? entry.view.windowMinutes,
      activeCalls: update.activeCalls,
      abandonmentRate: update.abandonmentRate ?? entry.view.abandonmentRate,
      failoverTriggered: update.failoverTriggered,
      lastMetricUpdate: update.lastUpdated ?? new Date(update.t).toISOString(),
      lastSource: update.source,
      lastError: null,
    });
    this.emit({ kind: "metrics", campaignId: update.campaignId, point, campaign: this.present(entry) });
  }

  /**
   * A campaign's status, observed at `change.at` (default: now). States come from several
   * sources that can cross: a poll whose read was asked before an operator's pause answers after
   * it; another instance's action is relayed seconds late, after a newer read. The newest
   * observation wins, whatever order they arrive in (the name is always taken).
   */
  recordState(
    campaignId: string,
    change: { status: CampaignStatus; name?: string | undefined; at?: number | undefined },
  ): void {
    const entry = this.entry(campaignId);
    const at = change.at ?? clockNowMs();
    const status = at < entry.statusAt ? entry.view.status : change.status;
    const changed = entry.view.status !== status || (change.name && entry.view.name !== change.name);
    entry.view.status = status;
    entry.statusAt = Math.max(entry.statusAt, at);
    if (change.name) entry.view.name = change.name;
    if (changed) this.emit({ kind: "state", campaignId, campaign: this.present(entry) });
  }

  /** A live reading of one campaign (the live poller, every livePollIntervalSeconds). */
  recordLive(snapshot: SkillLiveSnapshot): void {
    const entry = this.entry(snapshot.campaignId);
    entry.live = snapshot;
    this.emit({ kind: "live", campaignId: snapshot.campaignId, campaign: this.present(entry) });
  }

  recordPacing(campaignId: string, pacing: Omit<PacingView, "history">): void {
    const entry = this.entry(campaignId);
    const history = entry.view.pacing?.history ?? [];
    history.push({ t: Date.parse(pacing.at), ratio: pacing.ratio, abandonment: pacing.abandonment });
    if (history.length > this.historyPoints) history.splice(0, history.length - this.historyPoints);
    entry.view.pacing = {
      ...pacing,
      automation: pacing.automation ?? entry.view.pacing?.automation ?? null,
      history,
    };
    this.emit({ kind: "state", campaignId, campaign: this.present(entry) });
  }

  /** An operator stopped or resumed the pacing automation (shown on a paced campaign's card). */
  recordPacingAutomation(campaignId: string, automation: NonNullable<PacingView["automation"]>): void {
    const entry = this.entries.get(campaignId);
    const pacing = entry?.view.pacing;
    if (!entry || !pacing) return;
    const same = pacing.automation?.state === automation.state && pacing.automation.at === automation.at;
    pacing.automation = automation;
    if (!same) this.emit({ kind: "state", campaignId, campaign: this.present(entry) });
  }

  /** A diagnosis of one campaign (the idle watch, every service.diagnoseIntervalSeconds). */
  recordIdle(campaignId: string, idle: IdleView): void {
    const entry = this.entry(campaignId);
    entry.view.idle = idle;
    this.emit({ kind: "state", campaignId, campaign: this.present(entry) });
  }

  recordError(campaignId: string, message: string): void {
    const entry = this.entry(campaignId);
    entry.view.lastError = message;
  }

  view(id: string): CampaignView | undefined {
    const entry = this.entries.get(id);
    return entry ? this.present(entry) : undefined;
  }

  views(now = clockNowMs()): CampaignView[] {
    return [...this.entries.values()].map((entry) => this.present(entry, now));
  }

  private present(entry: Entry, now = clockNowMs()): CampaignView {
    const live = entry.live
      ? {
          ...entry.live,
          ageSeconds: Math.max(0, Math.round((now - Date.parse(entry.live.observedAt)) / 1000)),
        }
      : null;
    const { view } = entry;
    const rates = rateFigures({
      successRate: view.successRate,
      callsInWindow: view.callsInWindow,
      windowMinutes: view.windowMinutes,
      abandonmentRate: view.abandonmentRate,
      lastSource: view.lastSource,
      pacing: view.pacing,
      today: entry.live?.today ?? null,
    });
    return { ...view, live, rates };
  }

  series(id: string): MetricPoint[] {
    return [...(this.entries.get(id)?.series ?? [])];
  }

  private entry(id: string): Entry {
    let entry = this.entries.get(id);
    if (!entry) {
      entry = {
        view: {
          id,
          name: null,
          status: "unknown",
          successRate: null,
          callsInWindow: null,
          windowMinutes: null,
          activeCalls: null,
          abandonmentRate: null,
          failoverTriggered: false,
          lastMetricUpdate: null,
          lastSource: null,
          lastError: null,
          pacing: null,
          idle: null,
        },
        statusAt: Number.NEGATIVE_INFINITY,
        live: null,
        series: [],
      };
      this.entries.set(id, entry);
    }
    return entry;
  }

  private insertAt(series: MetricPoint[], t: number): number {
    let lo = 0;
    let hi = series.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((series[mid] as MetricPoint).t <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private emit(event: BoardEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
