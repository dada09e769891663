import { type CxoneClient, internalsOf } from "../client.ts";
import { clockNowMs } from "../core/clock/now.ts";
import { type Settings, serviceSchema } from "../core/config/index.ts";
import { sellerOf } from "../core/config/seller.ts";
import { InputError } from "../core/input-error.ts";
import { type Logger, registerSecret, silentLogger } from "../core/logging/index.ts";
import { metricsRegistry } from "../core/metrics/index.ts";
import { openStore, type Store } from "../core/store/index.ts";
import type { Announce } from "./announce.ts";
import { assertSafeBind } from "./bind-safety.ts";
import type { CampaignBoard } from "./campaign-board.ts";
import { buildHttpApp } from "./http-app.ts";
import type { Leadership } from "./leadership.ts";
import { checkServedTenants } from "./served-tenants.ts";
import { cleanupList, startTenantRuntime, type TenantRuntime } from "./tenant-runtime.ts";
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
 *
 * Several business units: `tenants` names each with its own settings (as `cxo --tenant NAME`
 * would load them) and `settings` are the installation's (its store keeps the board's users and
 * sessions). Each tenant gets its own runtime (tenant-runtime.ts) and its board and API under
 * `/t/NAME/` (docs/tenants.md).
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
  /** Several business units served together, each with its settings (its connection, its store). */
  tenants?: ReadonlyArray<{ name: string; settings: Settings; client?: CxoneClient }>;
  /**
   * One business unit served while other configured ones share its seller (`cxo serve --tenant`):
   * their names. The consent webhook then refuses scope `all` (400), which it could not record in
   * them.
   */
  unservedSellerTenants?: readonly string[];
  /**
   * Where the service says what its unattended work did, a line per autopilot step (`cxo serve`
   * prints them whatever the log level); default: the logger at info.
   */
  announce?: Announce;
}

export interface RunningService {
  url: string;
  host: string;
  port: number;
  /**
   * The campaign board behind the dashboard (tests); the first tenant's when several.
   * @internal
   */
  board: CampaignBoard;
  /**
   * Whether this instance leads (runs the watchdogs, poller, exports) right now.
   * @internal
   */
  leadership: Leadership;
  /**
   * The store the service uses (tests): with several tenants, the installation's.
   * @internal
   */
  store: Store;
  /**
   * Each business unit's runtime by name (several tenants; tests, `cxo serve` names them).
   * @internal
   */
  tenants: ReadonlyMap<string, TenantRuntime>;
  /**
   * Runs a metrics poll round now (tests; the poller runs its rounds on its own).
   * @internal
   */
  pollNow(): Promise<void>;
  /**
   * Runs a live reading now, on the leader (tests); resolves once the watchdogs judged it.
   * @internal
   */
  readLiveNow(): Promise<void>;
  close(): Promise<void>;
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

async function startRuntimes(
  options: StartServiceOptions,
  logger: Logger,
  cleanups: ReturnType<typeof cleanupList>,
): Promise<{ runtimes: TenantRuntime[]; store: Store }> {
  const { settings } = options;
  const runtimes: TenantRuntime[] = [];
  if (!options.tenants) {
    const client = options.client && internalsOf(options.client);
    const runtime = await startTenantRuntime({
      settings,
      logger,
      ...(options.announce ? { announce: options.announce } : {}),
      ...(client ? { client } : {}),
      ...(options.store ? { store: options.store } : {}),
    });
    cleanups.push(runtime.close);
    return { runtimes: [runtime], store: runtime.store };
  }
  checkServedTenants(settings, options.tenants);
  const store =
    options.store ??
    (await openStore(
      settings,
      settings.service.instanceId ? { instanceName: settings.service.instanceId } : {},
    ));
  if (!options.store) cleanups.push(() => store.close());
  // One after another: each opens its store and reads its campaigns; a failure names the tenant.
  for (const tenant of options.tenants) {
    const client = tenant.client && internalsOf(tenant.client);
    const runtime = await startTenantRuntime({
      name: tenant.name,
      settings: tenant.settings,
      logger: logger.child({ tenant: tenant.name }),
      ...(options.announce ? { announce: options.announce } : {}),
      ...(client ? { client } : {}),
    });
    cleanups.push(runtime.close);
    runtimes.push(runtime);
  }
  return { runtimes, store };
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
  for (const secret of [accessToken, config.webhookSecret, settings.audit.anchorKey]) registerSecret(secret);

  const cleanups = cleanupList(logger);
  try {
    const { runtimes, store } = await startRuntimes(options, logger, cleanups);
    await finishFanOutsAtStart(runtimes, logger);
    // Every series says which instance it comes from (several instances behind one scrape job).
    metricsRegistry.setDefaultLabels({ instance: store.instance.name });
    const app = buildHttpApp({
      runtimes,
      store,
      limits: config.http,
      trustProxy: config.trustProxy,
      accessToken,
      users: config.users,
      sessionHours: config.sessionHours,
      passwordHashCost: config.passwordHashCost,
      allowUnsignedWebhooks: config.allowUnsignedWebhooks,
      bindHost: host,
      allowedHosts: config.allowedHosts,
      logger,
      startedAt: clockNowMs(),
      unservedSellerTenants: options.unservedSellerTenants ?? [],
    });
    await app.listen({ host, port });
    // Stop accepting first; live streams end (each hub closes) so in-flight requests can finish.
    cleanups.push(async () => {
      for (const runtime of runtimes) runtime.hub.close();
      await app.close();
    });
    const address = app.server.address();
    const boundPort = typeof address === "object" && address ? address.port : port;
    const urlHost = host.includes(":") ? `[${host}]` : host;
    const first = runtimes[0]!;
    return {
      url: `http://${urlHost}:${boundPort}`,
      host,
      port: boundPort,
      board: first.board,
      leadership: first.leadership,
      store,
      tenants: new Map(runtimes.filter((r) => r.name !== undefined).map((r) => [r.name!, r])),
      pollNow: async () => {
        await Promise.all(runtimes.map((runtime) => runtime.pollNow()));
      },
      readLiveNow: async () => {
        await Promise.all(runtimes.map((runtime) => runtime.readLiveNow()));
      },
      close: cleanups.run,
    };
  } catch (error) {
    await cleanups.run();
    throw error;
  }
}

/**
 * A revocation of scope `all` that a killed run recorded in some business units and not yet in
 * the others (its fan-out's journal row, consent/fan-out.ts) is finished before the service
 * answers: every unit of the seller it serves then refuses the numbers. Then each seller's units
 * are given the scope-`all` revocations another of them holds (units left apart with no
 * journal row, e.g. by an import that read a file replaced mid-run) — per seller, never across.
 */
async function finishFanOutsAtStart(runtimes: readonly TenantRuntime[], logger: Logger): Promise<void> {
  if (runtimes.length < 2) return;
  const [{ finishFanOuts, evenScopeAll }, { serviceLedgerOf }] = await Promise.all([
    import("../consent/fan-out.ts"),
    import("./routes/consent-webhook.ts"),
  ]);
  const units = runtimes.map((r) =>
    serviceLedgerOf({ tenant: r.name, store: r.store, cxoneGroupId: r.settings.consent.cxoneDncGroup }),
  );
  try {
    const { finished, waiting } = await finishFanOuts(units, "service:consent");
    if (finished > 0)
      logger.info({ finished }, "consent: finished scope-all revocations an earlier run left half recorded");
    for (const w of waiting)
      logger.warn(
        w,
        "consent: a scope-all revocation is not yet recorded in every business unit of the seller",
      );
    const sellers = new Map<string, typeof units>();
    runtimes.forEach((r, i) => {
      const seller = sellerOf(r.settings.consent, r.name) ?? "";
      sellers.set(seller, [...(sellers.get(seller) ?? []), units[i] as (typeof units)[number]]);
    });
    for (const group of sellers.values()) {
      const even = await evenScopeAll(group, "service:consent");
      for (const r of even.repaired ?? [])
        logger.info(
          r,
          "consent: a business unit lacked scope-all revocations another of its seller held; recorded",
        );
      for (const w of even.waiting)
        logger.warn(w, "consent: a business unit lacks scope-all revocations another of its seller holds");
    }
  } catch (error) {
    logger.warn({ err: error }, "consent: could not finish the scope-all revocations an earlier run left");
  }
}
