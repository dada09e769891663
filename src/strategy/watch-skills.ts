import type { Cause } from "../campaigns/diagnose/facts.ts";
import { clockNowMs } from "../core/clock/now.ts";
import { idOf } from "../core/params.ts";
import type { Operation } from "../core/store/index.ts";
import type { ClientContext } from "../platform/client-context.ts";
import type { ListsPort } from "../platform/ports/lists.ts";
import type { SkillDrift } from "./skill-watch.ts";
/**
 * `strategy.watchSkills`: every skill with records of a cxo push still to dial read again; a
 * change that lets CXone dial what the push did not count is acted on (the retry settings cxo
 * set put back, else the push's records taken out of its lists), journaled and audited
 * (`strategy.skill-drift`). What `cxo serve` runs every few minutes, and `cxo strategy watch`.
 */
export async function watchSkillsThrough(
  client: ClientContext,
  lists: () => ListsPort,
  params: { campaign?: string | undefined } | undefined,
  signal: AbortSignal | undefined,
): Promise<SkillDrift[]> {
  const skillId = params?.campaign === undefined ? undefined : idOf(params.campaign, "campaign");
  const port = lists();
  const { watchPushedSkills, skillDriftOperation } = await import("./skill-watch.ts");
  // A drift's action stopped half way (a crash) is finished before the skills are read again.
  const store = await client.storeFor("strategy.skill-drift", [
    skillDriftOperation(port) as Operation<never, unknown>,
  ]);
  return watchPushedSkills({ diagnosis: client.port.diagnosis, lists: port }, store, {
    nowMs: clockNowMs(),
    act: true,
    ...(skillId === undefined ? {} : { skillId }),
    ...(signal ? { signal } : {}),
  });
}

/**
 * For a command that read the skill: a change since the last push that lets CXone dial what it
 * did not count refuses the command (SkillDriftError, exit 1) and is recorded open.
 */
export async function refuseOnSkillDrift(
  client: ClientContext,
  skill: Parameters<typeof import("./skill-watch.ts").driftOfSkill>[1],
): Promise<void> {
  const { driftOfSkill, SkillDriftError } = await import("./skill-watch.ts");
  const drift = await driftOfSkill(await client.store(), skill, clockNowMs());
  if (drift) throw new SkillDriftError(drift);
}

/**
 * `cxo why`'s first cause when the skill a push counted on changed since in a way that lets CXone
 * dial what the push did not count (the skill is read only while a push's records are to dial).
 */
export async function skillDriftCause(
  client: ClientContext,
  campaignId: string,
  signal: AbortSignal | undefined,
): Promise<Cause | undefined> {
  const { driftOfSkill, PUSHED_SKILLS } = await import("./skill-watch.ts");
  const store = await client.store();
  const pushed = await store.kv.get<{ untilMs: number } | null>(PUSHED_SKILLS, campaignId);
  if (!pushed || pushed.untilMs < clockNowMs()) return undefined;
  const drift = await driftOfSkill(
    store,
    await client.port.diagnosis.skill(campaignId, signal),
    clockNowMs(),
  );
  if (!drift) return undefined;
  return {
    code: "skill_drift",
    share: 1,
    evidence: `skill ${campaignId} changed after cxo's push (${drift.text}), seen ${drift.seenAt}`,
    fix:
      drift.action === "restore-retry"
        ? "cxo puts back the retry settings it set (cxo serve within minutes; without it `cxo strategy watch`)"
        : "cxo takes the push's records out of its lists (cxo serve within minutes; without it `cxo strategy watch`), or put the skill back by hand",
  };
}
