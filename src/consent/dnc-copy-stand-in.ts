import type { SqlExecutor } from "../core/store/index.ts";
import type { DncGroup } from "../platform/ports/dnc-groups.ts";
import { lastSyncedAt, syncedGroups } from "./dnc-group-copy.ts";

/**
 * When the last copy of the tenant's CXone DNC groups may stand in for CXone's answer while its
 * DNC routes fail and the copy is past its freshness rule (`consent.cxoneDncMaxAgeMinutes`).
 *
 * CXone does not dial a number of an active DNC group on a skill the group scrubs: its dialer
 * scrubs each record at dial time against the groups as they are then (docs/compliance.md "CXone
 * DNC groups"). For a skill scrubbed by a group, cxo's copy only prunes what CXone would skip
 * anyway, so an old copy is not blind for it: a number added to the group since the copy was
 * taken (an agent's Do Not Call, another system's) is skipped by CXone itself.
 *
 * The rule, precisely: the **last complete sync** (the copy is replaced whole, never in part, so
 * its set of groups is what CXone last showed) holds at least one group that is **active** and
 * **scrubs the skill**. Then the push goes on. A skill that no active group of that copy scrubs
 * has no DNC guard in CXone but cxo's: an old copy is then blind, and the push stops as before.
 * No copy at all stands in for nothing. Revocations the ledger holds that CXone's group has not
 * been told of are still left out by cxo's own screen (they are not in any copy).
 */
export interface DncCopyStandIn {
  /** When the copy read CXone. */
  syncedAt: string;
  /** The copy's active groups that scrub the skill (never empty). */
  scrubbing: DncGroup[];
}

/** The copy's stand-in for `skill`, or undefined when no active group of the last copy scrubs it (or there is none). */
export async function dncCopyStandIn(db: SqlExecutor, skill: string): Promise<DncCopyStandIn | undefined> {
  if (skill === "") return undefined;
  const syncedAt = await lastSyncedAt(db);
  if (syncedAt === null || Number.isNaN(Date.parse(syncedAt))) return undefined;
  const scrubbing = (await syncedGroups(db)).filter((g) => g.active && g.scrubbedSkillIds.includes(skill));
  return scrubbing.length === 0 ? undefined : { syncedAt, scrubbing };
}

/** The groups named as a person reads them: `"Internal" (id 91), "Cease" (id 92)`. */
export function groupsNamed(groups: readonly DncGroup[]): string {
  return groups.map((g) => `"${g.name}" (id ${g.groupId})`).join(", ");
}

/** Why a push goes on with an old copy: said in its warnings and the autopilot's attention item. */
export function standInText(skill: string, standIn: DncCopyStandIn): string {
  return `the push goes on: skill ${skill} is scrubbed by the active DNC group(s) ${groupsNamed(standIn.scrubbing)} in the last copy (synced at ${standIn.syncedAt}), and CXone's dialer scrubs each record against its groups as they are at dial time; cxo's copy only prunes what CXone would skip`;
}

/** Why a push stops with an old copy: no group CXone applies at dial time scrubs the skill. */
export function blindText(skill: string): string {
  return `skill ${skill} is scrubbed by no active DNC group in the last copy, so cxo's copy would be its only DNC guard: nothing planned or pushed until the copy is synced`;
}

/** CXone failing for a while (5xx, a reset, a timeout, a 429): not an answer, and not a refusal. */
export function cxoneDown(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    code === "server_error" ||
    code === "network_error" ||
    code === "rate_limited" ||
    code === "deadline_exceeded"
  );
}
