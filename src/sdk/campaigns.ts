import type { CreateOutcome } from "../campaigns/create.ts";
import type { Diagnosis } from "../campaigns/diagnose/facts.ts";
import type { DiagnoseParams } from "../campaigns/diagnose/params.ts";
import type { CampaignDetails, CreateCampaignParams } from "../campaigns/of-client.ts";
import type { ContactsQuery, SegmentParams } from "../campaigns/segment/of-client.ts";
import type { SegmentedContact } from "../campaigns/segment/segmented-contact.ts";
import type { SegmentSummary } from "../campaigns/segment/summary.ts";
import type { CampaignListItem, CampaignStatusReport } from "../campaigns/status.ts";
import type { SetStatusResult } from "../campaigns/transition.ts";
import type { WatchParams } from "../campaigns/watchdog/of-client.ts";
import type { Watchdog, WatchdogConfig } from "../campaigns/watchdog/watchdog.ts";
import type { AsyncList } from "../core/http/pagination.ts";
import { lazyModule } from "../core/lazy-module.ts";
import { pushedItems } from "../core/pushed-items.ts";
import type { EventSubscription } from "../platform/types.ts";
import type { NoParams } from "./access.ts";
import { runCall, runItems } from "./call.ts";
import { type ClientRuntime, idOf, paramsOf, type RequestOptions } from "./runtime.ts";

export type {
  CampaignDetails,
  CampaignListItem,
  CampaignStatusReport,
  ContactsQuery,
  CreateCampaignParams,
  SegmentParams,
  WatchParams,
};

// The workflows are imported at first use, not with this file: every client (and so every `cxo`
// command that talks to CXone) builds this group, and most use one method of it, if any (the
// compliance engine, segmentation, the watchdog and the spec schema are ~60 modules). Create,
// pause, resume, get and subscribe are one module, loaded once (lazy-module.ts) with the journal
// operations the store re-drives, which import those writes anyway.
const loadCampaigns = lazyModule(() => import("../campaigns/of-client.ts"));

/** `status`'s params. */
export interface CampaignStatusParams {
  /** The success-rate window, in minutes (default 30). */
  windowMinutes?: number;
}

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
   * Why the campaign is (not) dialing, read-only: `dialing`, `dialableNow`, the causes
   * ranked by how much idleness each explains (stable codes, docs/campaigns.md), the forecast of
   * dialable records per 15-minute slot to the end of the next local day, and `runsDryAt`.
   * A bad `campaignId` or `at` (no offset, more than 24 h past) is an InputError with nothing
   * sent; an unknown campaign a NotFoundError; CXone unreachable or refusing is the answer, cause
   * `cxone_unreachable` with CXone's own words.
   */
  diagnose(params: DiagnoseParams, options?: RequestOptions): Promise<Diagnosis>;
}

/** The group: each method adapts its options to a workflow (campaigns/…), over one store. */
export function campaignsGroup(runtime: ClientRuntime): CampaignsGroup {
  const port = runtime.port.campaigns;
  const store = async () => runtime.storeFor("campaigns", (await loadCampaigns()).campaignOperations(port));
  const ctx = { port, store };
  /** `pause` and `resume`: the id checked (nothing sent when it is bad), then one change, once. */
  const setStatus = (campaignId: string, target: "paused" | "active", options: RequestOptions | undefined) =>
    runCall(
      runtime,
      options,
      async (_signal, call) => {
        idOf(campaignId, "campaignId");
        return (await loadCampaigns()).setStatusOfClient(ctx, campaignId, target, call);
      },
      { keyed: true },
    );
  return {
    create: (params, options) =>
      runCall(
        runtime,
        options,
        async (_signal, call) => (await loadCampaigns()).createOfClient(ctx, params, call),
        { keyed: true },
      ),
    pause: (campaignId, options) => setStatus(campaignId, "paused", options),
    resume: (campaignId, options) => setStatus(campaignId, "active", options),
    get: (campaignId, options) =>
      runCall(runtime, options, async (signal) => {
        const id = idOf(campaignId, "campaignId");
        return (await loadCampaigns()).getOfClient(ctx, id, signal);
      }),
    status: (campaignId, params, options) =>
      runCall(runtime, options, async (signal) =>
        (await import("../campaigns/status.ts")).campaignStatusOf(
          runtime,
          store,
          idOf(campaignId, "campaignId"),
          paramsOf(params),
          signal,
        ),
      ),
    list: (_params, options) =>
      runItems(runtime, options, async function* (signal) {
        const { campaignsWithStatus } = await import("../campaigns/status.ts");
        yield* campaignsWithStatus(runtime, store, signal);
      }),
    subscribe: (options, request) =>
      runCall(runtime, request, async (signal) => {
        const checked = paramsOf(options, "options") as { url: string };
        return (await loadCampaigns()).subscribeOfClient(ctx, checked, signal);
      }),
    watch: (params, options) =>
      runCall(runtime, options, async (signal) => {
        const { startWatchOf } = await import("../campaigns/watchdog/of-client.ts");
        // The client's close() stops it, as its own stop() does.
        return runtime.adopt(await startWatchOf(runtime, store, params, signal));
      }),
    contacts: (listId, query, options) =>
      runItems(runtime, options, (signal) =>
        // A pushed contact resolves when the loop asks for the next: the listing never runs ahead.
        pushedItems<SegmentedContact>(async (push, producing) => {
          const sink = { write: push, end: async () => {} };
          const { segmentOfClient } = await import("../campaigns/segment/of-client.ts");
          return segmentOfClient(runtime, store, listId, { ...paramsOf(query, "query"), sink }, producing);
        }, signal),
      ),
    segment: (listId, params, options) =>
      runCall(runtime, options, async (signal) =>
        (await import("../campaigns/segment/of-client.ts")).segmentOfClient(
          runtime,
          store,
          listId,
          params,
          signal,
        ),
      ),
    diagnose: (params, options) =>
      runCall(runtime, options, async (signal) =>
        (await import("./campaigns-diagnose.ts")).diagnoseOfClient(runtime, store, params, signal),
      ),
  };
}
