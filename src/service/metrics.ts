import { clockNowMs } from "../core/clock/now.ts";
import { counter, metric } from "../core/metrics/index.ts";
import { type Counter, Gauge } from "../core/metrics/prom.ts";
import type { DispatchStats } from "../core/outbox/index.ts";
import type { Store } from "../core/store/index.ts";
import { storedCallerIdHealth } from "./callerid-check.ts";
import type { CampaignBoard } from "./campaign-board.ts";
/**
 * What the service adds to the process-wide Prometheus registry (the HTTP core already records
 * request latency, retries, 429s, limiter pauses and token fetches). Event counters are plain
 * counters; the store's state (outbox depth, audit size) and the campaigns' latest figures are
 * read at scrape time from every running service in the process. A business unit's workers
 * and webhook receiver count through `tenantCounters(name)`: on a service for several, their
 * series carry `tenant` (campaign ids collide across units); refusals before any tenant is
 * known (Host, Origin, token, sign-in) are the installation's and carry none.
 */
export const serviceMetrics = {
  webhookEvents: counter("cxo_service_webhook_events_total", "CXone webhook events received by the service", [
    "type",
    "outcome",
    "tenant",
  ]),
  refusedRequests: counter(
    "cxo_service_requests_refused_total",
    "Requests refused: foreign Host or Origin, no or a wrong token or session, a missing CSRF token, a failed sign-in",
    ["reason"],
  ),
  polls: counter("cxo_service_campaign_polls_total", "Campaign status + metrics polls", [
    "outcome",
    "tenant",
  ]),
  watchdogEvaluations: counter(
    "cxo_watchdog_evaluations_total",
    "Failover watchdog evaluations (by the watched primary campaign)",
    ["primary", "tenant"],
  ),
  watchdogFailovers: counter("cxo_watchdog_failovers_total", "Failovers a watchdog carried out", [
    "primary",
    "tenant",
  ]),
  liveReadings: counter(
    "cxo_service_live_readings_total",
    "Live readings of every watched campaign at once",
    ["outcome", "tenant"],
  ),
  liveRequests: counter("cxo_service_live_requests_total", "Requests spent on live readings", ["tenant"]),
  exportRuns: counter("cxo_service_export_runs_total", "Scheduled outcome export runs", [
    "outcome",
    "tenant",
  ]),
};

/** One counter as a business unit counts: its labels, plus `tenant` when the unit is named. */
export interface TenantCounter {
  inc(labels?: Record<string, string>, value?: number): void;
}

/** The counters a tenant's workers and webhook receiver add to (tenant: its name, if any). */
export type TenantCounters = Record<
  | "webhookEvents"
  | "polls"
  | "watchdogEvaluations"
  | "watchdogFailovers"
  | "liveReadings"
  | "liveRequests"
  | "exportRuns",
  TenantCounter
>;

export function tenantCounters(tenant: string | undefined): TenantCounters {
  const of = (metric: Counter<string>): TenantCounter => ({
    inc: (labels = {}, value = 1) => metric.inc(tenant === undefined ? labels : { ...labels, tenant }, value),
  });
  const m = serviceMetrics;
  return {
    webhookEvents: of(m.webhookEvents),
    polls: of(m.polls),
    watchdogEvaluations: of(m.watchdogEvaluations),
    watchdogFailovers: of(m.watchdogFailovers),
    liveReadings: of(m.liveReadings),
    liveRequests: of(m.liveRequests),
    exportRuns: of(m.exportRuns),
  };
}

/** A running service, as the scrape-time collectors see it. */
export interface MetricsSource {
  /** The business unit, on a service for several: its series carry `tenant` (ids collide across units). */
  tenant?: string;
  store: Store;
  board: CampaignBoard;
  dispatcherStats: () => DispatchStats | undefined;
  sseClients: () => number;
}

const sources = new Set<MetricsSource>();

/** A series' labels, with the source's tenant when it has one. */
const labelled = (source: MetricsSource, labels: Record<string, string> = {}) =>
  source.tenant === undefined ? labels : { ...labels, tenant: source.tenant };
// Dispatcher counters are cumulative per dispatcher; the Prometheus counter gets the increments.
const lastStats = new WeakMap<MetricsSource, DispatchStats>();

export function registerMetricsSource(source: MetricsSource): () => void {
  sources.add(source);
  return () => sources.delete(source);
}

const deliveries = counter("cxo_outbox_deliveries_total", "Outbox delivery attempts by result", [
  "outcome",
  "tenant",
]);

function gauge(
  name: string,
  help: string,
  labelNames: string[],
  collect: (g: Gauge<string>) => Promise<void>,
) {
  return metric(
    name,
    (registers) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers,
        async collect() {
          this.reset();
          await collect(this);
        },
      }),
  );
}

gauge(
  "cxo_outbox_events",
  "Outbox events by destination and status (pending, delivered, dead)",
  ["destination", "status", "tenant"],
  async (g) => {
    for (const source of sources) {
      for (const row of await source.store.outbox.status()) {
        g.set(labelled(source, { destination: row.destination, status: "pending" }), row.pending);
        g.set(labelled(source, { destination: row.destination, status: "delivered" }), row.delivered);
        g.set(labelled(source, { destination: row.destination, status: "dead" }), row.dead);
      }
      const stats = source.dispatcherStats();
      if (stats) {
        const before = lastStats.get(source) ?? { delivered: 0, retried: 0, dead: 0, inFlight: 0 };
        deliveries.inc(labelled(source, { outcome: "delivered" }), stats.delivered - before.delivered);
        deliveries.inc(labelled(source, { outcome: "retried" }), stats.retried - before.retried);
        deliveries.inc(labelled(source, { outcome: "dead" }), stats.dead - before.dead);
        lastStats.set(source, stats);
      }
    }
  },
);

gauge(
  "cxo_outbox_oldest_pending_age_seconds",
  "Age of the oldest pending outbox event, by destination",
  ["destination", "tenant"],
  async (g) => {
    for (const source of sources)
      for (const row of await source.store.outbox.status())
        if (row.oldestPendingAgeMs !== null)
          g.set(labelled(source, { destination: row.destination }), row.oldestPendingAgeMs / 1000);
  },
);

gauge(
  "cxo_audit_records",
  "Records in the hash-chained audit log (appends so far)",
  ["tenant"],
  async (g) => {
    for (const source of sources) g.set(labelled(source), (await source.store.audit.head()).seq);
  },
);

/** A campaign as the board shows it. */
type CampaignView = ReturnType<CampaignBoard["views"]>[number];

/**
 * A gauge of one figure of each watched campaign, labelled with the campaign, and with `source`
 * where the figure says where it came from: `figure` gives a view's (`now`, the scrape's time,
 * the same for every campaign), or undefined when the view has none.
 */
function campaignGauge(
  name: string,
  help: string,
  labelNames: string[],
  figure: (view: CampaignView, now: number) => { value: number; source?: string } | undefined,
): void {
  gauge(name, help, labelNames, async (g) => {
    const now = clockNowMs();
    for (const source of sources)
      for (const view of source.board.views()) {
        const found = figure(view, now);
        if (!found) continue;
        const labels: Record<string, string> = { campaign: view.id };
        if (found.source !== undefined) labels.source = found.source;
        g.set(labelled(source, labels), found.value);
      }
  });
}

/** One gauge per figure of the board's view of a campaign, labelled with the campaign. */
const VIEW_FIGURES = [
  ["successRate", "cxo_campaign_success_rate", "Latest success rate of each watched campaign (0..1)"],
  ["activeCalls", "cxo_campaign_active_calls", "Latest active calls of each watched campaign"],
] as const;

for (const [field, name, help] of VIEW_FIGURES)
  campaignGauge(name, help, ["campaign", "tenant"], (view) => {
    const value = view[field];
    return value === null ? undefined : { value };
  });

/** One gauge per live figure, labelled with the campaign and where the figure came from. */
const LIVE_FIGURES = [
  ["agentsLoggedIn", "cxo_campaign_agents_logged_in", "Agents logged in to the campaign's skill now"],
  ["agentsAvailable", "cxo_campaign_agents_available", "Agents available on the campaign's skill now"],
  ["agentsWorking", "cxo_campaign_agents_working", "Agents on a contact of the campaign's skill now"],
  ["agentsInWrap", "cxo_campaign_agents_in_wrap", "Agents in after-call work on the campaign's skill now"],
  ["contactsActive", "cxo_campaign_contacts_active", "Active contacts of the campaign's skill now"],
  ["queued", "cxo_campaign_contacts_queued", "Contacts queued for the campaign's skill now"],
] as const;

for (const [field, name, help] of LIVE_FIGURES)
  campaignGauge(name, help, ["campaign", "source", "tenant"], ({ live }) => {
    const value = live?.[field];
    return live && value !== undefined ? { value, source: live.source } : undefined;
  });

campaignGauge(
  "cxo_campaign_abandon_rate_today",
  "Today's abandon rate of each watched campaign (abandons / connects), where the platform gives it",
  ["campaign", "source", "tenant"],
  ({ live }) => {
    const today = live?.today;
    return today?.abandonRate === undefined ? undefined : { value: today.abandonRate, source: today.source };
  },
);

campaignGauge(
  "cxo_campaign_live_age_seconds",
  "Age of each watched campaign's live figures (seconds since the platform confirmed them)",
  ["campaign", "source", "tenant"],
  ({ live }) => (live ? { value: live.ageSeconds, source: live.source } : undefined),
);

campaignGauge(
  "cxo_campaign_dialable_records",
  "Records each watched campaign could dial now, as its latest diagnosis (cxo why) counted them",
  ["campaign", "tenant"],
  ({ idle }) => (idle ? { value: idle.dialableNow } : undefined),
);

campaignGauge(
  "cxo_campaign_idle_seconds",
  "Seconds a running campaign has dialled nothing inside its window (0 while it dials)",
  ["campaign", "tenant"],
  ({ idle }, now) =>
    idle ? { value: idle.idleSince ? Math.max(0, (now - Date.parse(idle.idleSince)) / 1000) : 0 } : undefined,
);

gauge("cxo_service_sse_clients", "Dashboards connected to the live event stream", [], async (g) => {
  let n = 0;
  for (const source of sources) n += source.sseClients();
  g.set(n);
});

gauge(
  "cxo_callerid_answer_ratio",
  "Caller-ID health: answers ÷ expected answers of each outbound number at the last daily check (since the drop's onset when watch or suspect; docs/callerid.md)",
  ["callerId", "campaign", "carrier", "tenant"],
  async (g) => {
    for (const source of sources)
      for (const stored of await storedCallerIdHealth(source.store))
        for (const row of stored.rows)
          g.set(
            labelled(source, {
              callerId: row.callerId,
              campaign: row.campaignId,
              carrier: row.carrier ?? "",
            }),
            row.ratio,
          );
  },
);
