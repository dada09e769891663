import { appendAuditRecords } from "../core/audit/audit-log.ts";
import { clockNowDate } from "../core/clock/now.ts";
import type { Store } from "../core/store/index.ts";
import { setCheckpoints } from "../core/store/kv.ts";
import type { DncGroupsPort } from "../platform/ports/dnc-groups.ts";
/**
 * Issue 77 §1: a revocation of ONE campaign reaches CXone's dialer through a DNC group cxo keeps
 * for that one skill. The tenant's consent group scrubs every skill it is linked to, so putting a
 * campaign's revocation there would stop other campaigns; CXone scrubs a skill against every
 * group that lists it under "Scrubbed" before Personal Connection dials one of its records (NICE
 * help, "Do Not Call Group Scrubbed Tab" and "Add Skills to a Do Not Call Group"), so a group
 * scrubbing only skill C stops C and nothing else — and reaches the lists already pushed to C.
 *
 * The group is found by its name (`cxo consent - skill C`) before one is created, and the store
 * keeps which group serves which skill (`consent.skill-groups`), so a run killed between CXone's
 * answer and the store's write finds the group it created instead of making a second one.
 */
export const SKILL_GROUPS = "consent.skill-groups";

/** The ledger's placeholder for "the group of skill C", until honour.ts has one (ledger.ts). */
export const SKILL_GROUP_PREFIX = "skill:";

export function skillGroupName(skillId: string): string {
  return `cxo consent - skill ${skillId}`;
}

interface SkillGroupRow {
  groupId: string;
  name: string;
  createdAt: string;
}

/** The group serving skill C's revocations, created and linked when there is none. */
export async function ensureSkillGroup(
  store: Store,
  port: DncGroupsPort,
  skillId: string,
  options: { actor: string | null; signal?: AbortSignal | undefined },
): Promise<string> {
  const known = await store.kv.get<SkillGroupRow>(SKILL_GROUPS, skillId);
  // Known: used as it is (a run every few seconds must not read every group each time); the
  // coverage check (consent/coverage.ts) says when it stops scrubbing the skill, and a group
  // CXone no longer has is forgotten by honour.ts (`forgetSkillGroup`) and found or made again.
  if (known?.groupId) return known.groupId;
  const name = skillGroupName(skillId);
  const groups = await port.list(options.signal);
  let group =
    groups.find((g) => g.groupId === known?.groupId) ??
    groups.find((g) => g.name.toLowerCase() === name.toLowerCase());
  const created = group === undefined;
  group ??= await port.create(
    name,
    `Revocations of consent for skill ${skillId} only; kept by cxo (consent.cxoneDncGroup's campaign scope)`,
    options.signal,
  );
  if (!group.scrubbedSkillIds.includes(skillId))
    await port.scrubSkill(group.groupId, skillId, options.signal);
  const row: SkillGroupRow = {
    groupId: group.groupId,
    name: group.name,
    createdAt: clockNowDate().toISOString(),
  };
  await store.db.transaction(async (tx) => {
    await setCheckpoints(tx, [{ namespace: SKILL_GROUPS, key: skillId, value: row }]);
    await appendAuditRecords(tx, [
      {
        operation: "consent.skill-group",
        outcome: "done",
        actor: options.actor,
        target: `dnc-group:${group.groupId}`,
        details: { skillId, name: group.name, created, scrubs: skillId },
      },
    ]);
  });
  return group.groupId;
}

/** The groups cxo keeps per skill: skill id → group id. */
export async function skillGroups(store: Pick<Store, "kv">): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const { key, value } of await store.kv.list(SKILL_GROUPS)) {
    const groupId = (value as Partial<SkillGroupRow> | undefined)?.groupId;
    if (typeof groupId === "string") found.set(key, groupId);
  }
  return found;
}

/** The group kept for a skill is gone from CXone: forgotten, so the next run finds or makes one. */
export async function forgetSkillGroup(
  store: Pick<Store, "kv">,
  groupId: string,
): Promise<string | undefined> {
  for (const [skillId, id] of await skillGroups(store))
    if (id === groupId) {
      await store.kv.delete(SKILL_GROUPS, skillId);
      return skillId;
    }
  return undefined;
}
