import type { Store } from "../core/store/index.ts";
import { SKILL_REMOVALS, type SkillRemoval } from "../strategy/skill-watch.ts";
import type { CampaignDay } from "./types.ts";

/**
 * Whether a skill's change took the day's records out of its lists since the autopilot last
 * planned them again. Taking records out is the skill watch's (one function, whoever runs it:
 * `cxo serve`'s watch, the autopilot's own, `cxo strategy watch`); planning the day is the
 * autopilot's. So the autopilot does not ask which watch acted: it reads the skill's last removal
 * from the store (written in the removal's own transaction) and plans again when it came after
 * the day's morning and after the last removal it planned again for. The week bench's Thursday
 * was 14% dialled while the service's watch acted first and only the autopilot's own removals
 * were planned again.
 */
export async function removalToReplan(
  store: Pick<Store, "kv">,
  campaign: string,
  day: CampaignDay,
): Promise<SkillRemoval | undefined> {
  if (day.morningAt === undefined) return undefined;
  const removal = await store.kv.get<SkillRemoval | null>(SKILL_REMOVALS, campaign);
  if (!removal || removal.removed === 0) return undefined;
  const at = Date.parse(removal.at);
  const since = Math.max(Date.parse(day.morningAt), Date.parse(day.takenOutReplannedFor ?? "") || 0);
  return at > since ? removal : undefined;
}
