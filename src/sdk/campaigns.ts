import type { CampaignCaps } from "../campaigns/compliance/evaluate.ts";
import { combinedDnc, storedDncNumbers } from "../campaigns/compliance/index.ts";
import { type CreateOutcome, createCampaign } from "../campaigns/create.ts";
import { findKnownCampaign, type KnownCampaign, listKnownCampaigns } from "../campaigns/known-campaigns.ts";
import { campaignOperations } from "../campaigns/operations.ts";
import type { ContactSink } from "../campaigns/segment/contact-writer.ts";
import { segmentContacts } from "../campaigns/segment/segment-contacts.ts";
import type { SegmentSummary } from "../campaigns/segment/summary.ts";
import { type CampaignSpec, campaignSpecSchema, resolveContactList } from "../campaigns/spec.ts";
import { changeCampaignStatus, type SetStatusResult } from "../campaigns/transition.ts";
import { type Incident, readIncidents } from "../campaigns/watchdog/state.ts";
import {
  startWatchdog,
  WATCHDOG_DEFAULTS,
  type Watchdog,
  type WatchdogConfig,
  watchdogConfigSchema,
} from "../campaigns/watchdog/watchdog.ts";
import { registerWebhook, type WebhookOptions, webhookOptionsSchema } from "../campaigns/webhook.ts";
import { NotFoundError } from "../core/http/errors.ts";
import { InputError } from "../core/input-error.ts";
import { parseInput } from "../core/input-file.ts";
import type { Campaign, CampaignLiveMetrics, EventSubscription } from "../platform/types.ts";
import {
  type ClientRuntime,
  type RequestOptions,
  requestSignal,
  type WriteOptions,
  writeRequest,
} from "./runtime.ts";

export interface CampaignStatusReport {
  campaign: Omit<Campaign, "raw">;
  metrics: CampaignLiveMetrics;
  /** Set when the campaign was created from this data dir. */
  known: KnownCampaign | null;
  /** Failover incidents it took part in, newest first. */
  incidents: Incident[];
}

export interface ContactsOptions {
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
  signal?: AbortSignal;
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
   */
  watch(
    config: Partial<WatchdogConfig> & { primary: string },
    options?: { mode?: "loop" | "manual"; signal?: AbortSignal },
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
  const store = () => runtime.storeFor("campaigns", campaignOperations(port));
  const setStatus = async (campaignId: string, target: "paused" | "active", options?: WriteOptions) => {
    const request = writeRequest(options);
    return changeCampaignStatus(port, await store(), campaignId, target, request);
  };

  return {
    async create(spec, options = {}) {
      const parsed = parseInput(spec, campaignSpecSchema);
      const resolved = resolveContactList(parsed, options.contactListId);
      if ("problem" in resolved) throw new InputError(resolved.problem);
      const request = writeRequest(options);
      return createCampaign(port, await store(), resolved, request);
    },

    pause: (campaignId, options) => setStatus(campaignId, "paused", options),
    resume: (campaignId, options) => setStatus(campaignId, "active", options),

    async status(campaignId, options = {}) {
      const signal = requestSignal(options);
      let campaign: Campaign;
      try {
        campaign = await port.get(campaignId, signal);
      } catch (error) {
        if (error instanceof NotFoundError)
          throw new InputError({ field: "campaignId", rule: `campaign ${campaignId} does not exist` });
        throw error;
      }
      const metrics = await port.metrics(campaignId, options.windowMinutes ?? 30, signal);
      const s = await store();
      const known = (await findKnownCampaign(s, campaignId)) ?? null;
      const incidents = (await readIncidents(s)).filter(
        (incident) => incident.primary === campaignId || incident.backup === campaignId,
      );
      const { raw: _raw, ...summary } = campaign;
      return { campaign: summary, metrics, known, incidents };
    },

    async list(options) {
      const signal = requestSignal(options);
      const rows: Array<KnownCampaign & { status: string }> = [];
      for (const campaign of await listKnownCampaigns(await store())) {
        signal?.throwIfAborted();
        const status = await port.get(campaign.id, signal).then(
          (live) => live.status as string,
          (error: unknown) => (error instanceof NotFoundError ? "not-found" : "unknown"),
        );
        rows.push({ ...campaign, status });
      }
      return rows;
    },

    async subscribe(options, request) {
      const checked: WebhookOptions = parseInput(
        { name: "cxo campaign events", ...options },
        webhookOptionsSchema,
      );
      return registerWebhook(port, await store(), checked, requestSignal(request));
    },

    async watch(config, options = {}) {
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
      });
      return Object.assign(watchdog, { config: checked });
    },

    async contacts(listId, options) {
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
        signal: options.signal,
        registries: await runtime.dncRegistries(),
      });
    },
  };
}
