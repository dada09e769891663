import type { Store } from "../../core/store/index.ts";
import type { DncList } from "./dnc.ts";
import { sqlOf } from "./store-sql.ts";
import { CXONE_DNC_CITATION, REVOCATION_CITATION, type Suppression } from "./suppression.ts";

/**
 * Every number the data dir says not to call, as one lookup for the checks (issue 62): the
 * internal DNC list, the consent ledger's revocations (per scope: the whole tenant, one
 * campaign, or every tenant of the seller — an `all` revocation is written into each such
 * tenant's store, so reading one store is enough), and the local copy of the tenant's CXone DNC
 * groups (`cxo compliance dnc sync`; a group counts for a campaign when it is active and scrubs
 * the campaign's skill, and for a check naming no campaign when it is active).
 *
 * Loaded once per command or plan, then asked synchronously for each number.
 */
interface Revocation {
  receivedMs: number;
  receivedAt: string;
  channel: string;
  /** `tenant`, `all`, or `campaign:<id>`. */
  scope: string;
}

/** A number's record in one ACTIVE CXone DNC group, with what the group scrubs. */
export interface GroupRecord {
  groupId: string;
  name: string;
  scrubbed: readonly string[];
  expiresMs: number;
}

export async function loadDncList(store: Store, extra: Iterable<string> = []): Promise<DncList> {
  const sql = sqlOf(store);
  const [internal, ledger, groups, records] = await Promise.all([
    sql.all<{ phone: string }>("SELECT phone FROM dnc_numbers"),
    sql.all<{
      phone: string;
      received_ms: number | string;
      received_at: string;
      channel: string;
      scope: string;
    }>("SELECT phone, received_ms, received_at, channel, scope FROM consent_ledger"),
    sql.all<{ group_id: string; name: string; active: number; scrubbed_skills: string }>(
      "SELECT group_id, name, active, scrubbed_skills FROM cxone_dnc_groups",
    ),
    sql.all<{ group_id: string; phone: string; expires_at: string | null }>(
      "SELECT group_id, phone, expires_at FROM cxone_dnc_records",
    ),
  ]);
  const phones = new Set(internal.map((row) => row.phone));
  for (const phone of extra) phones.add(phone);

  const revocations = new Map<string, Revocation[]>();
  for (const row of ledger) {
    const list = revocations.get(row.phone) ?? [];
    list.push({
      receivedMs: Number(row.received_ms),
      receivedAt: row.received_at,
      channel: row.channel,
      scope: row.scope,
    });
    revocations.set(row.phone, list);
  }
  const activeGroups = new Map(
    groups
      .filter((g) => Number(g.active) === 1)
      .map((g) => [g.group_id, { name: g.name, scrubbed: JSON.parse(g.scrubbed_skills) as string[] }]),
  );
  const inGroups = new Map<string, GroupRecord[]>();
  for (const row of records) {
    const group = activeGroups.get(row.group_id);
    if (!group) continue;
    const list = inGroups.get(row.phone) ?? [];
    list.push({
      groupId: row.group_id,
      name: group.name,
      scrubbed: group.scrubbed,
      expiresMs: row.expires_at ? Date.parse(row.expires_at) : Number.POSITIVE_INFINITY,
    });
    inGroups.set(row.phone, list);
  }

  return {
    has: (phone) => phones.has(phone),
    size: phones.size,
    suppressions(phone, campaignId, atMs) {
      const found: Suppression[] = [];
      for (const r of revocations.get(phone) ?? []) {
        if (atMs !== undefined && atMs < r.receivedMs) continue;
        if (!revocationCovers(r.scope, campaignId)) continue;
        found.push({
          code: "consent_revoked",
          message: `${phone} revoked consent on ${r.receivedAt} (channel ${r.channel}, scope ${r.scope})`,
          ruleId: "us-consent-revocation",
          citation: REVOCATION_CITATION,
          confidence: "verified",
        });
        break;
      }
      found.push(...cxoneDncSuppressions(phone, inGroups.get(phone) ?? [], campaignId, atMs));
      return found;
    },
  };
}

/**
 * The `cxone_dnc` reasons for a number held by these active groups: a group counts for a campaign
 * when it scrubs the campaign's skill (for a check naming no campaign, always), while its record
 * has not expired. Shared by the synced copy and a live search (cxone-dnc-freshness.ts).
 */
export function cxoneDncSuppressions(
  phone: string,
  groups: readonly GroupRecord[],
  campaignId: string | undefined,
  atMs: number | undefined,
): Suppression[] {
  const found: Suppression[] = [];
  for (const g of groups) {
    if (atMs !== undefined && atMs >= g.expiresMs) continue;
    if (campaignId !== undefined && !g.scrubbed.includes(campaignId)) continue;
    found.push({
      code: "cxone_dnc",
      message: `${phone} is in the CXone DNC group "${g.name}" (id ${g.groupId})${campaignId === undefined ? "" : `, which scrubs skill ${campaignId}`}`,
      ruleId: `cxone-dnc-group-${g.groupId}`,
      citation: CXONE_DNC_CITATION,
      confidence: "verified",
    });
  }
  return found;
}

/** A revocation's scope covers a campaign: `tenant` and `all` cover every campaign of the store's tenant. */
export function revocationCovers(scope: string, campaignId: string | undefined): boolean {
  if (scope === "tenant" || scope === "all") return true;
  // A check naming no campaign is refused by a campaign-scoped revocation too: it cannot say
  // the number may be called anywhere.
  return campaignId === undefined || scope === `campaign:${campaignId}`;
}
