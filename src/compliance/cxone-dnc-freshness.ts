import type { Store } from "../core/store/index.ts";
import { getCheckpoint } from "../core/store/kv.ts";
import type { CxonePort } from "../platform/port.ts";
import type { DncGroup } from "../platform/ports/dnc-groups.ts";
import { cxoneDncSuppressions, type GroupRecord } from "./blocked-numbers.ts";
import { type CxoneDncSyncResult, SYNC_KV, type SyncOptions, syncCxoneDnc } from "./cxone-dnc-sync.ts";
import type { DncList } from "./dnc.ts";
import { sqlOf } from "./store-sql.ts";

/**
 * How fresh the local copy of the tenant's CXone DNC groups is, and what a check does about it
 * (issue 62 §2, docs/compliance.md "CXone DNC groups"):
 *
 * - a copy synced at most `maxAgeMinutes` ago (config `consent.cxoneDncMaxAgeMinutes`, 60 by
 *   default) is trusted;
 * - one number (`compliance check`): with an older copy, or none, the groups holding the number
 *   are searched LIVE (`POST /dnc-groups/search`, and the groups' list when it is found) and the
 *   copy's `cxone_dnc` findings for it are replaced by what CXone says now;
 * - many numbers (segmentation, plans): an older copy, or none, is synced first
 *   (`ensureFreshCxoneDnc`), then read;
 * - a platform without DNC groups (the seed API): nothing of this applies (`null`).
 */
export const DEFAULT_CXONE_DNC_MAX_AGE_MINUTES = 60;

export interface CxoneDncFreshness {
  /** When the copy was last synced; null: never. */
  syncedAt: string | null;
  /** Whole minutes since then; null: never synced. */
  ageMinutes: number | null;
  maxAgeMinutes: number;
  /** Older than maxAgeMinutes, or never synced, on a platform that has DNC groups. */
  stale: boolean;
  /**
   * What the check used for the CXone groups: `copy` (the synced copy), `live` (a search just
   * now), `synced` (the copy, synced just before the check).
   */
  source: "copy" | "live" | "synced";
}

/** The copy's age (and whether it is stale) at `nowMs`. */
export async function cxoneDncCopyAge(
  store: Store,
  nowMs: number,
  maxAgeMinutes: number,
): Promise<Omit<CxoneDncFreshness, "source">> {
  const sync = await getCheckpoint<Partial<CxoneDncSyncResult>>(sqlOf(store), SYNC_KV.namespace, SYNC_KV.key);
  const syncedAt = sync?.syncedAt ?? null;
  const syncedMs = syncedAt === null ? Number.NaN : Date.parse(syncedAt);
  if (Number.isNaN(syncedMs)) return { syncedAt: null, ageMinutes: null, maxAgeMinutes, stale: true };
  const ageMinutes = Math.max(0, Math.floor((nowMs - syncedMs) / 60_000));
  return { syncedAt, ageMinutes, maxAgeMinutes, stale: nowMs - syncedMs > maxAgeMinutes * 60_000 };
}

export interface FreshnessOptions {
  nowMs: number;
  maxAgeMinutes: number;
  signal?: AbortSignal;
}

/**
 * For one number: `dnc` as given when the copy is fresh, else with the CXone groups' findings
 * for `phone` taken from a live search (null: the platform has no DNC groups). A failed search fails the check (never an unchecked
 * "allowed").
 */
export async function withCxoneDncForOneNumber(
  store: Store,
  port: CxonePort,
  dnc: DncList,
  phone: string,
  options: FreshnessOptions,
): Promise<{ dnc: DncList; cxoneDnc: CxoneDncFreshness | null }> {
  const groupsPort = port.dncGroups;
  if (!groupsPort || port.support.unsupported("dncGroups")) return { dnc, cxoneDnc: null };
  const age = await cxoneDncCopyAge(store, options.nowMs, options.maxAgeMinutes);
  if (!age.stale) return { dnc, cxoneDnc: { ...age, source: "copy" } };
  const hits = await groupsPort.search(phone, options.signal);
  // The search names the groups; whether each is active and what it scrubs is the group's (read
  // for those groups only: a single check costs 1 + 2 requests a group holding the number).
  const groups = new Map<string, DncGroup | undefined>();
  if (hits.length > 0 && !groupsPort.group)
    for (const g of await groupsPort.list(options.signal)) groups.set(g.groupId, g);
  for (const hit of hits)
    if (!groups.has(hit.groupId))
      groups.set(hit.groupId, await groupsPort.group?.(hit.groupId, options.signal));
  const live: GroupRecord[] = hits.flatMap((hit) => {
    const group = groups.get(hit.groupId);
    if (!group?.active) return [];
    return [
      {
        groupId: group.groupId,
        name: group.name,
        scrubbed: group.scrubbedSkillIds,
        expiresMs: hit.expiresAt ? Date.parse(hit.expiresAt) : Number.POSITIVE_INFINITY,
      },
    ];
  });
  const withLive: DncList = {
    has: (p) => dnc.has(p),
    size: dnc.size,
    suppressions(p, campaignId, atMs, accountId, options) {
      const fromCopy = dnc.suppressions?.(p, campaignId, atMs, accountId, options) ?? [];
      if (p !== phone) return fromCopy;
      return [
        ...fromCopy.filter((s) => s.code !== "cxone_dnc"),
        ...cxoneDncSuppressions(p, live, campaignId, atMs),
      ];
    },
  };
  return { dnc: withLive, cxoneDnc: { ...age, source: "live" } };
}

/**
 * For many numbers: the copy synced first when it is stale or missing (`synced`), else as it
 * is (`copy`); null where the platform has no DNC groups. Call before `loadDncList`.
 */
export async function ensureFreshCxoneDnc(
  store: Store,
  port: CxonePort,
  options: FreshnessOptions & Pick<SyncOptions, "actor">,
): Promise<(CxoneDncFreshness & { sync?: CxoneDncSyncResult }) | null> {
  const groupsPort = port.dncGroups;
  if (!groupsPort || port.support.unsupported("dncGroups")) return null;
  const age = await cxoneDncCopyAge(store, options.nowMs, options.maxAgeMinutes);
  if (!age.stale) return { ...age, source: "copy" };
  const sync = await syncCxoneDnc(store, groupsPort, {
    ...(options.signal ? { signal: options.signal } : {}),
    actor: options.actor ?? null,
  });
  return {
    syncedAt: sync.syncedAt,
    ageMinutes: 0,
    maxAgeMinutes: options.maxAgeMinutes,
    stale: false,
    source: "synced",
    sync,
  };
}

/**
 * For a plan or a push to `skill`: the copy made fresh as `ensureFreshCxoneDnc` does; when that
 * sync fails because CXone's DNC routes fail for a while (a 503, a reset, a timeout, a 429) and
 * an active group of the last copy scrubs the skill, the copy stands in for CXone's answer
 * (consent/dnc-copy-stand-in.ts: CXone scrubs each record against its groups at dial time) and
 * the answer is the warning saying so; otherwise the failure is the caller's, as before.
 */
export async function ensureFreshCxoneDncFor(
  store: Store,
  port: CxonePort,
  skill: string,
  options: FreshnessOptions & Pick<SyncOptions, "actor">,
): Promise<string[]> {
  try {
    await ensureFreshCxoneDnc(store, port, options);
    return [];
  } catch (error) {
    const { cxoneDown, dncCopyStandIn, standInText } = await import("../consent/dnc-copy-stand-in.ts");
    if (options.signal?.aborted || !cxoneDown(error)) throw error;
    const standIn = await dncCopyStandIn(sqlOf(store), skill);
    if (!standIn) throw error;
    return [
      `the copy of CXone's DNC groups is past its freshness rule (consent.cxoneDncMaxAgeMinutes ${options.maxAgeMinutes}) and could not be synced (${(error as Error).message}): ${standInText(skill, standIn)}`,
    ];
  }
}
