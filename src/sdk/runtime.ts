import type { DncRegistries } from "../campaigns/compliance/registry/lookup.ts";
import type { DestinationSettings } from "../core/config/schema.ts";
import type { CxoneHttp } from "../core/http/create.ts";
import type { EndpointGroup } from "../core/http/group-names.ts";
import { shareRateBudget } from "../core/http/rate-budget.ts";
import { InputError } from "../core/input-error.ts";
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
  /** The journal's group-commit window (SQLite); the store's default when absent. */
  groupCommitMs?: number;
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
  readonly groupCommitMs: number | undefined;
  readonly actor: string;
  readonly destinations: Record<string, DestinationSettings>;
  readonly logger: Logger | undefined;
  private readonly onRedrive: ((notice: RedriveNotice) => void) | undefined;
  private opening: Promise<Store> | undefined;
  private registries: Promise<DncRegistries> | undefined;
  private readonly redriven = new Map<string, Promise<void>>();

  constructor(options: RuntimeOptions) {
    this.port = options.port;
    this.core = options.core;
    this.dataDir = options.dataDir;
    this.databaseUrl = options.databaseUrl;
    this.groupCommitMs = options.groupCommitMs;
    this.actor = options.actor;
    this.destinations = options.destinations;
    this.logger = options.logger;
    this.onRedrive = options.onRedrive;
  }

  /** The store of the data dir, opened (and migrated) on first use. */
  store(): Promise<Store> {
    this.opening ??= import("../core/store/index.ts").then(({ openStore }) =>
      openStore(
        { dataDir: this.dataDir, store: { url: this.databaseUrl, groupCommitMs: this.groupCommitMs } },
        { actor: this.actor },
      ),
    );
    return this.opening;
  }

  /**
   * The DNC registry copies imported into the data dir (`cxo compliance dnc import`), opened on
   * first use; every compliance check and scrub of this client consults them.
   */
  dncRegistries(): Promise<DncRegistries> {
    this.registries ??= import("../campaigns/compliance/registry/lookup.ts").then(({ openDncRegistries }) =>
      openDncRegistries(this.dataDir),
    );
    return this.registries;
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
    const registries = this.registries;
    this.registries = undefined;
    if (registries)
      await registries.then(
        (r) => r.close(),
        () => undefined,
      );
    const opening = this.opening;
    this.opening = undefined;
    if (opening)
      await opening.then(
        (store) => store.close(),
        () => undefined,
      );
  }
}

/** Per-call options of every SDK method that talks to CXone. */
export interface RequestOptions {
  /**
   * Stops the call: waiting for a rate-limit slot, a token, a retry or an answer. A write whose
   * request may already have reached CXone is not forgotten: its journal row stays pending and
   * the next run of the same capability re-drives it (writes are idempotent), so the audit log
   * ends up saying what really happened. Rejects with the signal's reason.
   */
  signal?: AbortSignal;
  /** Bounds the whole call, in milliseconds: queueing, token, every retry and wait. */
  deadlineMs?: number;
}

/** Per-call options of a keyed write (campaign create, pause/resume, interaction corrections). */
export interface WriteOptions extends RequestOptions {
  /**
   * The write's idempotency key, sent to CXone instead of the one derived from the request (a
   * spec's hash, a fresh intent id). The same key from another process or machine is the same
   * intent: CXone replays its first answer, and another body with the key is refused. It is
   * stored in the journal row, so a crash re-drive sends it again.
   */
  idempotencyKey?: string;
}

/** `{ signal, idempotencyKey }` for a capability workflow, from a caller's write options. */
export function writeRequest(options: WriteOptions = {}): {
  signal: AbortSignal | undefined;
  idempotencyKey: string | undefined;
} {
  const key = options.idempotencyKey;
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
    throw new InputError({ field: "idempotencyKey", rule: IDEMPOTENCY_KEY_RULE });
  return { signal: requestSignal(options), idempotencyKey: key };
}

/** What an HTTP header value can carry unchanged, and what CXone keeps. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const IDEMPOTENCY_KEY_RULE = "must be 1-255 visible ASCII characters (no spaces)";

/** One abort signal from a caller's signal and deadline (undefined when neither is given). */
export function requestSignal(options: RequestOptions = {}): AbortSignal | undefined {
  const signals: AbortSignal[] = [];
  if (options.signal) signals.push(options.signal);
  if (options.deadlineMs !== undefined) signals.push(AbortSignal.timeout(options.deadlineMs));
  if (signals.length === 0) return undefined;
  return signals.length === 1 ? signals[0] : AbortSignal.any(signals);
}
