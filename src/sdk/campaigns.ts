import type { CampaignCaps } from "../campaigns/compliance/verdict.ts";
import type { CreateOutcome } from "../campaigns/create.ts";
import type { Diagnosis } from "../campaigns/diagnose/facts.ts";
import type { DiagnoseParams } from "../campaigns/diagnose/params.ts";
import type { KnownCampaign } from "../campaigns/known-campaigns.ts";
import type { ContactSink } from "../campaigns/segment/contact-writer.ts";
import type { SegmentedContact } from "../campaigns/segment/segmented-contact.ts";
import type { SegmentSummary } from "../campaigns/segment/summary.ts";
import type { CampaignSpecInput } from "../campaigns/spec.ts";
import type { SetStatusResult } from "../campaigns/transition.ts";
import type { Incident } from "../campaigns/watchdog/state.ts";
import type { Watchdog, WatchdogConfig } from "../campaigns/watchdog/watchdog.ts";
import type { WebhookOptions } from "../campaigns/webhook.ts";
import { NotFoundError, ScopeError } from "../core/http/errors.ts";
import { type AsyncList, ItemList } from "../core/http/pagination.ts";
import { InputError } from "../core/input-error.ts";
import { lazyModule } from "../core/lazy-module.ts";
import { pushedItems } from "../core/pushed-items.ts";
import type { Store } from "../core/store/index.ts";
import type { PacingDecision } from "../dialer/live-pacing/latest.ts";
import type { SkillLiveSnapshot } from "../platform/ports/live.ts";
import type { Campaign, CampaignLiveMetrics, EventSubscription } from "../platform/types.ts";
import type { NoParams } from "./access.ts";
import { named } from "./not-found.ts";
import {
  type ClientRuntime,
  idOf,
  inCall,
  optionsOf,
  paramsOf,
  type RequestOptions,
  requestSignal,
  writeRequest,
} from "./runtime.ts";

// Loaded on first use, once (lazy-module.ts): the group's methods call these every time.
const loadCampaignsOperations = lazyModule(() => import("../campaigns/operations.ts"));
const loadCoreInputFile = lazyModule(() => import("../core/input-file.ts"));
const loadCampaignsSpec = lazyModule(() => import("../campaigns/spec.ts"));
const loadCampaignsCreate = lazyModule(() => import("../campaigns/create.ts"));
const loadCampaignsTransition = lazyModule(() => import("../campaigns/transition.ts"));
const loadCampaignsCompareTenants = lazyModule(() => import("../campaigns/compare-tenants.ts"));
const loadCampaignsKnownCampaigns = lazyModule(() => import("../campaigns/known-campaigns.ts"));
const loadCampaignsWatchdogWatchdog = lazyModule(() => import("../campaigns/watchdog/watchdog.ts"));
const loadCampaignsComplianceDnc = lazyModule(() => import("../campaigns/compliance/blocked-numbers.ts"));
const loadCampaignsSegmentSegmentContacts = lazyModule(
  () => import("../campaigns/segment/segment-contacts.ts"),
);
const loadCampaignsWatchdogState = lazyModule(() => import("../campaigns/watchdog/state.ts"));
const loadDialerLivePacingLatest = lazyModule(() => import("../dialer/live-pacing/latest.ts"));
const loadCampaignsWebhook = lazyModule(() => import("../campaigns/webhook.ts"));
const loadCampaignsDiagnoseGather = lazyModule(() => import("../campaigns/diagnose/gather.ts"));
const loadCampaignsDiagnoseParams = lazyModule(() => import("../campaigns/diagnose/params.ts"));

// The workflows below are imported at first use, not with this file: every client (and so every
// `cxo` command that talks to CXone) builds this group, and most use one method of it, if any.
// The compliance engine, segmentation, the watchdog and the spec schema are ~60 modules.

export interface CampaignStatusReport {
  campaign: Omit<Campaign, "raw">;
  /**
   * The success-rate window; null when the platform refused the read (see `unavailable`).
   * `successRate` is null when no call is behind it (no completed call in the window).
   */
  metrics: (Omit<CampaignLiveMetrics, "successRate"> & { successRate: number | null }) | null;
  /**
   * Live figures (agents, active contacts, today's counts) under their names, with when they
   * were observed and where they came from; null when the platform had none for it.
   */
  live: SkillLiveSnapshot | null;
  /** Set when the campaign was created from this data dir. */
  known: KnownCampaign | null;
  /** Failover incidents it took part in, newest first. */
  incidents: Incident[];
  /** Figures the platform would not give (a read refused: 403, 404), each with why; [] when none. */
  unavailable: string[];
  /** The latest live-pacing (or budget-guard) decision `cxo serve` made for it; null when none. */
  pacing: PacingDecision | null;
}

/**
 * One campaign of `campaigns.list`: its id, name and status; a campaign created from this data
 * dir also carries what its spec said (`createdAt`, `specHash`, `contactListId`, `failover`).
 */
export type CampaignListItem = { id: string; name: string; status: string; createdAt?: string } & Partial<
  Omit<KnownCampaign, "id" | "name" | "createdAt">
>;

/** Which contacts of a list to judge, and how (`contacts` and `segment`). */
export interface ContactsQuery {
  /** The instant to judge (default now). */
  atMs?: number;
  /** Ask CXone for consenting contacts only (re-checked locally). */
  consentOnly?: boolean;
  /** The campaign dialling the list: its caps and attempt history apply. */
  campaignId?: string;
  campaignCaps?: CampaignCaps;
  /** Numbers to refuse besides the stored internal DNC list. */
  dnc?: ReadonlySet<string>;
  /** Contacts per request to CXone (default 1000). */
  pageSize?: number;
  /**
   * The kind the list is dialled as (issue 79: the rule table's kind-limited rows, the FDCPA
   * collector's exemptions). Default: the kind of the campaign, when this data dir created it.
   */
  kind?: "sales" | "collections";
}

/** `segment`'s params: the query, and where each judged contact goes. */
export interface SegmentParams extends ContactsQuery {
  /** Where each contact's row goes (see `contactWriter` for NDJSON/CSV). */
  sink: ContactSink;
  onProgress?: (done: number, callable: number) => void;
}

/** `create`'s params: the spec, and the contact list when the spec names none. */
export interface CreateCampaignParams {
  spec: CampaignSpecInput;
  /** The contact list to dial (overrides the spec's `contactListId`, which may be left out). */
  contactListId?: string;
}

/** `status`'s params. */
export interface CampaignStatusParams {
  /** The success-rate window, in minutes (default 30). */
  windowMinutes?: number;
}

/** `watch`'s params: the watchdog's config (the primary at least), and how it runs. */
export type WatchParams = Partial<WatchdogConfig> & {
  primary: string;
  /** `loop` (default): evaluates every interval until stopped; `manual`: when told to. */
  mode?: "loop" | "manual";
  /**
   * Judge the live figures too (default true; see `watch`); `false` judges the success rate
   * only. (`live` is the live rules' own config, as in WatchdogConfig.)
   */
  judgeLive?: boolean;
  /** Stops the watchdog (as its `stop()` does). */
  stopSignal?: AbortSignal;
};

/** A campaign's state and definition, as `campaigns.get` reads it. */
export type CampaignDetails = Omit<Campaign, "raw"> & { settings: Record<string, unknown> };

export interface CampaignsGroup {
  /**
   * Creates the campaign a spec describes, once: the same spec (same canonical hash) is never
   * created twice, across retries, restarts and runs. Spec problems are an InputError naming
   * the spec's field (`dialerConfig.abandonmentTarget`); nothing is sent. The idempotency key
   * defaults to one derived from the spec's hash; give your own to make creates from several
   * machines one intent.
   */
  create(params: CreateCampaignParams, options?: RequestOptions): Promise<CreateOutcome>;
  /**
   * Pauses a campaign once (retries never repeat it); already paused is success. Each call is a
   * new intent (a fresh key) unless `idempotencyKey` names one: the same key is the same pause.
   */
  pause(campaignId: string, options?: RequestOptions): Promise<SetStatusResult>;
  /** Resumes (activates) a campaign once; already active is success. Keys as for `pause`. */
  resume(campaignId: string, options?: RequestOptions): Promise<SetStatusResult>;
  /**
   * One campaign as the platform keeps it: its state and its definition (`settings`: every
   * setting the platform reports, calling rules included, with identifiers and timestamps left
   * out, so two campaigns can be compared setting by setting). An unknown id is a NotFoundError.
   */
  get(campaignId: string, options?: RequestOptions): Promise<CampaignDetails>;
  /** State, live metrics, local knowledge and failover incidents of one campaign. */
  status(
    campaignId: string,
    params?: CampaignStatusParams,
    options?: RequestOptions,
  ): Promise<CampaignStatusReport>;
  /**
   * Starts a failover watchdog (primary → backup). `config` fields not given come from the
   * primary's spec when it was created here, else from the defaults. Stop it with `stop()`.
   *
   * In loop mode it also reads the primary's live figures every interval (one live reading, see
   * `CxonePort.live`) and judges them by the live rules (`config.live`, defaults: no agent
   * logged in, no active contact while running, today's abandon rate above 5%, each 3 readings
   * in a row), as `cxo serve` does: those fail over in seconds, where the success rate lags by
   * up to 30 minutes on the production platform. `judgeLive: false` judges the success rate
   * only. The request options bound starting it (reading the primary's spec from the store);
   * `stopSignal` (or `stop()`) stops the watchdog itself, and so does the client's `close()`.
   */
  watch(
    params: WatchParams,
    options?: RequestOptions,
  ): Promise<Watchdog & { readonly config: WatchdogConfig }>;
  /**
   * The campaigns: on the production platform, the business unit's outbound Personal Connection
   * skills (each a campaign) with their status; on the seed platform, the campaigns created from
   * this data dir, each with its live status (`not-found`, `unknown`), read one at a time as the
   * loop gets to it:
   *
   * ```ts
   * for await (const campaign of cxo.campaigns.list()) console.log(campaign.id, campaign.status);
   * const first = await cxo.campaigns.list().toArray({ limit: 10 });
   * ```
   *
   * `deadlineMs` bounds the whole iteration from its start; `signal` stops it.
   */
  list(params?: NoParams, options?: RequestOptions): AsyncList<CampaignListItem>;
  /** Registers a receiver URL for campaign metrics and state-change events, once. */
  subscribe(
    options: { url: string; name?: string; secret?: string },
    request?: RequestOptions,
  ): Promise<EventSubscription>;
  /**
   * Every contact of a list with its calling verdict (judged as `segment` does), to iterate in
   * constant memory (one contact in hand at a time; the next page fetched as the loop gets to
   * it) or to collect with a cap:
   *
   * ```ts
   * for await (const contact of cxo.campaigns.contacts(listId, { consentOnly: true }))
   *   if (contact.allowed) dial(contact.phone);
   * const sample = await cxo.campaigns.contacts(listId).toArray({ limit: 50 });
   * ```
   *
   * Leaving the loop early stops the listing (nothing more is fetched). `deadlineMs` bounds the
   * whole iteration from its start; `signal` stops it.
   */
  contacts(listId: string, query?: ContactsQuery, options?: RequestOptions): AsyncList<SegmentedContact>;
  /**
   * Every contact of a list with its calling verdict, streamed into `params.sink` (e.g.
   * `contactWriter` for NDJSON/CSV), with the run's summary.
   */
  segment(listId: string, params: SegmentParams, options?: RequestOptions): Promise<SegmentSummary>;
  /**
   * Why the campaign is (not) dialing (issue 65), read-only: `dialing`, `dialableNow`, the causes
   * ranked by how much idleness each explains (stable codes, docs/campaigns.md), the forecast of
   * dialable records per 15-minute slot to the end of the next local day, and `runsDryAt`.
   * A bad `campaignId` or `at` (no offset, more than 24 h past) is an InputError with nothing
   * sent; an unknown campaign a NotFoundError; CXone unreachable or refusing is the answer, cause
   * `cxone_unreachable` with CXone's own words.
   */
  diagnose(params: DiagnoseParams, options?: RequestOptions): Promise<Diagnosis>;
}

/** What each campaigns method works with: the client's runtime, its campaigns port and store. */
interface CampaignsContext {
  runtime: ClientRuntime;
  port: ClientRuntime["port"]["campaigns"];
  /** The store, with the campaigns' pending journal rows re-driven first (once per client). */
  store: () => Promise<Store>;
}

/** The group: each method is one of the named functions below, over one shared context. */
export function campaignsGroup(runtime: ClientRuntime): CampaignsGroup {
  const port = runtime.port.campaigns;
  const store = async () =>
    runtime.storeFor("campaigns", (await loadCampaignsOperations()).campaignOperations(port));
  const ctx: CampaignsContext = { runtime, port, store };
  return {
    create: (params, options = {}) => inCall(options, () => create(ctx, params, options)),
    pause: (campaignId, options) => setStatus(ctx, campaignId, "paused", options),
    resume: (campaignId, options) => setStatus(ctx, campaignId, "active", options),
    get: (campaignId, options) =>
      inCall(options, () => get(ctx, idOf(campaignId, "campaignId"), options ?? {})),
    status: (campaignId, params, options) =>
      inCall(options, () => status(ctx, idOf(campaignId, "campaignId"), paramsOf(params), options ?? {})),
    list: (_params, options) => list(ctx, options ?? {}),
    subscribe: (options, request) =>
      inCall(request, () => subscribe(ctx, paramsOf(options, "options") as { url: string }, request)),
    watch: (params, options = {}) => inCall(options, () => watch(ctx, params, options)),
    contacts: (listId, query, options) => contacts(ctx, listId, query, options),
    segment: (listId, params, options) => segment(ctx, listId, params, options),
    diagnose: (params, options) => inCall(options, () => diagnose(ctx, params, options ?? {})),
  };
}

async function create(ctx: CampaignsContext, params: CreateCampaignParams, options: RequestOptions) {
  if (typeof params !== "object" || params === null || !("spec" in params))
    throw new InputError({ field: "spec", rule: "is required: create({ spec, contactListId? })" });
  const { spec, contactListId } = params;
  const [{ parseInput }, { campaignSpecSchema, resolveContactList }, { createCampaign }] = await Promise.all([
    loadCoreInputFile(),
    loadCampaignsSpec(),
    loadCampaignsCreate(),
  ]);
  const parsed = parseInput(spec, campaignSpecSchema);
  const resolved = resolveContactList(parsed, contactListId);
  if ("problem" in resolved) throw new InputError(resolved.problem);
  const request = writeRequest(options);
  return createCampaign(ctx.port, await ctx.store(), resolved, request);
}

async function diagnose(ctx: CampaignsContext, params: DiagnoseParams, options: RequestOptions) {
  const [{ checkDiagnoseParams }, { diagnoseCampaign }] = await Promise.all([
    loadCampaignsDiagnoseParams(),
    loadCampaignsDiagnoseGather(),
  ]);
  const { campaignId, atMs } = checkDiagnoseParams(params, Date.now());
  ctx.runtime.port.support.checkId?.("campaign", campaignId, "campaignId");
  const signal = requestSignal(options);
  const { PACING_LATEST } = await loadDialerLivePacingLatest();
  const pacing = (await (await ctx.store()).kv.get<PacingDecision>(PACING_LATEST, campaignId)) ?? null;
  const { planFedListIds } = await import("../strategy/push-operations.ts");
  const planFed = await planFedListIds(await ctx.store());
  const engine = await ctx.runtime.complianceEngine();
  const diagnosis = await named("campaign", campaignId, () =>
    diagnoseCampaign(ctx.runtime.port, engine, campaignId, atMs, pacing, signal, planFed),
  );
  const { withCallbacksToRevoked } = await import("./revoked-callbacks.ts");
  const withCallbacks = await withCallbacksToRevoked(ctx.runtime, diagnosis, signal);
  const { skillDriftCause } = await import("./strategy-watch.ts");
  const drift = await skillDriftCause(ctx.runtime, campaignId, signal);
  if (!drift) return withCallbacks;
  // First: CXone may be dialling what the plan did not count, whatever else holds records back.
  return {
    ...withCallbacks,
    causes: [drift, ...withCallbacks.causes],
    summary: `${drift.evidence}: ${drift.fix}`,
  };
}

/** `pause` and `resume`: one status change, once. */
function setStatus(
  ctx: CampaignsContext,
  campaignId: string,
  target: "paused" | "active",
  options?: RequestOptions,
): Promise<SetStatusResult> {
  return inCall(options, async () => {
    const request = writeRequest(options);
    idOf(campaignId, "campaignId");
    const { changeCampaignStatus } = await loadCampaignsTransition();
    // An unknown campaign is CXone's NotFoundError, as for every call (the CLI exits 2).
    const s = await ctx.store();
    return named("campaign", campaignId, () =>
      changeCampaignStatus(ctx.port, s, campaignId, target, request),
    );
  });
}

async function get(ctx: CampaignsContext, id: string, options: RequestOptions): Promise<CampaignDetails> {
  const { raw, ...campaign } = await named("campaign", id, () => ctx.port.get(id, requestSignal(options)));
  const { comparableSettings } = await loadCampaignsCompareTenants();
  return { ...campaign, settings: comparableSettings(raw) };
}

/** `contacts`: `segment` with a sink that hands each contact to the loop, when it asks for it. */
function contacts(
  ctx: CampaignsContext,
  listId: string,
  query: ContactsQuery | undefined,
  options: RequestOptions | undefined,
): AsyncList<SegmentedContact> {
  return new ItemList<SegmentedContact>(() =>
    // Bad options are an InputError from the loop (segment checks them before anything is sent).
    pushedItems<SegmentedContact>((push, signal) =>
      // A pushed contact resolves when the loop asks for the next: the listing never runs ahead.
      segment(
        ctx,
        listId,
        { ...paramsOf(query, "query"), sink: { write: push, end: async () => {} } },
        {
          ...optionsOf(options),
          signal: options?.signal ? AbortSignal.any([options.signal, signal]) : signal,
        },
      ),
    ),
  );
}

async function watch(ctx: CampaignsContext, params: WatchParams, options: RequestOptions) {
  const { runtime, port } = ctx;
  if (typeof params !== "object" || params === null)
    throw new InputError({ field: "primary", rule: "is required (the campaign to watch)" });
  const { mode, judgeLive, stopSignal, ...config } = params;
  const signal = requestSignal(options);
  idOf(config.primary, "primary");
  const [{ parseInput }, { findKnownCampaign }, { startWatchdog, WATCHDOG_DEFAULTS, watchdogConfigSchema }] =
    await Promise.all([loadCoreInputFile(), loadCampaignsKnownCampaigns(), loadCampaignsWatchdogWatchdog()]);
  const s = await ctx.store();
  signal?.throwIfAborted();
  const spec = (await findKnownCampaign(s, config.primary))?.failover ?? undefined;
  signal?.throwIfAborted();
  if (config.backup === undefined && spec?.backupCampaignId === undefined)
    throw new InputError({
      field: "backup",
      rule: "is required (or create the primary from a spec with failover.backupCampaignId)",
    });
  const merged = {
    ...WATCHDOG_DEFAULTS,
    ...(spec?.backupCampaignId ? { backup: spec.backupCampaignId } : {}),
    ...(spec?.threshold === undefined ? {} : { threshold: spec.threshold }),
    ...(spec?.windowMinutes === undefined ? {} : { windowMinutes: spec.windowMinutes }),
    ...(spec?.minSample === undefined ? {} : { minSample: spec.minSample }),
    ...(spec?.breaches === undefined ? {} : { breaches: spec.breaches }),
    ...Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)),
  };
  const checked = parseInput(merged, watchdogConfigSchema);
  const watchdog = startWatchdog({
    client: port,
    store: s,
    config: checked,
    ...(runtime.logger ? { logger: runtime.logger } : {}),
    ...(stopSignal ? { signal: stopSignal } : {}),
    mode: mode ?? "loop",
    ...(judgeLive === false ? {} : { live: runtime.port.live }),
  });
  // The client's close() stops it, as its own stop() does.
  return runtime.adopt(Object.assign(watchdog, { config: checked }));
}

function segment(
  ctx: CampaignsContext,
  listId: string,
  params: SegmentParams,
  options: RequestOptions = {},
): Promise<SegmentSummary> {
  const { runtime, port } = ctx;
  return inCall(options, async () => {
    const signal = requestSignal(options);
    idOf(listId, "listId");
    if (typeof params !== "object" || params === null || typeof params.sink?.write !== "function")
      throw new InputError({ field: "sink", rule: "is required: an object with write(contact) and end()" });
    if (params.kind !== undefined && params.kind !== "sales" && params.kind !== "collections")
      throw new InputError({ field: "kind", rule: "must be sales or collections" });
    const [{ loadDncList }, { segmentContacts }] = await Promise.all([
      loadCampaignsComplianceDnc(),
      loadCampaignsSegmentSegmentContacts(),
    ]);
    const s = await ctx.store();
    // Agents' "Do Not Call" in CXone since the last read, first (issue 77 §3).
    const { freshDispositions } = await import("./fresh-dispositions.ts");
    await freshDispositions(runtime, signal);
    // Many numbers: a stale or missing copy of the CXone DNC groups is synced first (issue 62).
    const { ensureFreshCxoneDnc } = await import("../campaigns/compliance/cxone-dnc-freshness.ts");
    const fresh = await ensureFreshCxoneDnc(s, runtime.port, {
      nowMs: Date.now(),
      maxAgeMinutes: runtime.cxoneDncMaxAgeMinutes,
      actor: runtime.actor,
      ...(signal ? { signal } : {}),
    });
    const dnc = await loadDncList(s, params.dnc ?? []);
    // The caller's kind, else the campaign's own (its spec's, else the one a plan or push declared).
    const { judgedKind } = await import("../campaigns/known-campaigns.ts");
    const kind = await judgedKind(s, params.kind, params.campaignId);
    // CXone's dials on the lists cxo pushed and the skills' completed contacts, read once.
    const { platformCallsOf } = await import("./platform-calls.ts");
    const { ATTEMPT_LOOKBACK_MS } = await import("../campaigns/compliance/attempts.ts");
    const atMs = params.atMs ?? Date.now();
    const platformCalls = await platformCallsOf(runtime, {
      skills: params.campaignId === undefined ? [] : [params.campaignId],
      window: { fromMs: atMs - ATTEMPT_LOOKBACK_MS, toMs: atMs },
      signal,
    });
    const summary = await segmentContacts({
      engine: await runtime.complianceEngine(),
      client: { campaigns: port },
      store: s,
      listId,
      atMs,
      consentOnly: params.consentOnly === true,
      dnc,
      campaignCaps: params.campaignCaps,
      campaignId: params.campaignId,
      pageSize: params.pageSize,
      sink: params.sink,
      onProgress: params.onProgress,
      signal,
      registries: await runtime.dncRegistries(),
      ...(runtime.rnd ? { screenPage: await rndPageScreen(runtime, options) } : {}),
      kind,
      seller: runtime.consent.seller ?? runtime.tenant,
      registrations: runtime.registrations,
      platformCalls,
    });
    if (!fresh) return summary;
    const { sync: _sync, ...cxoneDnc } = fresh;
    return { ...summary, cxoneDnc };
  });
}

/**
 * Issue 79 §3: with `rnd` settings, each page's numbers with consent days are asked of the
 * Reassigned Numbers Database (answers kept as evidence; fresh ones reused) before the page is
 * judged, and a number reassigned since its consent is refused (`rnd_reassigned`).
 */
async function rndPageScreen(
  runtime: CampaignsContext["runtime"],
  options: RequestOptions,
): Promise<NonNullable<import("../campaigns/segment/segment-contacts.ts").SegmentRequest["screenPage"]>> {
  const [{ rndGroup }, { withRndRefusals }, { consentDateOf }] = await Promise.all([
    import("./rnd.ts"),
    import("../campaigns/compliance/rnd/rnd-suppressions.ts"),
    import("../campaigns/compliance/rnd/consent-date.ts"),
  ]);
  const rnd = rndGroup(runtime);
  return async (questions, dnc) => {
    const nowMs = Date.now();
    // A day the list holds that is no valid past date is left unasked (the list's data, not the caller's input).
    const numbers = questions.flatMap((q) => {
      const day = consentDateOf(q.consentDate, nowMs);
      return day ? [{ phone: q.phone, consentDate: day }] : [];
    });
    if (numbers.length === 0) return dnc;
    return withRndRefusals(dnc, (await rnd.check({ numbers }, options)).verdicts);
  };
}

async function status(
  ctx: CampaignsContext,
  campaignId: string,
  params: CampaignStatusParams,
  options: RequestOptions,
) {
  const { runtime, port } = ctx;
  const signal = requestSignal(options);
  // An unknown campaign is CXone's NotFoundError, as for every call (the CLI exits 2).
  const campaign: Campaign = await named("campaign", campaignId, () => port.get(campaignId, signal));
  // Optional reads: one the role or tenant refuses leaves the others and says what is missing.
  const unavailable: string[] = [];
  const optional = <T>(what: string, read: Promise<T>): Promise<T | null> =>
    read.catch((error: unknown) => {
      if (!(error instanceof ScopeError || error instanceof NotFoundError)) throw error;
      unavailable.push(`${what}: ${error.message}`);
      return null;
    });
  const [measured, reading] = await Promise.all([
    optional("success rate", port.metrics(campaignId, params.windowMinutes ?? 30, signal)),
    optional("live figures", runtime.port.live.read([campaignId], signal)),
  ]);
  unavailable.push(...(reading?.unavailable ?? []));
  const live = reading?.snapshots.find((snapshot) => snapshot.campaignId === campaignId) ?? null;
  const metrics = measured && {
    ...measured,
    successRate: measured.callsInWindow === 0 ? null : measured.successRate,
  };
  const [{ findKnownCampaign }, { readIncidents }] = await Promise.all([
    loadCampaignsKnownCampaigns(),
    loadCampaignsWatchdogState(),
  ]);
  const s = await ctx.store();
  const known = (await findKnownCampaign(s, campaignId)) ?? null;
  const incidents = (await readIncidents(s)).filter(
    (incident) => incident.primary === campaignId || incident.backup === campaignId,
  );
  const { raw: _raw, ...summary } = campaign;
  const { PACING_LATEST } = await loadDialerLivePacingLatest();
  const decided = (await s.kv.get<PacingDecision>(PACING_LATEST, campaignId)) ?? null;
  // The ratio in force is the one the platform reports now, not the one the loop remembers.
  const inForce = measured?.dialer?.dialRatio;
  const pacing =
    decided && decided.mode === "auto" && inForce !== undefined
      ? { ...decided, ratio: inForce, ratioReadAt: new Date().toISOString() }
      : decided;
  return { campaign: summary, metrics, live, known, incidents, unavailable, pacing };
}

/** The known campaigns, each read live as the loop gets to it. */
function list(ctx: CampaignsContext, options: RequestOptions): AsyncList<CampaignListItem> {
  const { port } = ctx;
  return new ItemList(async function* () {
    // Checked when the iteration starts (an InputError from the loop; nothing sent); the
    // deadline runs from there.
    const signal = requestSignal(options);
    // A platform that lists its tenant's campaigns (production: the outbound skills) does so.
    const tenant = port.listTenant?.bind(port);
    if (tenant) {
      yield* await inCall(options, async () => {
        const all: CampaignListItem[] = [];
        for await (const campaign of tenant(signal))
          all.push({
            id: campaign.id,
            name: campaign.name,
            status: campaign.status,
            ...(campaign.createdAt ? { createdAt: campaign.createdAt } : {}),
          });
        return all;
      });
      return;
    }
    const { listKnownCampaigns } = await loadCampaignsKnownCampaigns();
    for (const campaign of await listKnownCampaigns(await ctx.store())) {
      signal?.throwIfAborted();
      const status = await inCall(options, () => port.get(campaign.id, signal)).then(
        (live) => live.status as string,
        (error: unknown) => {
          if (signal?.aborted) throw signal.reason;
          return error instanceof NotFoundError ? "not-found" : "unknown";
        },
      );
      yield { ...campaign, status };
    }
  });
}

async function subscribe(
  ctx: CampaignsContext,
  options: { url: string; name?: string; secret?: string },
  request: RequestOptions | undefined,
) {
  const [{ parseInput }, { registerWebhook, webhookOptionsSchema }] = await Promise.all([
    loadCoreInputFile(),
    loadCampaignsWebhook(),
  ]);
  const checked: WebhookOptions = parseInput(
    { name: "cxo campaign events", ...options },
    webhookOptionsSchema,
  );
  return registerWebhook(ctx.port, await ctx.store(), checked, requestSignal(request));
}
