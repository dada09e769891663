import type { Operation } from "../core/store/index.ts";
import type { ListsPort } from "../platform/ports/lists.ts";
import type { SkillDrift } from "../strategy/skill-watch.ts";
import { type ClientRuntime, idOf, type RequestOptions, requestSignal } from "./runtime.ts";

/**
 * `strategy.watchSkills`: every skill with records of a cxo push still to dial read again; a
 * change that lets CXone dial what the push did not count is acted on (the retry settings cxo
 * set put back, else the push's records taken out of its lists), journaled and audited
 * (`strategy.skill-drift`). What `cxo serve` runs every few minutes, and `cxo strategy watch`.
 */
export async function watchSkillsThrough(
  runtime: ClientRuntime,
  lists: () => ListsPort,
  params: { campaign?: string | undefined } | undefined,
  options: RequestOptions | undefined,
): Promise<SkillDrift[]> {
  const skillId = params?.campaign === undefined ? undefined : idOf(params.campaign, "campaign");
  const port = lists();
  const signal = requestSignal(options);
  const { watchPushedSkills, skillDriftOperation } = await import("../strategy/skill-watch.ts");
  // A drift's action stopped half way (a crash) is finished before the skills are read again.
  const store = await runtime.storeFor("strategy.skill-drift", [
    skillDriftOperation(port) as Operation<never, unknown>,
  ]);
  return watchPushedSkills({ diagnosis: runtime.port.diagnosis, lists: port }, store, {
    nowMs: Date.now(),
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
  runtime: ClientRuntime,
  skill: Parameters<typeof import("../strategy/skill-watch.ts").driftOfSkill>[1],
): Promise<void> {
  const { driftOfSkill, SkillDriftError } = await import("../strategy/skill-watch.ts");
  const drift = await driftOfSkill(await runtime.store(), skill, Date.now());
  if (drift) throw new SkillDriftError(drift);
}
