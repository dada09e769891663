import type { Store } from "../core/store/index.ts";
import type { DncGroup } from "../platform/ports/dnc-groups.ts";
import { scopesInLedger } from "./ledger-queue.ts";
import { skillGroups } from "./skill-groups.ts";

/**
 * Coverage is checked, not assumed. A revocation recorded after a list was pushed
 * stops CXone only if a group holding the number scrubs the list's skill: the consent group
 * (`consent.cxoneDncGroup`) must scrub every skill cxo pushes to, and the group cxo keeps for a
 * skill's campaign-scoped revocations (consent/skill-groups.ts) must scrub that skill. One rule,
 * asked of CXone's live answer (`cxo doctor`, `consent honour`, `strategy push`, the service's
 * start) or of the synced copy (the board).
 */
export interface CoverageGap {
  skill: string;
  /** `tenant`: the consent group; `campaign`: the skill's own group. */
  scope: "tenant" | "campaign";
  reason: string;
}

export interface CoverageQuestion {
  /** The consent group the tenant names (undefined: none). */
  consentGroupId: string | undefined;
  /** Skills cxo pushed lists to, or is about to. */
  pushedSkills: Iterable<string>;
  /** Skills with campaign-scoped revocations, and the group cxo keeps for each (when made yet). */
  campaignSkills?: Iterable<string>;
  skillGroups?: ReadonlyMap<string, string>;
}

export function coverageGapsOf(groups: readonly DncGroup[], question: CoverageQuestion): CoverageGap[] {
  const byId = new Map(groups.map((g) => [g.groupId, g]));
  const gaps: CoverageGap[] = [];
  const consent = question.consentGroupId;
  for (const skill of [...new Set(question.pushedSkills)].sort()) {
    const reason = scrubGap(byId, consent, skill, "the consent group");
    if (reason)
      gaps.push({
        skill,
        scope: "tenant",
        reason:
          consent === undefined
            ? "no consent group is configured (consent.cxoneDncGroup): CXone's dialer is not told of revocations"
            : `${reason}: a revocation recorded after a push would not stop CXone dialling skill ${skill}'s lists`,
      });
  }
  if (consent === undefined) return gaps;
  for (const skill of [...new Set(question.campaignSkills ?? [])].sort()) {
    const groupId = question.skillGroups?.get(skill);
    // Not made yet: the next honour run makes it (and links the skill) before it sends anything.
    if (groupId === undefined) continue;
    const reason = scrubGap(byId, groupId, skill, `the group cxo keeps for skill ${skill}`);
    if (reason)
      gaps.push({
        skill,
        scope: "campaign",
        reason: `${reason}: skill ${skill}'s own revocations (scope campaign:${skill}) would not stop CXone (cxo consent honour links it again)`,
      });
  }
  return gaps;
}

function scrubGap(
  byId: ReadonlyMap<string, DncGroup>,
  groupId: string | undefined,
  skill: string,
  what: string,
): string | undefined {
  if (groupId === undefined) return `${what} is not configured`;
  const group = byId.get(groupId);
  if (!group) return `${what} (${groupId}) is not among CXone's DNC groups`;
  if (!group.active) return `${what} (${groupId}, ${group.name}) is inactive`;
  if (!group.scrubbedSkillIds.includes(skill))
    return `${what} (${groupId}, ${group.name}) does not scrub skill ${skill}`;
  return undefined;
}

/** The question for this data dir: every skill it pushed to (plus `alsoSkills`), every campaign scope. */
export async function coverageQuestionOf(
  store: Store,
  consentGroupId: string | undefined,
  alsoSkills: readonly string[] = [],
): Promise<CoverageQuestion> {
  const { pushedLists } = await import("../core/store/pushed-lists.ts");
  const pushed = (await pushedLists(store)).flatMap((l) => l.campaignId ?? []);
  const scopes = await scopesInLedger(store);
  return {
    consentGroupId,
    pushedSkills: [...pushed, ...alsoSkills],
    campaignSkills: scopes.campaigns,
    skillGroups: await skillGroups(store),
  };
}

/** One line per gap, for a command's stderr and a log. */
export function describeGaps(gaps: readonly CoverageGap[]): string[] {
  return gaps.map((g) => `skill ${g.skill}: ${g.reason}`);
}
