import { clockNowDate } from "../core/clock/now.ts";
import type { Store } from "../core/store/index.ts";
import { failureFinish, type Operation } from "../core/store/index.ts";
import { PUSHES, type PushedPlan, pushedPlanOf } from "../core/store/pushed-lists.ts";
import type { DiagnosisPort, SkillState } from "../platform/ports/diagnosis.ts";
import type { ListRemovalResult, ListsPort, RetrySettings } from "../platform/ports/lists.ts";
import { recordedSent } from "./push-held.ts";
import { type CountedSkill, countedOf, describeDrift, skillDrift } from "./skill-drift.ts";
import type { SkillDrift } from "./skill-drift-error.ts";
import { type HeldHours, heldFrom, narrowedSkill, SKILL_HOURS_HELD } from "./skill-hours-held.ts";

export { type SkillDrift, SkillDriftError } from "./skill-drift-error.ts";

/**
 * The skill stays as pushed: every skill with records of a cxo push still to dial is read again
 * and compared with what the push counted (skill-drift.ts). A change that lets CXone dial what
 * the plan did not count is acted on — the retry settings put back when the push fitted the
 * skill and the change is only there, else the push's records taken out of its lists — as one
 * journaled operation (audit record `strategy.skill-drift` with before and after, a signed
 * `strategy.skill-drift` event to the campaigns destination), and stays "open" in the store
 * until then, where `cxo why`, the board and every command that reads the skill find it.
 */
export const PUSHED_SKILLS = "strategy.pushed-skills";
export const SKILL_DRIFT = "strategy.skill-drift";
export const SKILL_DRIFT_KIND = "strategy.skill-drift";
/**
 * The last time a drift's records were taken out of a skill's lists, by whichever watch acted
 * (`cxo serve`'s, the autopilot's, `cxo strategy watch`): whoever plans that skill's day reads it
 * to plan them again (the autopilot, autopilot/taken-out.ts). Written in the removal's transaction.
 */
export const SKILL_REMOVALS = "strategy.skill-removals";

/** A skill's last removal of a drift: when (the clock's ISO instant) and how many records. */
export interface SkillRemoval {
  at: string;
  removed: number;
  /** The lists records were taken out of (absent in removals kept by earlier builds). */
  lists?: string[];
}

/** What the last push to a skill counted on, and until when its records may be dialled. */
export interface PushedSkill {
  skillId: string;
  pushedAt: string;
  /** The last instant a pushed record may be dialled (its window's end). */
  untilMs: number;
  staleMinutes: number;
  /** The push set the skill's retry settings (`fitSkill`): they may be put back. */
  fitted: boolean;
  counted: CountedSkill;
}

type WatchStore = Pick<Store, "kv" | "journal">;

/** Kept by a push once its list is sent: what it counted on the skill (a later push replaces it). */
export async function rememberPushedSkill(
  store: Pick<Store, "kv">,
  record: Omit<PushedSkill, "counted"> & { counted: Parameters<typeof countedOf>[0] },
): Promise<void> {
  const before = await store.kv.get<PushedSkill | null>(PUSHED_SKILLS, record.skillId);
  await store.kv.set(PUSHED_SKILLS, record.skillId, {
    ...record,
    counted: countedOf(record.counted),
    untilMs: Math.max(record.untilMs, before?.untilMs ?? 0),
  });
  // A new push judged the skill as it reads now: a drift before it is no longer this push's.
  await store.kv.set(SKILL_DRIFT, record.skillId, null);
}

/** The drifts found and not yet acted on (one skill, or all). */
export async function openDrifts(store: Pick<Store, "kv">, skillId?: string): Promise<SkillDrift[]> {
  if (skillId !== undefined) {
    const one = await store.kv.get<SkillDrift | null>(SKILL_DRIFT, skillId);
    return one ? [one] : [];
  }
  return (await store.kv.list(SKILL_DRIFT))
    .map((r) => r.value as SkillDrift | null)
    .filter((d) => d !== null);
}

/**
 * Reads every watched skill (records still to dial at `nowMs`) and answers the drifts that widen
 * what CXone may dial. `act`: each is acted on (journaled) and closed; otherwise each is recorded
 * open, for a command to say so and for the service to act on.
 */
export async function watchPushedSkills(
  port: { diagnosis: DiagnosisPort; lists: ListsPort },
  store: WatchStore,
  options: { nowMs: number; act: boolean; skillId?: string; signal?: AbortSignal },
): Promise<SkillDrift[]> {
  const found: SkillDrift[] = [];
  for (const { value } of await store.kv.list(PUSHED_SKILLS)) {
    const pushed = value as PushedSkill | null;
    if (!pushed || pushed.untilMs < options.nowMs) continue;
    if (options.skillId !== undefined && pushed.skillId !== options.skillId) continue;
    const drift = await driftOfSkill(
      store,
      await port.diagnosis.skill(pushed.skillId, options.signal),
      options.nowMs,
    );
    if (!drift) {
      await store.kv.set(SKILL_DRIFT, pushed.skillId, null);
      continue;
    }
    found.push(drift);
    if (!options.act) continue;
    await store.journal.run(skillDriftOperation(port.lists), {
      target: `skill:${pushed.skillId}`,
      payload: { drift, pushed, lists: await listsOfSkill(store, pushed.skillId) },
      idempotencyKey: `skill-drift-${pushed.skillId}-${options.nowMs}`,
      signal: options.signal,
    });
  }
  return found;
}

/** What cxo writes back when it fitted the skill: one dial per record, no non-fresh reload. */
const FITTED: RetrySettings = { maximumAttempts: 1, loadNonFresh: false };

interface ListOfSkill {
  key: string;
  slice: number;
  plan: PushedPlan;
  listId: string;
  listName: string;
  /** Records the list holds, by external id. */
  holds: string[];
}

async function listsOfSkill(store: Pick<Store, "kv">, skillId: string): Promise<ListOfSkill[]> {
  const lists: ListOfSkill[] = [];
  for (const { key, value } of await store.kv.list(PUSHES)) {
    const plan = pushedPlanOf(value, key);
    if (!plan || plan.campaign !== skillId) continue;
    for (const [index, slice] of plan.slices.entries()) {
      const out = new Set(slice.excluded);
      const holds = ((await recordedSent(store, slice)) ?? []).filter((id) => !out.has(id));
      if (holds.length > 0)
        lists.push({ key, slice: index, plan, listId: slice.listId, listName: slice.listName, holds });
    }
  }
  return lists;
}

interface DriftPayload {
  drift: SkillDrift;
  pushed: PushedSkill;
  lists: ListOfSkill[];
}

interface DriftResult {
  restored?: { before: RetrySettings; after: RetrySettings };
  removals: Array<{ listId: string; result: ListRemovalResult }>;
}

export function skillDriftOperation(lists: ListsPort): Operation<DriftPayload, DriftResult> {
  return {
    kind: SKILL_DRIFT_KIND,
    async effect(payload, ctx) {
      if (payload.drift.action === "restore-retry")
        return {
          restored: await lists.setRetrySettings(payload.drift.skillId, FITTED, ctx.signal),
          removals: [],
        };
      const removals: DriftResult["removals"] = [];
      for (const list of payload.lists)
        removals.push({
          listId: list.listId,
          result: await lists.removeRecords(
            { listId: list.listId, listName: list.listName, externalIds: list.holds },
            ctx.signal,
          ),
        });
      return { removals };
    },
    finish(settled, payload) {
      const { drift } = payload;
      const details = { skillId: drift.skillId, changes: drift.changes, action: drift.action };
      if (!settled.ok) return failureFinish(settled.error, { details });
      const removed = settled.value.removals.flatMap((r) => r.result.removed);
      const failed = settled.value.removals.flatMap((r) => r.result.failed);
      const event = {
        ...details,
        seenAt: drift.seenAt,
        ...(settled.value.restored ? { restored: settled.value.restored.after } : {}),
        removed: removed.length,
        notRemoved: failed.length,
      };
      return {
        outcome: failed.length === 0 ? "done" : "partial",
        status: 200,
        before: Object.fromEntries(drift.changes.map((c) => [c.field, c.before])),
        after: Object.fromEntries(drift.changes.map((c) => [c.field, c.after])),
        details: { ...details, removed, notRemoved: failed, ...(settled.value.restored ?? {}) },
        events: [{ type: "strategy.skill-drift", destination: "campaigns", data: event }],
        checkpoints: [
          // Open until every record is out (a failed removal stays open, and is tried again).
          { namespace: SKILL_DRIFT, key: drift.skillId, value: failed.length === 0 ? null : drift },
          ...removedFromPlans(payload.lists, new Set(removed)),
          ...(removed.length > 0
            ? [
                {
                  namespace: SKILL_REMOVALS,
                  key: drift.skillId,
                  value: {
                    at: clockNowDate().toISOString(),
                    removed: removed.length,
                    lists: settled.value.removals
                      .filter((r) => r.result.removed.length > 0)
                      .map((r) => r.listId),
                  } satisfies SkillRemoval,
                },
              ]
            : []),
          ...(drift.action === "remove-records" && failed.length === 0
            ? [{ namespace: PUSHED_SKILLS, key: drift.skillId, value: { ...payload.pushed, untilMs: 0 } }]
            : []),
          // Hours or a schedule opened behind cxo's back: the next plans and pushes keep to the
          // hours this push counted until the skill is put back within them (skill-hours-held.ts).
          ...(drift.action === "remove-records" &&
          failed.length === 0 &&
          drift.changes.some((c) => c.widens && (c.field === "hours" || c.field === "schedule"))
            ? [
                {
                  namespace: SKILL_HOURS_HELD,
                  key: drift.skillId,
                  value: heldFrom(payload.pushed.counted, Date.parse(drift.seenAt)),
                },
              ]
            : []),
        ],
      };
    },
  };
}

/** The plans' records taken out: excluded from their slices, so a re-run never sends them again. */
function removedFromPlans(lists: readonly ListOfSkill[], removed: ReadonlySet<string>) {
  const byKey = new Map<string, PushedPlan>();
  for (const list of lists) {
    const plan = byKey.get(list.key) ?? list.plan;
    const slices = plan.slices.map((s, i) =>
      i === list.slice
        ? { ...s, excluded: [...new Set([...s.excluded, ...list.holds.filter((id) => removed.has(id))])] }
        : s,
    );
    byKey.set(list.key, { ...plan, slices });
  }
  return [...byKey].map(([key, value]) => ({ namespace: PUSHES, key, value }));
}

/**
 * For a command that reads the skill anyway (push, plan, why, status, honour): the skill as just
 * read against what the last push counted. A widening change is recorded open and answered.
 */
export async function driftOfSkill(
  store: Pick<Store, "kv">,
  skill: SkillState,
  nowMs: number,
): Promise<SkillDrift | undefined> {
  const pushed = await store.kv.get<PushedSkill | null>(PUSHED_SKILLS, skill.campaignId);
  if (!pushed || pushed.untilMs < nowMs) return undefined;
  // Compared as plan and push judge with it: no wider than hours held after an earlier drift.
  const held = await store.kv.get<HeldHours | null>(SKILL_HOURS_HELD, skill.campaignId);
  const changes = skillDrift(pushed.counted, narrowedSkill(skill, held), pushed.staleMinutes).filter(
    (c) => c.widens,
  );
  if (changes.length === 0) return undefined;
  const open = await store.kv.get<SkillDrift | null>(SKILL_DRIFT, skill.campaignId);
  const drift: SkillDrift = {
    skillId: skill.campaignId,
    seenAt: open?.seenAt ?? new Date(nowMs).toISOString(),
    changes,
    action: pushed.fitted && changes.every((c) => c.field === "retry") ? "restore-retry" : "remove-records",
    text: describeDrift(changes),
  };
  await store.kv.set(SKILL_DRIFT, skill.campaignId, drift);
  return drift;
}
