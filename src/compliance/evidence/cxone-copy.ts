import {
  type CopySync,
  copySyncs,
  type RecordSpan,
  recordSpansOfPhones,
} from "../../consent/dnc-group-copy.ts";
import type { Store } from "../../core/store/index.ts";
import { cxoneDncSuppressions, type GroupRecord } from "../blocked-numbers.ts";
import { sqlOf } from "../store-sql.ts";
import type { Suppression } from "../suppression.ts";

/**
 * The local copy of the tenant's CXone DNC groups as it was at an attempt's instant (issue 102
 * §1): the copy of the last sync in force by then (consent/dnc-group-copy.ts keeps every sync's
 * groups and each record's added and removed instants), never a later one — a number added to a
 * group on Tuesday does not make Monday's dial "not allowed". An attempt made before the first
 * sync the store keeps is one the copy cannot answer for: its input is `unknown`, and no
 * `cxone_dnc` reason comes from the copy.
 */
export type CxoneCopyConsulted =
  /** The copy in force at the attempt: when its sync read CXone, when it came into force, its age then. */
  | { ageMinutes: number; inForceAt: string; status: "in-force"; syncedAt: string }
  /** No copy was in force at the attempt: the first the store keeps came into force later. */
  | { firstInForceAt: string; status: "unknown" };

export class CxoneCopyHistory {
  private readonly syncs: readonly CopySync[];

  private constructor(syncs: readonly CopySync[]) {
    this.syncs = syncs;
  }

  static async of(store: Store): Promise<CxoneCopyHistory> {
    return new CxoneCopyHistory(await copySyncs(sqlOf(store)));
  }

  /** The syncs some attempt was judged by (inForceAt → syncedAt). */
  private readonly used = new Map<string, string>();

  /** The syncs some attempt was judged by, oldest first (the manifest names them). */
  consulted(): Array<{ inForceAt: string; syncedAt: string }> {
    return [...this.used]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([inForceAt, syncedAt]) => ({ inForceAt, syncedAt }));
  }

  /** Whether the store keeps any sync at all (none: the copy is not consulted; `dnc.cxone` null). */
  get kept(): boolean {
    return this.syncs.length > 0;
  }

  /** The sync in force at `atMs` (the last one in force by then), or undefined before the first. */
  private syncAt(atMs: number): CopySync | undefined {
    let lo = 0;
    let hi = this.syncs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.syncs[mid] as CopySync).inForceMs <= atMs) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : this.syncs[lo - 1];
  }

  /** Every record these numbers ever had in the copy, by number (none asked when no sync is kept). */
  async spansOf(store: Store, phones: readonly string[]): Promise<Map<string, RecordSpan[]>> {
    const byPhone = new Map<string, RecordSpan[]>();
    if (!this.kept) return byPhone;
    for (let i = 0; i < phones.length; i += 500)
      for (const span of await recordSpansOfPhones(sqlOf(store), phones.slice(i, i + 500))) {
        const list = byPhone.get(span.phone) ?? [];
        list.push(span);
        byPhone.set(span.phone, list);
      }
    return byPhone;
  }

  /**
   * What the copy said of `phone` at `atMs` for `campaignId`: the copy consulted (null when the
   * store keeps none) and its `cxone_dnc` reasons (blocked-numbers.ts's, on the groups of then).
   */
  asOf(
    phone: string,
    spans: readonly RecordSpan[] | undefined,
    campaignId: string | undefined,
    atMs: number,
  ): { consulted: CxoneCopyConsulted | null; suppressions: Suppression[] } {
    if (!this.kept) return { consulted: null, suppressions: [] };
    const sync = this.syncAt(atMs);
    if (!sync)
      return {
        consulted: { firstInForceAt: (this.syncs[0] as CopySync).inForceAt, status: "unknown" },
        suppressions: [],
      };
    this.used.set(sync.inForceAt, sync.syncedAt);
    const consulted: CxoneCopyConsulted = {
      ageMinutes: Math.floor((atMs - Date.parse(sync.syncedAt)) / 60_000),
      inForceAt: sync.inForceAt,
      status: "in-force",
      syncedAt: sync.syncedAt,
    };
    const held: GroupRecord[] = [];
    for (const span of spans ?? []) {
      if (Date.parse(span.addedAt) > sync.inForceMs) continue;
      if (span.removedAt !== null && Date.parse(span.removedAt) <= sync.inForceMs) continue;
      const group = sync.groups.find((g) => g.groupId === span.groupId);
      if (!group?.active) continue;
      held.push({
        groupId: group.groupId,
        name: group.name,
        scrubbed: group.scrubbedSkillIds,
        expiresMs: span.expiresAt ? Date.parse(span.expiresAt) : Number.POSITIVE_INFINITY,
      });
    }
    return { consulted, suppressions: cxoneDncSuppressions(phone, held, campaignId, atMs) };
  }
}
