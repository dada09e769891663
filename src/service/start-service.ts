import { type CxoneClient, createClient } from "../client.ts";
import { type Settings, serviceSchema } from "../core/config/index.ts";
import { InputError } from "../core/input-error.ts";
import { type Logger, registerSecret, silentLogger } from "../core/logging/index.ts";
import { createDispatcher, type OutboxDispatcher } from "../core/outbox/index.ts";
import { openStore, type Store } from "../core/store/index.ts";
import { startAuditAnchoring } from "./audit-anchoring.ts";
import { assertSafeBind } from "./bind-safety.ts";
import { CampaignBoard } from "./campaign-board.ts";
import { CxoneStatus } from "./cxone-status.ts";
import { buildHttpApp } from "./http-app.ts";
import { knownCampaigns } from "./known-campaigns.ts";
import { registerMetricsSource } from "./metrics.ts";
import { MetricsPoller } from "./metrics-poller.ts";
import { scheduleExports } from "./scheduled-exports.ts";
import { SseHub } from "./sse-hub.ts";
import { startWatchdogs } from "./watchdogs.ts";

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
  /** A store to share; otherwise the data dir's store is opened (and closed on close()). */
  store?: Store;
  port?: number;
  host?: string;
  accessToken?: string;
}

export interface RunningService {
  url: string;
  host: string;
  port: number;
  board: CampaignBoard;
  /** Runs a metrics poll round now (tests, demo). */
  pollNow(): Promise<void>;
  close(): Promise<void>;
}

function hasConnection(settings: Settings): boolean {
  return Boolean(settings.cxone.baseUrl && settings.cxone.clientId && settings.cxone.clientSecret);
}

function checkOverrides(options: StartServiceOptions): void {
  const overrides = serviceSchema
    .pick({ host: true, port: true, accessToken: true })
    .partial()
    .safeParse({ host: options.host, port: options.port, accessToken: options.accessToken });
  if (!overrides.success) {
    const flag: Record<string, string> = { host: "--host", port: "--port", accessToken: "--access-token" };
    throw new InputError(
      overrides.error.issues.map((issue) => ({
        field: flag[String(issue.path[0])] ?? String(issue.path[0]),
        rule: issue.message,
      })),
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
    const store = options.store ?? (await openStore(settings, { actor: settings.cxone.clientId ?? "" }));
    if (!options.store) cleanups.push(() => store.close());
    const client =
      options.client ?? (hasConnection(settings) ? createClient({ settings, logger }) : undefined);
    if (client && !options.client) cleanups.push(() => client.close());
    if (!client) logger.warn("no CXone credentials: campaign polling and watchdogs are off");

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

    const watchdogs = startWatchdogs({
      configs: config.watchdogs,
      client,
      store,
      logger,
      relay: (event, payload) => hub.send(event, payload),
    });
    cleanups.push(() => watchdogs.stop());

    const poller = client
      ? new MetricsPoller({
          campaigns: client.campaigns,
          board,
          intervalMs: config.pollIntervalSeconds * 1000,
          windowMinutes: config.metricsWindowMinutes,
          logger,
          discover: () => knownCampaigns(store),
        })
      : undefined;
    if (poller) {
      const perMinute = (board.ids().length * 2 * 60) / config.pollIntervalSeconds;
      if (perMinute > 50)
        logger.warn(
          { requestsPerMinute: Math.round(perMinute) },
          "campaign polling uses over half of the campaigns group's 100 requests/minute: raise service.pollIntervalSeconds",
        );
      poller.start();
      cleanups.push(() => poller.stop());
    }

    let dispatcher: OutboxDispatcher | undefined;
    if (config.dispatcher && Object.keys(settings.destinations).length > 0) {
      const started = createDispatcher(store.outbox, { destinations: settings.destinations, logger });
      await started.start();
      dispatcher = started;
      cleanups.push(() => started.stop());
    }

    const anchoring = startAuditAnchoring({ settings, store, logger });
    cleanups.push(() => anchoring.stop());

    const exports = scheduleExports({ configs: config.exports, client, store, logger });
    cleanups.push(() => exports.stop());

    cleanups.push(
      registerMetricsSource({
        store,
        board,
        dispatcherStats: () => dispatcher?.stats(),
        sseClients: () => hub.size,
      }),
    );

    const app = buildHttpApp({
      board,
      store,
      hub,
      cxone,
      poller,
      watchdogs,
      destinations: Object.keys(settings.destinations),
      accessToken,
      webhookSecret: config.webhookSecret,
      allowUnsignedWebhooks: config.allowUnsignedWebhooks,
      bindHost: host,
      allowedHosts: config.allowedHosts,
      observe: (metrics) => watchdogs.observe(metrics),
      logger,
      startedAt: Date.now(),
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
      pollNow: () => poller?.pollNow() ?? Promise.resolve(),
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
