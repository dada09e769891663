import type { CoverageGap } from "../consent/coverage.ts";
import type { HonourSummary } from "../consent/honour.ts";
import { InputError } from "../core/input-error.ts";
import type { ClientRuntime } from "./runtime.ts";

/**
 * Issue 77 §1, the SDK's side: whether every revocation can reach CXone's dialer, asked of CXone
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
  runtime: ClientRuntime,
  alsoSkills: readonly string[] = [],
  signal?: AbortSignal,
): Promise<ConsentCoverage> {
  const consentGroup = runtime.consent.cxoneDncGroup ?? null;
  const port = runtime.port.dncGroups;
  if (!port || runtime.port.support.unsupported("dncGroups"))
    return { platform: false, consentGroup, skills: [], gaps: [] };
  const { coverageGapsOf, coverageQuestionOf } = await import("../consent/coverage.ts");
  const question = await coverageQuestionOf(await runtime.store(), runtime.consent.cxoneDncGroup, alsoSkills);
  const skills = [...new Set(question.pushedSkills)].sort();
  // Nothing pushed and no campaign scope: nothing CXone could dial against a revocation.
  if (skills.length === 0 && [...(question.campaignSkills ?? [])].length === 0)
    return { platform: true, consentGroup, skills, gaps: [] };
  return { platform: true, consentGroup, skills, gaps: coverageGapsOf(await port.list(signal), question) };
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
  runtime: ClientRuntime,
  campaign: string,
  signal?: AbortSignal,
): Promise<string[]> {
  await honourInTenant(runtime, signal);
  const coverage = await consentCoverage(runtime, [campaign], signal);
  if (!coverage.platform) return [];
  if (coverage.consentGroup === null)
    return [
      `no consent group is configured (consent.cxoneDncGroup): a revocation recorded after this push cannot stop CXone dialling skill ${campaign}'s list`,
    ];
  const mine = coverage.gaps.filter((g) => g.skill === campaign && g.scope === "tenant");
  if (mine.length > 0)
    throw new InputError({
      field: "campaign",
      rule: `refused, nothing sent: ${mine.map((g) => g.reason).join("; ")} — make the consent group scrub skill ${campaign} (CXone: Personal Connection → Lists → DNC → the group → Scrubbed) or name a group that does`,
    });
  return coverage.gaps.map((g) => `consent coverage: skill ${g.skill}: ${g.reason}`);
}

/** Sends the tenant's pending entries to CXone (undefined: it names no consent group). */
export async function honourInTenant(
  runtime: ClientRuntime,
  signal?: AbortSignal,
): Promise<HonourSummary | undefined> {
  const groupId = runtime.consent.cxoneDncGroup;
  if (groupId === undefined) return undefined;
  const refusal = runtime.port.support.unsupported("dncGroups");
  if (refusal) throw refusal;
  const port = runtime.port.dncGroups;
  if (!port) throw new InputError({ field: "platform", rule: "this platform has no CXone DNC groups" });
  const { honourInCxone } = await import("../consent/honour.ts");
  return honourInCxone(await runtime.store(), port, { actor: runtime.actor, groupId, signal });
}
