import type { CxoneDncFreshness } from "../compliance/cxone-dnc-freshness.ts";
import { blindText, type DncCopyStandIn, standInText } from "../consent/dnc-copy-stand-in.ts";

/**
 * What a run is told of the copy of CXone's DNC groups (absent: the platform has none): its
 * freshness rule, the copy's age against it, and what of the copy stands in for CXone for a skill
 * (the application host's `dncCopyAge` and `dncCopyStandIn`: consent's tables are read by the
 * SDK, not here).
 */
export interface DncCopyRule {
  maxAgeMinutes: number;
  age(nowMs: number): Promise<Omit<CxoneDncFreshness, "source">>;
  standIn(skill: string): Promise<DncCopyStandIn | undefined>;
}

/** The copy past its freshness rule, as a run says it: blind (nothing pushed), or going on and why. */
export interface DncCopyPast {
  code: "cxone_dnc_copy_stale";
  text: string;
  /** The skill is scrubbed by an active group of the last copy: CXone scrubs at dial time, the push goes on. */
  goesOn: boolean;
}

/**
 * The local copy of CXone's DNC groups past its freshness rule while CXone could not sync it
 * (`cause`), for the campaign's skill. When an active group of the last copy scrubs the skill,
 * the plan and the push go on (CXone's dialer scrubs each record against its groups at dial time:
 * consent/dnc-copy-stand-in.ts) and the run says so — an attention item once the episode has
 * lasted `escalateAfterMinutes`. When none does, cxo's copy would be the skill's only DNC guard:
 * nothing is planned or pushed and it says so at once (issue 101 §5); the first run whose copy
 * is synced again goes on. Undefined while the copy is within its rule.
 */
export async function dncCopyPastRule(
  rule: DncCopyRule | undefined,
  nowMs: number,
  cause: string,
  skill: string,
): Promise<DncCopyPast | undefined> {
  if (rule === undefined) return undefined;
  const age = await rule.age(nowMs);
  if (!age.stale) return undefined;
  const synced =
    age.syncedAt === null ? "never synced" : `synced ${age.ageMinutes} minute(s) ago at ${age.syncedAt}`;
  const past = `the copy of CXone's DNC groups is past its freshness rule (${synced}; consent.cxoneDncMaxAgeMinutes ${rule.maxAgeMinutes}) and could not be synced (${cause})`;
  const standIn = await rule.standIn(skill);
  return standIn
    ? { code: "cxone_dnc_copy_stale", text: `${past}: ${standInText(skill, standIn)}`, goesOn: true }
    : { code: "cxone_dnc_copy_stale", text: `${past}: ${blindText(skill)}`, goesOn: false };
}
