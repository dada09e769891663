import { clockNowMs } from "../core/clock/now.ts";
import { InputError } from "../core/input-error.ts";
import type { ClientContext } from "../platform/client-context.ts";
import type { DoctorFact } from "../platform/ports/doctor.ts";
import type { CoverageGap } from "./coverage.ts";
import { cxoneDown, dncCopyStandIn } from "./dnc-copy-stand-in.ts";
import type { HonourSummary } from "./honour.ts";
/**
 * For a client: whether every revocation can reach CXone's dialer, asked of CXone
 * itself (its DNC groups and the skills each scrubs), for the skills this data dir pushed lists to
 * and the campaigns its revocations name. `consent.coverage()`, `cxo doctor`, `consent honour`,
 * the service's start and `strategy push` all ask it here.
 */
export interface ConsentCoverage {
  /** False on a platform without CXone DNC groups (the seed API): cxo's checks are the only gate. */
  platform: boolean;
  consentGroup: string | null;
  /** Skills cxo pushed lists to (and the push's own target), sorted. */
  skills: string[];
  gaps: CoverageGap[];
}

export async function consentCoverage(
  client: ClientContext,
  alsoSkills: readonly string[] = [],
  signal?: AbortSignal,
  standInFor?: string,
): Promise<ConsentCoverage> {
  const consentGroup = client.consent.cxoneDncGroup ?? null;
  const port = client.port.dncGroups;
  if (!port || client.port.support.unsupported("dncGroups"))
    return { platform: false, consentGroup, skills: [], gaps: [] };
  const { coverageGapsOf, coverageQuestionOf } = await import("./coverage.ts");
  const question = await coverageQuestionOf(await client.store(), client.consent.cxoneDncGroup, alsoSkills);
  const skills = [...new Set(question.pushedSkills)].sort();
  // Nothing pushed and no campaign scope: nothing CXone could dial against a revocation.
  if (skills.length === 0 && [...(question.campaignSkills ?? [])].length === 0)
    return { platform: true, consentGroup, skills, gaps: [] };
  return {
    platform: true,
    consentGroup,
    skills,
    gaps: coverageGapsOf(await groupsOf(client, signal, standInFor), question),
  };
}

/**
 * The tenant's DNC groups and what each scrubs: asked of CXone; while its DNC routes fail for a
 * passing reason (a 503, a reset, a 429), the synced copy's, as long as the copy is within its
 * freshness rule (`cxoneDncMaxAgeMinutes`) — or, for a push to `standInFor`, past it when an
 * active group of that copy scrubs the skill (dnc-copy-stand-in.ts: CXone scrubs at dial time).
 * Otherwise a copy past it, or none, fails as CXone did.
 */
async function groupsOf(client: ClientContext, signal: AbortSignal | undefined, standInFor?: string) {
  const port = client.port.dncGroups as NonNullable<ClientContext["port"]["dncGroups"]>;
  try {
    return await port.list(signal);
  } catch (error) {
    if (!cxoneDown(error)) throw error;
    const { freshCopiedGroups, syncedGroups } = await import("./dnc-group-copy.ts");
    const copied = await freshCopiedGroups(
      (await client.store()).db,
      clockNowMs(),
      client.cxoneDncMaxAgeMinutes,
    );
    if (copied) return copied;
    const { db } = await client.store();
    if (standInFor !== undefined && (await dncCopyStandIn(db, standInFor))) return syncedGroups(db);
    throw error;
  }
}

/**
 * Before a push to `campaign` (issue 77 §1): the ledger's pending revocations go to CXone first
 * (every scope, every account's numbers: a CXone that cannot take them fails the push), then the
 * coverage is asked with this skill in it. A gap
 * on this skill refuses the push (nothing sent: a revocation recorded after it could not stop
 * CXone dialling the list); gaps elsewhere, and a tenant with no consent group at all, come back
 * as the push's warnings.
 */
export async function honourBeforePush(
  client: ClientContext,
  campaign: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const down = await honourOrSayDown(client, signal);
  const coverage = await consentCoverage(client, [campaign], signal, campaign);
  if (!coverage.platform) return down;
  if (coverage.consentGroup === null)
    return [
      ...down,
      `no consent group is configured (consent.cxoneDncGroup): a revocation recorded after this push cannot stop CXone dialling skill ${campaign}'s list`,
    ];
  const mine = coverage.gaps.filter((g) => g.skill === campaign && g.scope === "tenant");
  if (mine.length > 0)
    throw new InputError({
      field: "campaign",
      rule: `refused, nothing sent: ${mine.map((g) => g.reason).join("; ")} — make the consent group scrub skill ${campaign} (CXone: Personal Connection → Lists → DNC → the group → Scrubbed) or name a group that does`,
    });
  return [...down, ...coverage.gaps.map((g) => `consent coverage: skill ${g.skill}: ${g.reason}`)];
}

/**
 * The ledger sent to CXone before a push. While CXone's DNC routes fail for a passing reason (a
 * 503, a reset, a 429) the push goes on, with a warning (issue 101 §4): its screen leaves out
 * every number the ledger holds revoked and takes such numbers out of the lists of the plan
 * already sent (push-held.ts), so a revocation CXone's group has not been told of yet is not
 * dialled from them either. A group that refuses (404, 403, an answer cxo cannot read) and a
 * consent group that does not scrub the skill still refuse the push, nothing sent.
 */
async function honourOrSayDown(client: ClientContext, signal: AbortSignal | undefined): Promise<string[]> {
  try {
    await honourInTenant(client, signal);
    return [];
  } catch (error) {
    if (!cxoneDown(error)) throw error;
    const { countWaitingForCxone } = await import("./ledger-queue.ts");
    const { pending } = await countWaitingForCxone(await client.store());
    return [
      `consent honour could not reach CXone's DNC groups (${(error as Error).message}): ${pending} revocation entr(ies) wait for CXone; this push leaves their numbers out and takes them out of its lists`,
    ];
  }
}

/** Sends the tenant's pending entries to CXone (undefined: it names no consent group). */
export async function honourInTenant(
  client: ClientContext,
  signal?: AbortSignal,
): Promise<HonourSummary | undefined> {
  const groupId = client.consent.cxoneDncGroup;
  if (groupId === undefined) return undefined;
  const refusal = client.port.support.unsupported("dncGroups");
  if (refusal) throw refusal;
  const port = client.port.dncGroups;
  if (!port) throw new InputError({ field: "platform", rule: "this platform has no CXone DNC groups" });
  const { honourInCxone } = await import("./honour.ts");
  return honourInCxone(await client.store(), port, { actor: client.actor, groupId, signal });
}

/**
 * Issue 77 §1: whether a revocation recorded now can stop CXone dialling every skill cxo pushed
 * lists to (and each campaign scope's skill). Not a tenant-profile fact: it follows from the
 * consent settings and this data dir's pushes, so a gap is fixed in CXone or in the settings.
 */
export async function consentCoverageFact(client: ClientContext, signal?: AbortSignal): Promise<DoctorFact> {
  const coverage = await consentCoverage(client, [], signal);
  return {
    id: "consentCoverage",
    title: "every skill cxo pushed lists to is scrubbed by a group its revocations reach",
    probe: "read",
    assumed: { skills: coverage.skills, gaps: [] },
    observed: { skills: coverage.skills, consentGroup: coverage.consentGroup, gaps: coverage.gaps },
    evidence: [{ request: "GET /dnc-groups (+ …/scrubbed-skills per group)", status: 200 }],
    setting: null,
    matches: coverage.gaps.length === 0,
    ...(coverage.gaps.length > 0
      ? {
          fix: `${coverage.gaps.map((g) => `skill ${g.skill}: ${g.reason}`).join("; ")} — add the skill under the group's Scrubbed tab in CXone (Personal Connection → Lists → DNC), or set consent.cxoneDncGroup to a group that scrubs it`,
        }
      : {}),
  };
}
