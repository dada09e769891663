import type { CampaignCaps } from "../campaigns/compliance/evaluate.ts";
import type { CreateOutcome } from "../campaigns/create.ts";
import type { KnownCampaign } from "../campaigns/known-campaigns.ts";
import type { ContactSink } from "../campaigns/segment/contact-writer.ts";
import type { SegmentSummary } from "../campaigns/segment/summary.ts";
import type { CampaignSpec } from "../campaigns/spec.ts";
import type { SetStatusResult } from "../campaigns/transition.ts";
import type { Incident } from "../campaigns/watchdog/state.ts";
import type { Watchdog, WatchdogConfig } from "../campaigns/watchdog/watchdog.ts";
import type { WebhookOptions } from "../campaigns/webhook.ts";
import { NotFoundError, ScopeError } from "../core/http/errors.ts";
import { InputError } from "../core/input-error.ts";
import type { PacingDecision } from "../dialer/live-pacing/latest.ts";
import type { SkillLiveSnapshot } from "../platform/ports/live.ts";
import type { Campaign, CampaignLiveMetrics, EventSubscription } from "../platform/types.ts";
import {
  type ClientRuntime,
  inCall,
  type RequestOptions,
  requestSignal,
  type WriteOptions,
  writeRequest,
} from "./runtime.ts";

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

export interface ContactsOptions extends RequestOptions {
  /** Where each contact's row goes (see `contactWriter` for NDJSON/CSV). */
  sink: ContactSink;
  /** The instant to judge (default now). */
  atMs?: number;
  /** Ask CXone for consenting contacts only (re-checked locally). */
  consentOnly?: boolean;
  /** The campaign dialling the list: its caps and attempt history apply. */
  campaignId?: string;
  campaignCaps?: CampaignCaps;
  /** Numbers to refuse besides the stored internal DNC list. */
  dnc?: ReadonlySet<string>;
  pageSize?: number;
  onProgress?: (done: number, callable: number) => void;
}

export interface CampaignsGroup {
  /**
   * Creates the campaign a spec describes, once: the same spec (same canonical hash) is never
   * created twice, across retries, restarts and runs. Spec problems are an InputError naming
   * the spec's field (`dialerConfig.abandonmentTarget`); nothing is sent. The idempotency key
   * defaults to one derived from the spec's hash; give your own to make creates from several
   * machines one intent.
   */
  create(
    spec: CampaignSpec | Record<string, unknown>,
    options?: { contactListId?: string } & WriteOptions,
  ): Promise<CreateOutcome>;
  /**
   * Pauses a campaign once (retries never repeat it); already paused is success. Each call is a
   * new intent (a fresh key) unless `idempotencyKey` names one: the same key is the same pause.
   */
  pause(campaignId: string, options?: WriteOptions): Promise<SetStatusResult>;
  /** Resumes (activates) a campaign once; already active is success. Keys as for `pause`. */
  resume(campaignId: string, options?: WriteOptions): Promise<SetStatusResult>;
  /** State, live metrics, local knowledge and failover incidents of one campaign. */
  status(
    campaignId: string,
    options?: { windowMinutes?: number } & RequestOptions,
  ): Promise<CampaignStatusReport>;
  /**
   * Starts a failover watchdog (primary → backup). `config` fields not given come from the
   * primary's spec when it was created here, else from the defaults. Stop it with `stop()`.
   *
   * In loop mode it also reads the primary's live figures every interval (one live reading, see
   * `CxonePort.live`) and judges them by the live rules (`config.live`, defaults: no agent
   * logged in, no active contact while running, today's abandon rate above 5%, each 3 readings
   * in a row), as `cxo serve` does: those fail over in seconds, where the success rate lags by
   * up to 30 minutes on the production platform. `live: false` judges the success rate only.
   */
  watch(
    config: Partial<WatchdogConfig> & { primary: string },
    options?: { mode?: "loop" | "manual"; signal?: AbortSignal; live?: boolean },
  ): Promise<Watchdog & { readonly config: WatchdogConfig }>;
  /** The campaigns created from this data dir, with their live status (`not-found`, `unknown`). */
  list(options?: RequestOptions): Promise<Array<KnownCampaign & { status: string }>>;
  /** Registers a receiver URL for campaign metrics and state-change events, once. */
  subscribe(
    options: { url: string; name?: string; secret?: string },
    request?: RequestOptions,
  ): Promise<EventSubscription>;
  /** Every contact of a list with its calling verdict, streamed into `options.sink`. */
  contacts(listId: string, options: ContactsOptions): Promise<SegmentSummary>;
}

export function campaignsGroup(runtime: ClientRuntime): CampaignsGroup {
  const port = runtime.port.campaigns;
  const store = async () =>
    runtime.storeFor("campaigns", (await import("../campaigns/operations.ts")).campaignOperations(port));
  const setStatus = (campaignId: string, target: "paused" | "active", options?: WriteOptions) =>
    inCall(options, async () => {
      const request = writeRequest(options);
      const { changeCampaignStatus } = await import("../campaigns/transition.ts");
      try {
        return await changeCampaignStatus(port, await store(), campaignId, target, request);
      } catch (error) {
        // An unknown campaign is bad input, as for every other command (exit 2).
        if (error instanceof NotFoundError)
          throw new InputError({ field: "campaignId", rule: `campaign ${campaignId} does not exist` });
        throw error;
      }
    });

  return {
    create: (spec, options = {}) =>
      inCall(options, async () => {
        const [{ parseInput }, { campaignSpecSchema, resolveContactList }, { createCampaign }] =
          await Promise.all([
            import("../core/input-file.ts"),
            import("../campaigns/spec.ts"),
            import("../campaigns/create.ts"),
          ]);
        const parsed = parseInput(spec, campaignSpecSchema);
        const resolved = resolveContactList(parsed, options.contactListId);
        if ("problem" in resolved) throw new InputError(resolved.problem);
        const request = writeRequest(options);
        return createCampaign(port, await store(), resolved, request);
      }),

    pause: (campaignId, options) => setStatus(campaignId, "paused", options),
    resume: (campaignId, options) => setStatus(campaignId, "active", options),

    status: (campaignId, options = {}) => inCall(options, () => status(campaignId, options)),
    list: (options) => inCall(options, () => list(options)),
    subscribe: (options, request) => inCall(request, () => subscribe(options, request)),

    async watch(config, options = {}) {
      const [
        { parseInput },
        { findKnownCampaign },
        { startWatchdog, WATCHDOG_DEFAULTS, watchdogConfigSchema },
      ] = await Promise.all([
        import("../core/input-file.ts"),
        import("../campaigns/known-campaigns.ts"),
        import("../campaigns/watchdog/watchdog.ts"),
      ]);
      const s = await store();
      const spec = (await findKnownCampaign(s, config.primary))?.failover ?? undefined;
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
        ...(options.signal ? { signal: options.signal } : {}),
        mode: options.mode ?? "loop",
        ...(options.live === false ? {} : { live: runtime.port.live }),
      });
      return Object.assign(watchdog, { config: checked });
    },

    contacts: (listId, options) =>
      inCall(options, async () => {
        const signal = requestSignal(options);
        const [{ combinedDnc, storedDncNumbers }, { segmentContacts }] = await Promise.all([
          import("../campaigns/compliance/dnc.ts"),
          import("../campaigns/segment/segment-contacts.ts"),
        ]);
        const s = await store();
        const dnc = combinedDnc(new Set(options.dnc ?? []), await storedDncNumbers(s));
        return segmentContacts({
          client: { campaigns: port },
          store: s,
          listId,
          atMs: options.atMs ?? Date.now(),
          consentOnly: options.consentOnly === true,
          dnc,
          campaignCaps: options.campaignCaps,
          campaignId: options.campaignId,
          pageSize: options.pageSize,
          sink: options.sink,
          onProgress: options.onProgress,
          signal,
          registries: await runtime.dncRegistries(),
        });
      }),
  };

  async function status(campaignId: string, options: { windowMinutes?: number } & RequestOptions) {
    const signal = requestSignal(options);
    let campaign: Campaign;
    try {
      campaign = await port.get(campaignId, signal);
    } catch (error) {
      if (error instanceof NotFoundError)
        throw new InputError({ field: "campaignId", rule: `campaign ${campaignId} does not exist` });
      throw error;
    }
    // Optional reads: one the role or tenant refuses leaves the others and says what is missing.
    const unavailable: string[] = [];
    const optional = <T>(what: string, read: Promise<T>): Promise<T | null> =>
      read.catch((error: unknown) => {
        if (!(error instanceof ScopeError || error instanceof NotFoundError)) throw error;
        unavailable.push(`${what}: ${error.message}`);
        return null;
      });
    const [measured, reading] = await Promise.all([
      optional("success rate", port.metrics(campaignId, options.windowMinutes ?? 30, signal)),
      optional("live figures", runtime.port.live.read([campaignId], signal)),
    ]);
    unavailable.push(...(reading?.unavailable ?? []));
    const live = reading?.snapshots.find((snapshot) => snapshot.campaignId === campaignId) ?? null;
    const metrics = measured && {
      ...measured,
      successRate: measured.callsInWindow === 0 ? null : measured.successRate,
    };
    const [{ findKnownCampaign }, { readIncidents }] = await Promise.all([
      import("../campaigns/known-campaigns.ts"),
      import("../campaigns/watchdog/state.ts"),
    ]);
    const s = await store();
    const known = (await findKnownCampaign(s, campaignId)) ?? null;
    const incidents = (await readIncidents(s)).filter(
      (incident) => incident.primary === campaignId || incident.backup === campaignId,
    );
    const { raw: _raw, ...summary } = campaign;
    const { PACING_LATEST } = await import("../dialer/live-pacing/latest.ts");
    const pacing = (await s.kv.get<PacingDecision>(PACING_LATEST, campaignId)) ?? null;
    return { campaign: summary, metrics, live, known, incidents, unavailable, pacing };
  }

  async function list(options: RequestOptions | undefined) {
    const signal = requestSignal(options);
    const rows: Array<KnownCampaign & { status: string }> = [];
    const { listKnownCampaigns } = await import("../campaigns/known-campaigns.ts");
    for (const campaign of await listKnownCampaigns(await store())) {
      signal?.throwIfAborted();
      const status = await port.get(campaign.id, signal).then(
        (live) => live.status as string,
        (error: unknown) => (error instanceof NotFoundError ? "not-found" : "unknown"),
      );
      rows.push({ ...campaign, status });
    }
    return rows;
  }

  async function subscribe(
    options: { url: string; name?: string; secret?: string },
    request: RequestOptions | undefined,
  ) {
    const [{ parseInput }, { registerWebhook, webhookOptionsSchema }] = await Promise.all([
      import("../core/input-file.ts"),
      import("../campaigns/webhook.ts"),
    ]);
    const checked: WebhookOptions = parseInput(
      { name: "cxo campaign events", ...options },
      webhookOptionsSchema,
    );
    return registerWebhook(port, await store(), checked, requestSignal(request));
  }
}
