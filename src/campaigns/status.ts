import { clockNowDate } from "../core/clock/now.ts";
import { NotFoundError, ScopeError } from "../core/http/errors.ts";
import { named } from "../core/http/not-found.ts";
import type { Store } from "../core/store/index.ts";
import type { PacingDecision } from "../dialer/live-pacing/latest.ts";
import type { ClientContext } from "../platform/client-context.ts";
import type { SkillLiveSnapshot } from "../platform/ports/live.ts";
import type { Campaign, CampaignLiveMetrics } from "../platform/types.ts";
import type { KnownCampaign } from "./known-campaigns.ts";
import type { Incident } from "./watchdog/state.ts";
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
 * `campaigns.status`: state, live metrics, local knowledge and failover incidents of one campaign;
 * a read the role or tenant refuses leaves the others and says what is missing.
 */
export async function campaignStatusOf(
  client: ClientContext,
  store: () => Promise<Store>,
  campaignId: string,
  params: { windowMinutes?: number | undefined },
  signal: AbortSignal | undefined,
): Promise<CampaignStatusReport> {
  const port = client.port.campaigns;
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
    optional("live figures", client.port.live.read([campaignId], signal)),
  ]);
  unavailable.push(...(reading?.unavailable ?? []));
  const live = reading?.snapshots.find((snapshot) => snapshot.campaignId === campaignId) ?? null;
  const metrics = measured && {
    ...measured,
    successRate: measured.callsInWindow === 0 ? null : measured.successRate,
  };
  const [{ findKnownCampaign }, { readIncidents }, { PACING_LATEST }] = await Promise.all([
    import("./known-campaigns.ts"),
    import("./watchdog/state.ts"),
    import("../dialer/live-pacing/latest.ts"),
  ]);
  const s = await store();
  const known = (await findKnownCampaign(s, campaignId)) ?? null;
  const incidents = (await readIncidents(s)).filter(
    (incident) => incident.primary === campaignId || incident.backup === campaignId,
  );
  const { raw: _raw, ...summary } = campaign;
  const decided = (await s.kv.get<PacingDecision>(PACING_LATEST, campaignId)) ?? null;
  // The ratio in force is the one the platform reports now, not the one the loop remembers.
  const inForce = measured?.dialer?.dialRatio;
  const pacing =
    decided && decided.mode === "auto" && inForce !== undefined
      ? { ...decided, ratio: inForce, ratioReadAt: clockNowDate().toISOString() }
      : decided;
  return { campaign: summary, metrics, live, known, incidents, unavailable, pacing };
}

/**
 * One campaign of `campaigns.list`: its id, name and status; a campaign created from this data
 * dir also carries what its spec said (`createdAt`, `specHash`, `contactListId`, `failover`).
 */
export type CampaignListItem = { id: string; name: string; status: string; createdAt?: string } & Partial<
  Omit<KnownCampaign, "id" | "name" | "createdAt">
>;

/**
 * `campaigns.list`: the tenant's campaigns where the platform lists them, else the campaigns this
 * data dir created, each read live as the loop gets to it.
 */
export async function* campaignsWithStatus(
  client: ClientContext,
  store: () => Promise<Store>,
  signal: AbortSignal | undefined,
): AsyncGenerator<CampaignListItem> {
  const port = client.port.campaigns;
  // A platform that lists its tenant's campaigns (production: the outbound skills) does so.
  const tenant = port.listTenant?.bind(port);
  if (tenant) {
    const all: CampaignListItem[] = [];
    for await (const campaign of tenant(signal))
      all.push({
        id: campaign.id,
        name: campaign.name,
        status: campaign.status,
        ...(campaign.createdAt ? { createdAt: campaign.createdAt } : {}),
      });
    yield* all;
    return;
  }
  const { listKnownCampaigns } = await import("./known-campaigns.ts");
  for (const campaign of await listKnownCampaigns(await store())) {
    signal?.throwIfAborted();
    const status = await port.get(campaign.id, signal).then(
      (live) => live.status as string,
      (error: unknown) => {
        if (signal?.aborted) throw signal.reason;
        return error instanceof NotFoundError ? "not-found" : "unknown";
      },
    );
    yield { ...campaign, status };
  }
}
