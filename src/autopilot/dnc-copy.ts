import { cxoneDncCopyAge } from "../campaigns/compliance/cxone-dnc-freshness.ts";
import type { Store } from "../core/store/index.ts";

/** What a run is told of the copy of CXone's DNC groups: its freshness rule (absent: the platform has none). */
export interface DncCopyRule {
  maxAgeMinutes: number;
}

/**
 * A step that failed for a passing reason while the local copy of CXone's DNC groups is past its
 * freshness rule: the plan and the push cannot judge CXone's DNC groups (they sync a stale copy
 * first, and CXone is not answering), so the campaign plans and pushes nothing and says so at
 * once — an attention item from this run, not after `escalateAfterMinutes` (issue 101 §5). What
 * CXone already holds is still scrubbed by CXone's own groups at dial time. It resumes by itself
 * at the first run whose copy is synced again. Undefined while the copy is within its rule.
 */
export async function dncCopyPastRule(
  store: Store,
  rule: DncCopyRule | undefined,
  nowMs: number,
  cause: string,
): Promise<{ code: string; text: string } | undefined> {
  if (rule === undefined) return undefined;
  const age = await cxoneDncCopyAge(store, nowMs, rule.maxAgeMinutes);
  if (!age.stale) return undefined;
  const synced =
    age.syncedAt === null ? "never synced" : `synced ${age.ageMinutes} minute(s) ago at ${age.syncedAt}`;
  return {
    code: "cxone_dnc_copy_stale",
    text: `the copy of CXone's DNC groups is past its freshness rule (${synced}; consent.cxoneDncMaxAgeMinutes ${rule.maxAgeMinutes}) and could not be synced (${cause}): nothing planned or pushed until it is`,
  };
}
