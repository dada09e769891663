import { applicationsOver } from "../applications.ts";
import type { InternalClient } from "../client.ts";
import type { Settings } from "../core/config/index.ts";
import { shareRateBudget } from "../core/http/rate-budget.ts";
import { type Logger, registerSecret } from "../core/logging/index.ts";
import { createDispatcher, type OutboxDispatcher } from "../core/outbox/index.ts";
import { openStore, type Store } from "../core/store/index.ts";
import type { CampaignLiveMetrics, CampaignStatus } from "../platform/types.ts";
import type { Announce } from "./announce.ts";
import { CampaignBoard } from "./campaign-board.ts";
import { checkConsentGroup } from "./consent-group-check.ts";
import { CxoneStatus, reachesCxone } from "./cxone-status.ts";
import { knownCampaigns } from "./known-campaigns.ts";
import { type LeaderWork, newPoller, startLeaderWork } from "./leader-work.ts";
import { Leadership } from "./leadership.ts";
import { registerMetricsSource } from "./metrics.ts";
import type { MetricsPoller } from "./metrics-poller.ts";
import { relayObservations, shareObservation } from "./observed-metrics.ts";
import { followSharedStates, shareState } from "./shared-states.ts";
import { SseHub } from "./sse-hub.ts";
import { UnseenCampaignBudget } from "./unseen-campaigns.ts";
import { followerAwareWatchdogs, type WatchdogSet } from "./watchdogs.ts";

/**
 * One business unit's part of `cxo serve`: its client (its own rate budget), its store (its
 * namespace: journal, audit chain, outbox, leases), its campaign board and live stream, its
 * leadership lease and, on the leader, its workers (watchdogs, pollers, pacing, scheduled
 * exports), and its outbox dispatcher with its own destinations. Nothing in it knows another
 * tenant: a service for several business units runs one of these per tenant (start-service.ts).
 */
export interface TenantRuntimeOptions {
  /** The tenant's name when the service serves several (undefined: the one business unit). */
  name?: string;
  settings: Settings;
  logger: Logger;
  /**
   * A client to share (not closed here); otherwise one is made from the settings: with their
   * connection, or the local client when they name none.
   */
  client?: InternalClient;
  /** A store to share (not closed here); otherwise the settings' store is opened. */
  store?: Store;
  /** Where the autopilot's steps are said (start-service.ts). */
  announce?: Announce;
}

export interface TenantRuntime {
  name: string | undefined;
  settings: Settings;
  store: Store;
  /** The tenant's client; without a connection the local client (`reachesCxone` says which). */
  client: InternalClient;
  board: CampaignBoard;
  hub: SseHub;
  cxone: CxoneStatus;
  leadership: Leadership;
  watchdogs: WatchdogSet;
  /** The poller for one campaign on demand (the API's unseen campaigns). */
  poller: MetricsPoller | undefined;
  /** How many campaigns the board has not seen may be looked up (the board's API and webhooks). */
  unseen: UnseenCampaignBudget;
  destinations: readonly string[];
  /** The business unit's zone the board shows times in (service.timeZone, else this machine's). */
  timeZone: string;
  /** Metrics a webhook of this tenant reported, for its watchdogs. */
  observe(metrics: CampaignLiveMetrics): void;
  pollNow(): Promise<void>;
  readLiveNow(): Promise<void>;
  close(): Promise<void>;
}

/** Runs `steps` last first, logging (not throwing) a failed one. */
export function cleanupList(logger: Logger) {
  const steps: Array<() => Promise<void> | void> = [];
  let closing: Promise<void> | undefined;
  const run = async () => {
    for (const step of steps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        logger.error({ error: String(error) }, "service shutdown step failed");
      }
    }
  };
  return {
    push: (step: () => Promise<void> | void) => steps.push(step),
    run: () => {
      closing ??= run();
      return closing;
    },
  };
}

/**
 * The tenant's client: the one given, else one of the settings (as the CLI builds it: the
 * settings' connection, or the local client when they name none — a complete connection is
 * what `reachesCxone` reports).
 */
async function runtimeClient(
  options: TenantRuntimeOptions,
  store: Store,
  cleanups: ReturnType<typeof cleanupList>,
): Promise<InternalClient> {
  const { settings, logger } = options;
  let client = options.client;
  if (!client) {
    const { openInternalClient, localClientOptionsFromSettings } = await import("../sdk/build-client.ts");
    const { options: clientOptions, local } = localClientOptionsFromSettings(settings);
    const made = await openInternalClient({ ...clientOptions, logger }, applicationsOver, local);
    cleanups.push(() => made.close());
    client = made;
  }
  if (!reachesCxone(client)) {
    logger.warn({ tenant: options.name }, "no CXone credentials: campaign polling and watchdogs are off");
    return client;
  }
  // The CLI beside the service (an export, a tagging run) shares the tenant's limits with it.
  const budget = await shareRateBudget(client.core.limits, store.rateShares, {
    tenant: client.core.tenant,
    groups: ["campaigns", "analytics", "outcomes"],
  });
  cleanups.push(() => budget.close());
  return client;
}

/**
 * The tenant's leadership lease and what its leader runs (leader-work.ts): the watchdogs every
 * instance answers for (the leader's, or a follower's view relayed through the store).
 */
async function startLeadership(options: {
  /** The business unit's name on a service for several (its counters' `tenant` label). */
  tenant: string | undefined;
  settings: Settings;
  store: Store;
  client: InternalClient;
  board: CampaignBoard;
  logger: Logger;
  relay: (event: string, payload: { primary: string; backup: string; detail: unknown }) => void;
  announce?: Announce | undefined;
}) {
  const { settings, store, client, board, logger, relay, tenant } = options;
  let leaderWork: LeaderWork | undefined;
  const onDemandPoller = newPoller({ settings, store, client, board, logger, tenant });
  const watchdogs = followerAwareWatchdogs(
    store,
    () => leaderWork?.watchdogs,
    (metrics) => shareObservation(store, metrics, logger),
  );
  const leadership = new Leadership({
    store,
    logger,
    ttlMs: settings.service.leaderLeaseSeconds * 1000,
    lead: (fenced) => {
      const work = startLeaderWork({
        settings,
        store: fenced,
        client,
        board,
        logger,
        relay,
        tenant,
        ...(options.announce ? { announce: options.announce } : {}),
      });
      leaderWork = work;
      const stopRelay = relayObservations(store, (metrics) => work.watchdogs.observe(metrics), logger);
      return async () => {
        stopRelay();
        if (leaderWork === work) leaderWork = undefined;
        await work.stop();
      };
    },
  });
  try {
    await leadership.start();
  } catch (error) {
    await watchdogs.stop();
    throw error;
  }
  return {
    watchdogs,
    leadership,
    onDemandPoller,
    pollNow: () => (leaderWork?.poller ?? onDemandPoller)?.pollNow() ?? Promise.resolve(),
    readLiveNow: () => leaderWork?.live?.readNow() ?? Promise.resolve(),
    stop: async () => {
      await leadership.stop();
      await watchdogs.stop();
    },
  };
}

export async function startTenantRuntime(options: TenantRuntimeOptions): Promise<TenantRuntime> {
  const { settings, logger } = options;
  const config = settings.service;
  registerSecret(settings.cxone.clientSecret);
  registerSecret(settings.cxone.accessKeySecret);
  for (const destination of Object.values(settings.destinations)) registerSecret(destination.secret);
  registerSecret(config.webhookSecret);
  const cleanups = cleanupList(logger);
  try {
    const store =
      options.store ??
      (await openStore(settings, {
        actor: settings.cxone.clientId ?? settings.cxone.accessKeyId ?? "",
        ...(config.instanceId ? { instanceName: config.instanceId } : {}),
      }));
    if (!options.store) cleanups.push(() => store.close());
    const client = await runtimeClient(options, store, cleanups);
    const connected = reachesCxone(client);
    if (connected) await checkConsentGroup(client, settings.consent.cxoneDncGroup, logger);
    if (connected && settings.autopilot.campaigns.length > 0) {
      // A campaign of another business unit, or a zone it cannot read: refused before anything runs.
      const { checkAutopilotCampaigns } = await import("../autopilot/job.ts");
      await checkAutopilotCampaigns(client, settings);
    }
    const cxone = new CxoneStatus(connected);
    if (connected) cleanups.push(client.core.http.on(cxone.listener));

    const watchedPairs = config.watchdogs.flatMap((w) => [w.primary, w.backup]);
    const board = new CampaignBoard({
      historyPoints: config.historyPoints,
      campaigns: [...new Set([...config.campaigns, ...watchedPairs, ...(await knownCampaigns(store))])],
    });
    const hub = new SseHub();
    cleanups.push(() => hub.close());
    cleanups.push(board.onEvent((event) => hub.send(event.kind, event)));
    // States another instance learnt from an action or a failover reach this board too.
    const shared = followSharedStates({ store, board, logger });
    cleanups.push(() => shared.stop());

    // Singleton work runs on the leader only (several instances may share a PostgreSQL store);
    // the HTTP surface and the outbox dispatcher run everywhere.
    const relay = (event: string, payload: { primary: string; backup: string; detail: unknown }) => {
      // A failover (or fail back) changed campaigns' states on CXone: the cards say so at once,
      // not at the next poll (an operator must not be offered "pause" on a campaign just paused).
      if (event === "failover") {
        const steps =
          (payload.detail as { steps?: Array<{ campaignId: string; result: unknown }> }).steps ?? [];
        for (const step of steps)
          if (typeof step.result === "object" && step.result !== null) {
            const status = (step.result as { status: CampaignStatus }).status;
            board.recordState(step.campaignId, { status });
            void shareState(store, step.campaignId, status).catch(() => undefined);
          }
      }
      hub.send(event, payload);
    };
    const lead = await startLeadership({
      tenant: options.name,
      settings,
      store,
      client,
      board,
      logger,
      relay,
      announce: options.announce,
    });
    cleanups.push(lead.stop);
    const { watchdogs, leadership } = lead;

    let dispatcher: OutboxDispatcher | undefined;
    if (config.dispatcher && Object.keys(settings.destinations).length > 0) {
      const started = createDispatcher(store.outbox, { destinations: settings.destinations, logger });
      await started.start();
      dispatcher = started;
      cleanups.push(() => started.stop());
    }
    cleanups.push(
      registerMetricsSource({
        ...(options.name !== undefined ? { tenant: options.name } : {}),
        store,
        board,
        dispatcherStats: () => dispatcher?.stats(),
        sseClients: () => hub.size,
      }),
    );
    return {
      name: options.name,
      settings,
      store,
      client,
      board,
      hub,
      cxone,
      leadership,
      watchdogs,
      poller: lead.onDemandPoller,
      unseen: new UnseenCampaignBudget(),
      destinations: Object.keys(settings.destinations),
      timeZone: config.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC",
      observe: (metrics) => watchdogs.observe(metrics),
      pollNow: lead.pollNow,
      readLiveNow: lead.readLiveNow,
      close: cleanups.run,
    };
  } catch (error) {
    await cleanups.run();
    throw error;
  }
}
