import { type CxoneClient, clientOptionsFromSettings, createInternalClient, internalsOf } from "../client.ts";
import { type Settings, serviceSchema } from "../core/config/index.ts";
import { shareRateBudget } from "../core/http/rate-budget.ts";
import { InputError } from "../core/input-error.ts";
import { type Logger, registerSecret, silentLogger } from "../core/logging/index.ts";
import { metricsRegistry } from "../core/metrics/index.ts";
import { createDispatcher, type OutboxDispatcher } from "../core/outbox/index.ts";
import { openStore, type Store } from "../core/store/index.ts";
import type { CampaignStatus } from "../platform/types.ts";
import { assertSafeBind } from "./bind-safety.ts";
import { CampaignBoard } from "./campaign-board.ts";
import { CxoneStatus } from "./cxone-status.ts";
import { buildHttpApp } from "./http-app.ts";
import { knownCampaigns } from "./known-campaigns.ts";
import { type LeaderWork, newPoller, startLeaderWork } from "./leader-work.ts";
import { Leadership } from "./leadership.ts";
import { registerMetricsSource } from "./metrics.ts";
import { relayObservations, shareObservation } from "./observed-metrics.ts";
import { followSharedStates, shareState } from "./shared-states.ts";
import { SseHub } from "./sse-hub.ts";
import { followerAwareWatchdogs } from "./watchdogs.ts";

/**
 * `cxo serve` in-process: `const svc = await startService({ settings, port: 0 })`, then
 * `svc.url`, and `await svc.close()`.
 *
 * Boot only READS from CXone (campaign status and metrics polls): nothing is created, registered
 * or changed there at start (the seed created a campaign on every boot). Background workers: the
 * outbox dispatcher (delivers events left pending by earlier runs first), the configured failover
 * watchdogs, scheduled exports and the metrics poller. close() stops accepting requests, ends the
 * live streams, stops the poller and watchdogs, drains the dispatcher's in-flight deliveries and
 * closes what it opened.
 */
export interface StartServiceOptions {
  settings: Settings;
  logger?: Logger;
  /** A client to share; otherwise one is made from the settings (when they hold credentials). */
  client?: CxoneClient;
  /**
   * A store to share; otherwise the data dir's store is opened (and closed on close()).
   * @internal
   */
  store?: Store;
  port?: number;
  host?: string;
  accessToken?: string;
}

export interface RunningService {
  url: string;
  host: string;
  port: number;
  /**
   * The campaign board behind the dashboard (tests, demo).
   * @internal
   */
  board: CampaignBoard;
  /**
   * Whether this instance leads (runs the watchdogs, poller, exports) right now.
   * @internal
   */
  leadership: Leadership;
  /**
   * The store the service uses (tests, demo).
   * @internal
   */
  store: Store;
  /** Runs a metrics poll round now (tests, demo). */
  pollNow(): Promise<void>;
  /** Runs a live reading now, on the leader (tests, demo); resolves once the watchdogs judged it. */
  readLiveNow(): Promise<void>;
  close(): Promise<void>;
}

function hasConnection(settings: Settings): boolean {
  const c = settings.cxone;
  // The production platform discovers its API host: it needs the access key instead of a URL.
  // The application login also needs the registered app; `auto` picks it only when one is set.
  if (c.platform === "cxone")
    return Boolean(
      c.accessKeyId && c.accessKeySecret && (c.auth.mode !== "application" || (c.clientId && c.clientSecret)),
    );
  return Boolean(c.baseUrl && c.clientId && c.clientSecret);
}

function checkOverrides(options: StartServiceOptions): void {
  const overrides = serviceSchema
    .pick({ host: true, port: true, accessToken: true })
    .partial()
    .safeParse({ host: options.host, port: options.port, accessToken: options.accessToken });
  if (!overrides.success) {
    throw new InputError(
      overrides.error.issues.map((issue) => ({ field: String(issue.path[0]), rule: issue.message })),
    );
  }
}

export async function startService(options: StartServiceOptions): Promise<RunningService> {
  checkOverrides(options);
  const { settings } = options;
  const config = settings.service;
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? config.host;
  const port = options.port ?? config.port;
  const accessToken = options.accessToken ?? config.accessToken;
  assertSafeBind(host, accessToken);
  for (const secret of [
    accessToken,
    config.webhookSecret,
    settings.cxone.clientSecret,
    settings.audit.anchorKey,
  ])
    registerSecret(secret);
  for (const destination of Object.values(settings.destinations)) registerSecret(destination.secret);

  const cleanups: Array<() => Promise<void> | void> = [];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        logger.error({ error: String(error) }, "service shutdown step failed");
      }
    }
  };

  try {
    const store =
      options.store ??
      (await openStore(settings, {
        actor: settings.cxone.clientId ?? settings.cxone.accessKeyId ?? "",
        ...(config.instanceId ? { instanceName: config.instanceId } : {}),
      }));
    // Every series says which instance it comes from (several instances behind one scrape job).
    metricsRegistry.setDefaultLabels({ instance: store.instance.name });
    if (!options.store) cleanups.push(() => store.close());
    const client =
      (options.client && internalsOf(options.client)) ??
      (hasConnection(settings)
        ? createInternalClient({ ...clientOptionsFromSettings(settings), logger })
        : undefined);
    if (client && !options.client) cleanups.push(() => client.close());
    if (!client) logger.warn("no CXone credentials: campaign polling and watchdogs are off");
    if (client) {
      // The CLI beside the service (an export, a tagging run) shares the tenant's limits with it.
      const budget = await shareRateBudget(client.core.limits, store.rateShares, {
        tenant: client.core.tenant,
        groups: ["campaigns", "analytics", "outcomes"],
      });
      cleanups.push(() => budget.close());
    }

    const cxone = new CxoneStatus(client !== undefined);
    if (client) cleanups.push(client.core.http.on(cxone.listener));

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
    let leaderWork: LeaderWork | undefined;
    const onDemandPoller = newPoller({ settings, store, client, board, logger });
    const watchdogs = followerAwareWatchdogs(
      store,
      () => leaderWork?.watchdogs,
      (metrics) => shareObservation(store, metrics, logger),
    );
    cleanups.push(() => watchdogs.stop());
    const leadership = new Leadership({
      store,
      logger,
      ttlMs: config.leaderLeaseSeconds * 1000,
      lead: (fenced) => {
        const work = startLeaderWork({ settings, store: fenced, client, board, logger, relay });
        leaderWork = work;
        const stopRelay = relayObservations(store, (metrics) => work.watchdogs.observe(metrics), logger);
        return async () => {
          stopRelay();
          if (leaderWork === work) leaderWork = undefined;
          await work.stop();
        };
      },
    });
    await leadership.start();
    cleanups.push(() => leadership.stop());

    let dispatcher: OutboxDispatcher | undefined;
    if (config.dispatcher && Object.keys(settings.destinations).length > 0) {
      const started = createDispatcher(store.outbox, { destinations: settings.destinations, logger });
      await started.start();
      dispatcher = started;
      cleanups.push(() => started.stop());
    }

    cleanups.push(
      registerMetricsSource({
        store,
        board,
        dispatcherStats: () => dispatcher?.stats(),
        sseClients: () => hub.size,
      }),
    );

    const app = buildHttpApp({
      limits: config.http,
      trustProxy: config.trustProxy,
      board,
      client,
      store,
      hub,
      cxone,
      poller: onDemandPoller,
      watchdogs,
      leadership,
      destinations: Object.keys(settings.destinations),
      accessToken,
      users: config.users,
      sessionHours: config.sessionHours,
      passwordHashCost: config.passwordHashCost,
      webhookSecret: config.webhookSecret,
      allowUnsignedWebhooks: config.allowUnsignedWebhooks,
      bindHost: host,
      allowedHosts: config.allowedHosts,
      observe: (metrics) => watchdogs.observe(metrics),
      logger,
      startedAt: Date.now(),
      timeZone: config.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC",
    });
    await app.listen({ host, port });
    // Stop accepting first; live streams end (hub.close runs next) so in-flight requests can finish.
    cleanups.push(async () => {
      hub.close();
      await app.close();
    });
    const address = app.server.address();
    const boundPort = typeof address === "object" && address ? address.port : port;
    const urlHost = host.includes(":") ? `[${host}]` : host;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${urlHost}:${boundPort}`,
      host,
      port: boundPort,
      board,
      pollNow: () => (leaderWork?.poller ?? onDemandPoller)?.pollNow() ?? Promise.resolve(),
      readLiveNow: () => leaderWork?.live?.readNow() ?? Promise.resolve(),
      leadership,
      store,
      close: () => {
        closing ??= cleanup();
        return closing;
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
