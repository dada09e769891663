import type { SkillVoices } from "../compliance/declared-voice.ts";
import type { RulePolicies } from "../compliance/effective-dates.ts";
import type { ComplianceEngine } from "../compliance/engine.ts";
import type { DncRegistries } from "../compliance/registry/lookup.ts";
import { ClientClosedError } from "../core/client-closed-error.ts";
import type { ClientClock } from "../core/clock/now.ts";
import type { AuditSettings, DestinationSettings } from "../core/config/schema.ts";
import type { ConnectionMissingError } from "../core/connection-missing-error.ts";
import type { CxoneHttp } from "../core/http/create.ts";
import type { EndpointGroup } from "../core/http/group-names.ts";
import { RateShareMembership, shareRateBudget } from "../core/http/rate-budget.ts";
import { InputError } from "../core/input-error.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Operation, RedriveReport, Store } from "../core/store/index.ts";
import type { ClientContext, ConsentSettingsOfClient } from "../platform/client-context.ts";
import type { CxonePort } from "../platform/port.ts";
import type { RndPort } from "../platform/ports/rnd.ts";
import type { CreateClientOptions, CxoneClient, TsrClientOptions } from "./client-types.ts";
import type { ClientCalls } from "./closed-guard.ts";

export { idOf, paramsOf } from "../core/params.ts";

/** Work an earlier run left pending, re-driven before a capability's first new work. */
export interface RedriveNotice {
  capability: string;
  redriven: number;
  report: RedriveReport;
}

/**
 * What a client's runtime is made with (sdk/build-client.ts): createClient's options checked and
 * resolved; the logger, the re-drive notices, the consent peers and the TSR fields as given.
 */
export interface RuntimeOptions
  extends Pick<CreateClientOptions, "logger" | "onRedrive" | "consentPeers" | "tsr"> {
  port: CxonePort;
  core: CxoneHttp;
  /** Set for a client built without a connection (its port refuses with it). */
  missingConnection?: ConnectionMissingError;
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL: the schema of the store's tables (a tenant's own). */
  databaseSchema?: string;
  /** The business unit (createClient's `tenant`): its outbox events name it. */
  tenant?: string;
  /** The journal's group-commit window (SQLite); the store's default when absent. */
  groupCommitMs?: number;
  actor: string;
  destinations: Record<string, DestinationSettings>;
  /** Audit anchoring (createClient's `audit`, checked): the key, file and destination of anchors. */
  audit?: AuditSettings;
  /** The consent ledger's settings (issue 62): the CXone DNC group revocations go to. */
  consent?: ConsentSettingsOfClient;
  /** How old the synced copy of the CXone DNC groups may be (minutes; issue 62 §2). */
  cxoneDncMaxAgeMinutes?: number;
  /** The seller's state registrations (issue 79 §2). */
  registrations?: Readonly<Record<string, { number: string; until: string }>>;
  /** How old the last read of agents' do-not-call dispositions may be (minutes; issue 77 §3). */
  dispositionsMaxAgeMinutes?: number;
  /** Issue 79 §3: the Reassigned Numbers Database, when configured (its port made on first use). */
  rnd?: RndRuntimeOptions;
  /** Rule dates counsel moved (`rules.effectiveDates`), checked: the engine judges by them. */
  effectiveDates?: Readonly<Record<string, string>>;
  /** The voice each skill's calls use (`compliance.skills`). */
  skillVoices?: SkillVoices;
  /** The UK's calling-hours policy (`compliance.ukCallingHours`). */
  ukCallingHours?: RulePolicies["ukCallingHours"];
  /** createClient's `clock`: every call of the client reads the time on it (sdk/call.ts). */
  clock?: ClientClock;
}

/** The RND's settings a client uses, and how to reach it (platform/rnd, imported on first use). */
export interface RndRuntimeOptions {
  batchSize: number;
  maxAgeDays: number;
  noData: "allow" | "refuse";
  connect: () => Promise<RndPort>;
}

/**
 * What the capability groups of one client share: the port, and the local store opened on first
 * use (one per client, closed by `close()`). Each capability re-drives the journal rows an
 * earlier run left pending once, before its first new work, so a crash never leaves an
 * operation half-recorded.
 */
export class ClientRuntime implements ClientContext {
  /** The clock handed to createClient, if any: each call runs on it (sdk/call.ts). */
  readonly clock: ClientClock | undefined;
  readonly port: CxonePort;
  readonly core: CxoneHttp;
  readonly missingConnection: ConnectionMissingError | undefined;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly databaseSchema: string | undefined;
  readonly tenant: string | undefined;
  readonly groupCommitMs: number | undefined;
  readonly actor: string;
  readonly cxoneDncMaxAgeMinutes: number;
  readonly dispositionsMaxAgeMinutes: number;
  readonly destinations: Record<string, DestinationSettings>;
  /** Audit anchoring: what `audit.verify` checks by and `audit.anchor` signs with. */
  readonly audit: AuditSettings;
  readonly consent: ConsentSettingsOfClient;
  readonly registrations: Readonly<Record<string, { number: string; until: string }>>;
  readonly logger: Logger | undefined;
  private readonly onRedrive: ((notice: RedriveNotice) => void) | undefined;
  readonly consentPeers: (() => Promise<readonly CxoneClient[]>) | undefined;
  readonly rnd: RndRuntimeOptions | undefined;
  readonly tsr: TsrClientOptions | undefined;
  readonly effectiveDates: Readonly<Record<string, string>>;
  readonly skillVoices: SkillVoices;
  readonly ukCallingHours: RulePolicies["ukCallingHours"];
  private rndPort: Promise<RndPort> | undefined;
  private opening: Promise<Store> | undefined;
  private registries: Promise<DncRegistries> | undefined;
  private engine: Promise<ComplianceEngine> | undefined;
  private readonly redriven = new Map<string, Promise<void>>();

  constructor(options: RuntimeOptions) {
    this.clock = options.clock;
    this.port = options.port;
    this.core = options.core;
    this.missingConnection = options.missingConnection;
    this.dataDir = options.dataDir;
    this.databaseUrl = options.databaseUrl;
    this.databaseSchema = options.databaseSchema;
    this.tenant = options.tenant;
    this.groupCommitMs = options.groupCommitMs;
    this.actor = options.actor;
    this.cxoneDncMaxAgeMinutes = options.cxoneDncMaxAgeMinutes ?? 60;
    this.dispositionsMaxAgeMinutes = options.dispositionsMaxAgeMinutes ?? 5;
    this.destinations = options.destinations;
    this.audit = options.audit ?? { anchorEveryMinutes: 60 };
    this.consent = options.consent ?? {};
    this.registrations = options.registrations ?? {};
    this.logger = options.logger;
    this.onRedrive = options.onRedrive;
    this.consentPeers = options.consentPeers;
    this.rnd = options.rnd;
    this.tsr = options.tsr;
    this.effectiveDates = options.effectiveDates ?? {};
    this.skillVoices = options.skillVoices ?? {};
    this.ukCallingHours = options.ukCallingHours;
  }

  /** The RND's port, made on first use (undefined when the client has no `rnd` settings). */
  rndQueries(): Promise<RndPort> | undefined {
    if (this.closed) return Promise.reject(new ClientClosedError());
    if (!this.rnd) return undefined;
    this.rndPort ??= this.rnd.connect();
    return this.rndPort;
  }

  /** The store of the data dir, opened (and migrated) on first use; never again after close(). */
  store(): Promise<Store> {
    if (this.closed) return Promise.reject(new ClientClosedError());
    this.opening ??= import("../core/store/index.ts").then(({ openStore }) =>
      openStore(
        {
          dataDir: this.dataDir,
          tenant: this.tenant,
          store: { url: this.databaseUrl, groupCommitMs: this.groupCommitMs, schema: this.databaseSchema },
        },
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
    if (this.closed) return Promise.reject(new ClientClosedError());
    this.registries ??= import("../compliance/registry/lookup.ts").then(({ openDncRegistries }) =>
      openDncRegistries(this.dataDir),
    );
    return this.registries;
  }

  /**
   * The client's compliance engine (compliance/engine.ts), made on first use: every
   * check, scrub, plan, push and evidence run of this client asks it, so its caches (verdicts of a
   * situation, local times, boundaries) serve them all and go with the client.
   */
  complianceEngine(): Promise<ComplianceEngine> {
    if (this.closed) return Promise.reject(new ClientClosedError());
    this.engine ??= (async () => {
      const [{ ComplianceEngine }, { ruleTableWith }, { recordEffectiveDates }] = await Promise.all([
        import("../compliance/engine.ts"),
        import("../compliance/effective-dates.ts"),
        import("../compliance/effective-dates-audit.ts"),
      ]);
      // Judging by other dates than the store last judged with is audited, before any judgement.
      await recordEffectiveDates(await this.store(), this.effectiveDates, this.actor);
      return new ComplianceEngine({
        ruleTable: ruleTableWith(this.effectiveDates, { ukCallingHours: this.ukCallingHours }),
      });
    })();
    return this.engine;
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
    // Without a connection nothing can be re-driven: the rows stay pending for a client with one.
    if (this.missingConnection) return store;
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
    // One share per group for the whole client: its calls that overlap (or follow within a few
    // seconds) join once, not each on its own (rate-budget.ts).
    this.shares ??= new RateShareMembership((group) =>
      shareRateBudget(this.core.limits, store.rateShares, { tenant: this.core.tenant, groups: [group] }),
    );
    return this.shares.with(groups, work);
  }

  private shares: RateShareMembership | undefined;

  /** Set by close(): a later call is refused (ClientClosedError), nothing is reopened. */
  private closed = false;
  /** What the client's calls started and close() stops (a watchdog's loop). */
  private readonly started = new Set<{ stop(): Promise<void> }>();

  /** Whether close() was called: every group method is refused from then on (closed-guard.ts). */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Hands `running` (a watchdog) to the runtime: close() stops it, so nothing a call started
   * goes on after the client is closed. Its own `stop()` still works (the runtime lets go of it).
   */
  adopt<T extends { stop(): Promise<void> }>(running: T): T {
    if (this.closed) {
      void running.stop();
      throw new ClientClosedError();
    }
    this.started.add(running);
    const stop = running.stop.bind(running);
    running.stop = () => {
      this.started.delete(running);
      return stop();
    };
    return running;
  }

  /** Fired first by close(): calls in flight stop (each call's signal hears it: call.ts), then the store closes. */
  private readonly closingController = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();

  /** The calls of this client's groups: their closing signal, and the ones close() waits for. */
  readonly calls: ClientCalls = {
    closing: this.closingController.signal,
    track: (call: Promise<unknown>) => {
      const settled = call.then(
        () => undefined,
        () => undefined,
      );
      this.inFlight.add(settled);
      void settled.then(() => this.inFlight.delete(settled));
    },
  };

  async close(): Promise<void> {
    this.closed = true;
    // Work in flight first: stopped (its journal rows stay pending for the next run) and waited
    // for, so nothing is recorded as failed because the store went away under it.
    this.closingController.abort(new ClientClosedError());
    await Promise.allSettled([...this.inFlight]);
    const started = [...this.started];
    this.started.clear();
    await Promise.allSettled(started.map((running) => running.stop()));
    await this.shares?.close();
    const rnd = this.rndPort;
    this.rndPort = undefined;
    await closeOpened(rnd);
    const registries = this.registries;
    this.registries = undefined;
    await closeOpened(registries);
    this.engine = undefined;
    const opening = this.opening;
    this.opening = undefined;
    await closeOpened(opening);
  }
}

/** Closes what a first use opened, if it was: an open that failed left nothing to close. */
async function closeOpened(opened: Promise<{ close(): unknown }> | undefined): Promise<void> {
  if (opened)
    await opened.then(
      (resource) => resource.close(),
      () => undefined,
    );
}

/**
 * The per-call options of every SDK method, always its last argument: `method(…, options?)`.
 * Nothing else goes here: what the call is about (an id, a query, a config, a source) and how it
 * behaves (an output file, a waiter, a concurrency) are its params, before it. Any other key
 * (`timeout`, `deadline`) is an InputError naming it, before anything is sent.
 */
export interface RequestOptions {
  /**
   * Stops the call: waiting for a rate-limit slot, a token, a retry or an answer. A write whose
   * request may already have reached CXone is not forgotten: its journal row stays pending and
   * the next run of the same capability re-drives it (writes are idempotent), so the audit log
   * ends up saying what really happened. Rejects with the signal's reason.
   */
  signal?: AbortSignal;
  /**
   * Bounds the whole call, in milliseconds: queueing, token, every request with its retries and
   * waits, a waiter's polls, every page of a listing. When it passes the call rejects with
   * DeadlineExceededError (`code: "deadline_exceeded"`), the same error as when the client's
   * `http.deadlineMs` (one request's bound) passes. A negative or non-finite value is an
   * InputError.
   */
  deadlineMs?: number;
  /**
   * Attempts per request of this call (1–20), retries included; default the client's
   * `http.maxAttempts`. 429 pauses do not count against it.
   */
  maxAttempts?: number;
  /**
   * A keyed write's idempotency key (campaign create, pause/resume, interaction corrections),
   * sent to CXone instead of the one derived from the request (a spec's hash, a fresh intent
   * id). The same key from another process or machine is the same intent: CXone replays its
   * first answer, and another body with the key is refused. It is stored in the journal row, so
   * a crash re-drive sends it again. A call that takes no key (a read, an upsert) refuses one
   * (InputError).
   */
  idempotencyKey?: string;
}

/** Every request option's name: one missing here, or not in RequestOptions, does not compile. */
const KNOWN_KEYS: Readonly<Record<keyof RequestOptions, true>> = {
  signal: true,
  deadlineMs: true,
  maxAttempts: true,
  idempotencyKey: true,
};
const KNOWN_LIST = Object.keys(KNOWN_KEYS).join(", ");

/**
 * A call's request options, checked at the boundary: absent is `{}`; anything but an object
 * (null, a string…) is an InputError naming `options`, and so is a key that is not a request
 * option (`{ timeout: 5000 }` would otherwise run with no deadline at all): the InputError names
 * each such key and lists the known ones. Every call (runCall, a listing's iteration) checks here.
 */
export function optionsOf(options: RequestOptions | null | undefined): RequestOptions {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new InputError({
      field: "options",
      rule: `must be an object of request options ({ ${KNOWN_LIST} })`,
    });
  const unknown = Object.keys(options).filter((key) => !Object.hasOwn(KNOWN_KEYS, key));
  if (unknown.length > 0)
    throw new InputError(
      unknown.map((key) => ({ field: key, rule: `is not a request option (known: ${KNOWN_LIST})` })),
    );
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal))
    throw new InputError({ field: "signal", rule: "must be an AbortSignal (from an AbortController)" });
  return options;
}

/** InputError when a call that takes no idempotency key is given one. */
export function refuseIdempotencyKey(
  options: RequestOptions | undefined,
  why = "this call takes none",
): void {
  if (options?.idempotencyKey !== undefined)
    throw new InputError({ field: "idempotencyKey", rule: `is not accepted here: ${why}` });
}

/** InputError unless `maxAttempts` is an integer from 1 to 20 (the client option's range). */
export function checkMaxAttempts(maxAttempts: number | undefined): void {
  if (maxAttempts === undefined) return;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20)
    throw new InputError({ field: "maxAttempts", rule: "must be an integer from 1 to 20" });
}
