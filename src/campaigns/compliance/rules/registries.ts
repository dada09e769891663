import type { RegistryFinding } from "../registry/lookup.ts";
import type { InternalDncRow } from "../rule-table.ts";
import type { ComplianceInput, Reason } from "../verdict.ts";
import { DAY_MS, reasonOf } from "./prepared.ts";

/**
 * Do-not-call lists: the imported registry copies (national, state; a copy older than 31 days may
 * not be used), the revocations and CXone DNC groups found for the call (suppressions), and the
 * internal list. Pure: what each list says of the number is the caller's I/O.
 */

/** A registry copy may be used for 31 days after its date (16 CFR 310.4(b)(3)(iv)). */
export const REGISTRY_MAX_AGE_DAYS = 31;
const REGISTRY_CITATION = "16 CFR 310.4(b)(3)(iv); 47 CFR 64.1200(c)(2)";

/** The one reason text that names the number itself: a registry copy lists it. */
export function listingMessage(e164: string, finding: RegistryFinding): string {
  return `${e164} is on ${registryLabel(finding.registry)} (copy of ${finding.asOf}) and no consent is recorded`;
}

const registryLabel = (registry: string) =>
  registry === "national" ? "the National Do Not Call Registry" : `${registry}'s do-not-call list`;

export const listingRuleId = (finding: RegistryFinding) => `dnc-registry-${finding.registry}`;

/** Each registry copy's reasons: too old to use, and the number listed without consent. */
export function registryReasons(input: ComplianceInput, atMs: number): Reason[] {
  const reasons: Reason[] = [];
  for (const finding of input.registries ?? []) {
    const national = finding.registry === "national";
    const jurisdiction = national ? "US" : `US-${finding.registry}`;
    const label = registryLabel(finding.registry);
    const ageDays = Math.floor((atMs - Date.parse(`${finding.asOf}T00:00:00Z`)) / DAY_MS);
    if (ageDays > REGISTRY_MAX_AGE_DAYS)
      reasons.push({
        code: "dnc_registry_stale",
        message: `the copy of ${label} is dated ${finding.asOf}, ${ageDays} days before this call; a copy more than ${REGISTRY_MAX_AGE_DAYS} days old may not be used (import a fresh one)`,
        jurisdiction,
        zone: null,
        ruleId: `dnc-registry-${finding.registry}-age`,
        citation: REGISTRY_CITATION,
        confidence: "verified",
      });
    // Prior express written permission (here: recorded consent to calls) is the exemption
    // the rules accept for a listed number; the internal list has no such exemption.
    if (finding.listed && input.consent !== true)
      reasons.push({
        code: national ? "national_dnc" : `state_dnc_${finding.registry}`,
        message: listingMessage(input.number.e164, finding),
        jurisdiction,
        zone: null,
        ruleId: listingRuleId(finding),
        citation: national
          ? "47 CFR 64.1200(c)(2); 16 CFR 310.4(b)(1)(iii)(B)"
          : `${finding.registry} do-not-call statute; 47 CFR 64.1200(c)(2)`,
        confidence: national ? "verified" : "secondary",
      });
  }
  return reasons;
}

/** The revocations and DNC groups found for the call (suppression.ts): each a reason with its code. */
export function suppressionReasons(input: ComplianceInput): Reason[] {
  return (input.suppressions ?? []).map((found) => ({
    code: found.code,
    message: found.message,
    jurisdiction: "US",
    zone: null,
    ruleId: found.ruleId,
    citation: found.citation,
    confidence: found.confidence,
  }));
}

/** The internal do-not-call list's row: the number is on it (no consent exempts it). */
export function internalDncReason(row: InternalDncRow, input: ComplianceInput): Reason | undefined {
  if (!input.onDnc) return undefined;
  return reasonOf(row, "internal_dnc", `${input.number.e164} is on the internal do-not-call list`, null);
}
