import type { DestinationSettings } from "../core/config/schema.ts";
import type { CxoneHttp } from "../core/http/create.ts";
import type { EndpointGroup } from "../core/http/group-names.ts";
import { shareRateBudget } from "../core/http/rate-budget.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Operation, RedriveReport, Store } from "../core/store/index.ts";
import type { CxonePort } from "../platform/port.ts";

/** Work an earlier run left pending, re-driven before a capability's first new work. */
export interface RedriveNotice {
  capability: string;
  redriven: number;
  report: RedriveReport;
}

export interface RuntimeOptions {
  port: CxonePort;
  core: CxoneHttp;
  dataDir: string;
  databaseUrl?: string;
  actor: string;
  destinations: Record<string, DestinationSettings>;
  logger?: Logger;
  onRedrive?: (notice: RedriveNotice) => void;
}

/**
 * What the capability groups of one client share: the port, and the local store opened on first
 * use (one per client, closed by `close()`). Each capability re-drives the journal rows an
 * earlier run left pending once, before its first new work, so a crash never leaves an
 * operation half-recorded.
 */
export class ClientRuntime {
  readonly port: CxonePort;
  readonly core: CxoneHttp;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly actor: string;
  readonly destinations: Record<string, DestinationSettings>;
  readonly logger: Logger | undefined;
  private readonly onRedrive: ((notice: RedriveNotice) => void) | undefined;
  private opening: Promise<Store> | undefined;
  private readonly redriven = new Map<string, Promise<void>>();

  constructor(options: RuntimeOptions) {
    this.port = options.port;
    this.core = options.core;
    this.dataDir = options.dataDir;
    this.databaseUrl = options.databaseUrl;
    this.actor = options.actor;
    this.destinations = options.destinations;
    this.logger = options.logger;
    this.onRedrive = options.onRedrive;
  }

  /** The store of the data dir, opened (and migrated) on first use. */
  store(): Promise<Store> {
    this.opening ??= import("../core/store/index.ts").then(({ openStore }) =>
      openStore({ dataDir: this.dataDir, store: { url: this.databaseUrl } }, { actor: this.actor }),
    );
    return this.opening;
  }

  /**
   * The store, after `capability`'s pending journal rows were re-driven (once per client):
   * `redrive` is the capability's operations (handed to the journal) or a function doing it.
   */
  async storeFor(
    capability: string,
    redrive: ((store: Store) => Promise<RedriveReport | null>) | Operation<never, unknown>[],
  ): Promise<Store> {
    const store = await this.store();
    let done = this.redriven.get(capability);
    if (!done) {
      done = (async () => {
        const report =
          typeof redrive === "function" ? await redrive(store) : await store.journal.redrivePending(redrive);
        if (report && report.redriven > 0)
          this.onRedrive?.({ capability, redriven: report.redriven, report });
      })();
      this.redriven.set(capability, done);
    }
    await done;
    return store;
  }

  /**
   * Runs bulk work with this process's share of the tenant's rate limits for `groups`: every
   * process using the same store (another `cxo tag --file`, a `cxo serve`) gets its share.
   */
  async withRateShare<T>(groups: readonly EndpointGroup[], work: () => Promise<T>): Promise<T> {
    const store = await this.store();
    const budget = await shareRateBudget(this.core.limits, store.rateShares, {
      tenant: this.core.tenant,
      groups,
    });
    try {
      return await work();
    } finally {
      await budget.close();
    }
  }

  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    if (opening)
      await opening.then(
        (store) => store.close(),
        () => undefined,
      );
  }
}

/** One abort signal from a caller's signal and deadline (undefined when neither is given). */
export function requestSignal(
  options: { signal?: AbortSignal; deadlineMs?: number } = {},
): AbortSignal | undefined {
  const signals: AbortSignal[] = [];
  if (options.signal) signals.push(options.signal);
  if (options.deadlineMs !== undefined) signals.push(AbortSignal.timeout(options.deadlineMs));
  if (signals.length === 0) return undefined;
  return signals.length === 1 ? signals[0] : AbortSignal.any(signals);
}
