import { appendAuditRecords } from "../core/audit/audit-log.ts";
import { clockNowDate } from "../core/clock/now.ts";
import type { Store } from "../core/store/index.ts";
import { failureFinish, type Operation } from "../core/store/journal.ts";
import { setCheckpoints } from "../core/store/kv.ts";
import type { DncGroup, DncGroupsPort } from "../platform/ports/dnc-groups.ts";
import { awaitSkillGroupAgain, markGroupLinked } from "./ledger-queue.ts";
import { forgetSkillGroup, SKILL_GROUPS } from "./skill-groups.ts";
/**
 * The group cxo keeps for one skill's campaign-scoped revocations (skill-groups.ts) stops CXone
 * only while it scrubs that skill. Someone may take the skill off its Scrubbed tab in CXone: the
 * numbers stay in the group, and CXone dials them again. So each honour run (the service's watcher
 * once a minute) reads every group it keeps and links a skill it finds unlinked again, through the
 * journal (a pending row before the request, the audit record with the row done). Until the link
 * is back, the group's entries are `unlinked` in the ledger: the report and the board show them
 * not honoured in CXone, never as done.
 */
export const RELINK_KIND = "consent.skill-group.relink";

export interface SkillLinkSummary {
  /** Links found missing and made again by this run. */
  relinked: Array<{ skillId: string; groupId: string }>;
  /** Links still missing at the end of this run (CXone refused, or the group is inactive). */
  unlinked: Array<{ skillId: string; groupId: string; reason: string }>;
}

interface KeptRow {
  groupId?: unknown;
  /** Set while the group does not scrub its skill: the ledger's entries for it are `unlinked`. */
  unlinkedSince?: string;
  [key: string]: unknown;
}

interface RelinkPayload {
  groupId: string;
  skillId: string;
}

/** Linking a skill the group already scrubs changes nothing: safe to re-drive. */
export function relinkOperation(port: DncGroupsPort): Operation<RelinkPayload, void> {
  return {
    kind: RELINK_KIND,
    effect: (p, ctx) => port.scrubSkill(p.groupId, p.skillId, ctx.signal),
    finish: (settled, p) =>
      settled.ok
        ? { outcome: "done", details: { skillId: p.skillId, groupId: p.groupId, scrubs: p.skillId } }
        : failureFinish(settled.error, { details: { skillId: p.skillId, groupId: p.groupId } }),
  };
}

/** Reads every group kept for a skill and links again each that lost its skill (see the module's comment). */
export async function keepSkillLinks(
  store: Store,
  port: DncGroupsPort,
  options: { actor: string | null; signal?: AbortSignal | undefined },
): Promise<SkillLinkSummary> {
  const summary: SkillLinkSummary = { relinked: [], unlinked: [] };
  const kept = await store.kv.list(SKILL_GROUPS);
  if (kept.length === 0) return summary;
  // A run killed while linking left its row pending: linking is idempotent, so it is done again.
  await store.journal.redrivePending([relinkOperation(port) as Operation<never, unknown>], {
    only: (entry) => entry.kind === RELINK_KIND,
  });
  let listing: Promise<DncGroup[]> | undefined;
  const all = () => {
    listing ??= port.list(options.signal);
    return listing;
  };
  for (const { key: skillId, value } of kept) {
    options.signal?.throwIfAborted();
    const row = (value ?? {}) as KeptRow;
    if (typeof row.groupId !== "string") continue;
    const groupId = row.groupId;
    const group = await readGroup(port, groupId, all, options.signal);
    if (group === undefined) {
      // Deleted in CXone: its entries wait for a group again, found or made by honour.ts.
      await forgetSkillGroup(store, groupId);
      await awaitSkillGroupAgain(store, skillId, groupId);
      continue;
    }
    if (group.active && group.scrubbedSkillIds.includes(skillId)) {
      if (row.unlinkedSince !== undefined)
        await markLinked(store, skillId, row, options.actor, "found linked");
      continue;
    }
    const reason = group.active
      ? `the group cxo keeps for skill ${skillId} (${groupId}) no longer scrubs it`
      : `the group cxo keeps for skill ${skillId} (${groupId}) is inactive in CXone: activate it`;
    await markUnlinked(store, skillId, row, options.actor, reason);
    if (!group.active) {
      summary.unlinked.push({ skillId, groupId, reason });
      continue;
    }
    try {
      await store.journal.run(relinkOperation(port), {
        target: `dnc-group:${groupId}`,
        payload: { groupId, skillId },
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const why = error instanceof Error ? error.message : String(error);
      summary.unlinked.push({ skillId, groupId, reason: `${reason}; linking it again failed: ${why}` });
      continue;
    }
    await markLinked(store, skillId, row, options.actor);
    summary.relinked.push({ skillId, groupId });
  }
  return summary;
}

/**
 * Entries sent by this run to a group still unlinked were marked done by the send: back to
 * `unlinked`, so they are not reported honoured in CXone while the group does not scrub its skill.
 */
export async function keepUnlinked(store: Store, unlinked: SkillLinkSummary["unlinked"]): Promise<void> {
  for (const { groupId } of unlinked) await store.db.transaction((tx) => markGroupLinked(tx, groupId, false));
}

/** The group may be asked alone (two requests) rather than every group of the business unit. */
async function readGroup(
  port: DncGroupsPort,
  groupId: string,
  all: () => Promise<DncGroup[]>,
  signal: AbortSignal | undefined,
): Promise<DncGroup | undefined> {
  if (!port.group) return (await all()).find((g) => g.groupId === groupId);
  try {
    return await port.group(groupId, signal);
  } catch (error) {
    // A group CXone answers 404 for is gone, as one it shows removed.
    if ((error as { status?: unknown } | null)?.status === 404) return undefined;
    throw error;
  }
}

async function markUnlinked(
  store: Store,
  skillId: string,
  row: KeptRow,
  actor: string | null,
  reason: string,
): Promise<void> {
  const groupId = row.groupId as string;
  await store.db.transaction(async (tx) => {
    // Entries sent since it was first found unlinked are in the group, not honoured there either.
    const entries = await markGroupLinked(tx, groupId, false);
    if (row.unlinkedSince !== undefined) return;
    await setCheckpoints(tx, [
      {
        namespace: SKILL_GROUPS,
        key: skillId,
        value: { ...row, unlinkedSince: clockNowDate().toISOString() },
      },
    ]);
    await appendAuditRecords(tx, [
      {
        operation: "consent.skill-group.unlinked",
        outcome: "done",
        actor,
        target: `dnc-group:${groupId}`,
        details: { skillId, reason, entries },
      },
    ]);
  });
}

async function markLinked(
  store: Store,
  skillId: string,
  row: KeptRow,
  actor: string | null,
  how?: string,
): Promise<void> {
  const { unlinkedSince: _, ...linked } = row;
  await store.db.transaction(async (tx) => {
    const entries = await markGroupLinked(tx, linked.groupId as string, true);
    await setCheckpoints(tx, [{ namespace: SKILL_GROUPS, key: skillId, value: linked }]);
    // Linked by hand in CXone: said in the chain too (the journal's record says what cxo did).
    if (how)
      await appendAuditRecords(tx, [
        {
          operation: "consent.skill-group.linked",
          outcome: "done",
          actor,
          target: `dnc-group:${linked.groupId}`,
          details: { skillId, how, entries },
        },
      ]);
  });
}
