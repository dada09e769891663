import type { InternalClient } from "../client.ts";
import type { Settings } from "../core/config/index.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";
import { monitoringHostOf } from "../sdk/monitoring-host.ts";
import { pacingHostOf } from "../sdk/pacing-host.ts";
import type { Announce } from "./announce.ts";
import { startAuditAnchoring } from "./audit-anchoring.ts";
import { AutopilotTask } from "./autopilot-task.ts";
import { roomForBackgroundReads } from "./background-reads.ts";
import { CallerIdCheckTask } from "./callerid-check.ts";
import type { CampaignBoard } from "./campaign-board.ts";
import { ConsentFindingsTask } from "./consent-findings.ts";
import { ConsentWatcher } from "./consent-watcher.ts";
import { type CxoneDncSyncTask, startCxoneDncSync } from "./cxone-dnc-sync.ts";
import { reachesCxone } from "./cxone-status.ts";
import { startFailBackRelay } from "./fail-back-requests.ts";
import { IdleWatch } from "./idle-watch.ts";
import { knownCampaigns } from "./known-campaigns.ts";
import { LivePoller } from "./live-poller.ts";
import { MetricsPoller } from "./metrics-poller.ts";
import { startPacing } from "./pacing.ts";
import { scheduleExports } from "./scheduled-exports.ts";
import { SkillDriftWatch } from "./skill-drift-watch.ts";
import { startWatchdogs, type WatchdogSet } from "./watchdogs.ts";

/**
 * What only the leader runs (see leadership.ts), started with the lease-fenced store and
 * stopped when the lease is lost: the failover watchdogs, the metrics poller, live pacing
 * (pacing.ts), scheduled exports, audit anchoring and the CXone DNC groups' sync (cxone-dnc-sync.ts). Metrics pushed by CXone webhooks to OTHER instances reach the leader's
 * watchdogs through the store (observed-metrics.ts).
 */
export interface LeaderWork {
  watchdogs: WatchdogSet;
  poller: MetricsPoller | undefined;
  /** Live figures of every watched campaign, one reading per interval (live-poller.ts). */
  live: LivePoller | undefined;
  /** The periodic sync of the tenant's CXone DNC groups (production platform only). */
  dncSync: CxoneDncSyncTask | undefined;
  stop(): Promise<void>;
}

/** What a tenant's service work runs with (the leader's workers, a poller). */
interface TenantWork {
  settings: Settings;
  store: Store;
  /** The tenant's client; what needs CXone runs only when it reaches one (`reachesCxone`). */
  client: InternalClient;
  board: CampaignBoard;
  logger: Logger;
  /** The business unit, on a service for several (the `tenant` label of its workers' counters). */
  tenant?: string | undefined;
  /** Where the autopilot's steps are said (start-service.ts). */
  announce?: Announce;
}

export function startLeaderWork(
  options: TenantWork & {
    relay: (event: string, payload: { primary: string; backup: string; detail: unknown }) => void;
  },
): LeaderWork {
  const { settings, store, client, board, logger } = options;
  const config = settings.service;
  const cxone = reachesCxone(client);
  const stops: Array<() => Promise<void> | void> = [];
  const watchdogs = startWatchdogs({
    configs: config.watchdogs,
    client,
    store,
    logger,
    relay: options.relay,
    tenant: options.tenant,
  });
  stops.push(() => watchdogs.stop());
  // Fail backs asked on other instances (fail-back-requests.ts) are carried out here.
  const failBacks = startFailBackRelay({ store, watchdogs, logger });
  stops.push(() => failBacks.stop());
  const poller = newPoller(options);
  if (poller) {
    const perMinute = (board.ids().length * 2 * 60) / config.pollIntervalSeconds;
    if (perMinute > 50)
      logger.warn(
        { requestsPerMinute: Math.round(perMinute) },
        "campaign polling uses over half of the campaigns group's 100 requests/minute: raise service.pollIntervalSeconds",
      );
    poller.start();
    stops.push(() => poller.stop());
  }
  // The leader's watches read through the SDK (sdk/monitoring-host.ts), each read one of its calls.
  const host = cxone ? monitoringHostOf(client) : undefined;
  const live = host
    ? new LivePoller({
        live: { read: (campaignIds, signal) => host.liveRead(campaignIds, { signal }) },
        board,
        intervalMs: liveIntervalSeconds(settings) * 1000,
        logger,
        observe: (snapshot) => watchdogs.observeLive(snapshot),
        tenant: options.tenant,
      })
    : undefined;
  if (live) {
    live.start();
    stops.push(() => live.stop());
  }
  if (host) {
    // An application over the client, given what it needs by the SDK (sdk/pacing-host.ts).
    const pacing = startPacing({ store, host: pacingHostOf(client, store), board, logger });
    stops.push(() => pacing.stop());
    // Issue 65: why each campaign is (not) dialing, on the board, in /metrics and as campaign.idle.
    const idle = new IdleWatch({
      host,
      store,
      board,
      logger,
      intervalMs: config.diagnoseIntervalSeconds * 1000,
      idleAlertMinutes: config.idleAlertMinutes,
      roomToRead: () => roomForBackgroundReads(client),
    });
    idle.start();
    stops.push(() => idle.stop());
  }
  if (cxone) stops.push(...startClientWatches(client, store, logger, settings, config.consentReportMinutes));
  if (cxone && settings.autopilot.campaigns.length > 0) {
    // Issue 91 §2: the outbound day run unattended (autopilot-task.ts; docs/autopilot.md).
    const autopilot = new AutopilotTask({
      settings,
      logger,
      ...(options.announce ? { announce: options.announce } : {}),
    });
    autopilot.start();
    stops.push(() => autopilot.stop());
  }
  if (cxone && config.callerIdCheckHours > 0) {
    // Caller-ID health of every campaign's numbers, every service.callerIdCheckHours (daily by
    // default) and at start: callerid-check.ts.
    const callerId = new CallerIdCheckTask({
      client,
      store,
      logger,
      campaigns: async () => [...new Set([...board.ids(), ...(await knownCampaigns(store))])],
      intervalMs: config.callerIdCheckHours * 3_600_000,
      actor: `callerid:${store.instance.name}`,
    });
    callerId.start();
    stops.push(() => callerId.stop());
  }
  const dncSync = host
    ? startCxoneDncSync({
        host,
        store,
        logger,
        intervalMinutes: settings.consent.cxoneDncSyncMinutes,
        actor: `dnc-sync:${store.instance.name}`,
      })
    : undefined;
  if (dncSync) stops.push(() => dncSync.stop());
  const anchoring = startAuditAnchoring({ settings, store, logger });
  stops.push(() => anchoring.stop());
  const exports = scheduleExports({ configs: config.exports, client, store, logger, tenant: options.tenant });
  stops.push(() => exports.stop());
  return {
    watchdogs,
    poller,
    live,
    dncSync,
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}

/**
 * A poller: started on the leader; on every instance, polls one unseen campaign on demand. None
 * without a CXone to poll.
 */
export function newPoller(options: TenantWork): MetricsPoller | undefined {
  const { client, settings, store } = options;
  if (!reachesCxone(client)) return undefined;
  const host = monitoringHostOf(client);
  return new MetricsPoller({
    campaigns: {
      get: (campaignId, signal) => host.campaign(campaignId, { signal }),
      metrics: (campaignId, windowMinutes, signal) =>
        host.campaignMetrics(campaignId, windowMinutes, { signal }),
    },
    // The dialer's analytics: the client's own method (the query checked, each page one call).
    dialer: { metrics: (query, signal) => client.dialer.metrics(query, { signal }) },
    board: options.board,
    intervalMs: settings.service.pollIntervalSeconds * 1000,
    windowMinutes: settings.service.metricsWindowMinutes,
    logger: options.logger,
    discover: () => knownCampaigns(store),
    tenant: options.tenant,
  });
}

/**
 * Seconds between live readings: `service.livePollIntervalSeconds`, else 5 s on the production
 * platform (a reading is two tenant-wide requests) and the poll interval on the seed API (a
 * reading there costs two requests per campaign, like a poll).
 */
export function liveIntervalSeconds(settings: Settings): number {
  const service = settings.service;
  if (service.livePollIntervalSeconds !== undefined) return service.livePollIntervalSeconds;
  return settings.cxone.platform === "cxone" ? 5 : service.pollIntervalSeconds;
}

/**
 * The watches that need CXone: agents' do-not-call dispositions become revocations and reach the
 * DNC group (consent-watcher.ts); the skills cxo pushed to stay as pushed (skill-drift-watch.ts).
 * Answers their stops.
 */
function startClientWatches(
  client: InternalClient,
  store: Store,
  logger: Logger,
  settings: Settings,
  consentReportMinutes: number,
): Array<() => Promise<void>> {
  const consent = new ConsentWatcher({
    client,
    store,
    logger,
    intervalMs: settings.consent.pollSeconds * 1000,
    firstDelayMs: settings.consent.pollSeconds * 1000,
    // Every outbound campaign of the business unit, known here or not (issue 78 §3).
    cxoneGroupId: settings.consent.cxoneDncGroup,
    // An agent's Do Not Call revokes the number, or every number of its debt.
    agentDoNotCall: settings.consent.agentDoNotCall,
  });
  consent.start();
  // A change behind cxo's back after a push is acted on within 10 minutes.
  const skills = new SkillDriftWatch({ client, logger });
  skills.start();
  const stops = [() => consent.stop(), () => skills.stop()];
  if (consentReportMinutes > 0) {
    // What the consent report finds (late, overdue, called after), kept for the board.
    const findings = new ConsentFindingsTask({
      client,
      store,
      logger,
      intervalMs: consentReportMinutes * 60_000,
    });
    findings.start();
    stops.push(() => findings.stop());
  }
  return stops;
}
