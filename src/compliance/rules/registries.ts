import { localTimeOf } from "../local-time.ts";
import type { RegistryFinding } from "../registry/lookup.ts";
import { isUkRegistry, UK_REGISTRATION_DAYS } from "../registry/uk.ts";
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
    if (isUkRegistry(finding.registry)) {
      reasons.push(...ukRegistryReasons(input, finding, atMs));
      continue;
    }
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
    jurisdiction: input.number.country === "GB" ? "GB" : "US",
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

/** What the UK's registry rows read of a call. */
type UkRegistryInput = Pick<ComplianceInput, "number" | "registries" | "consent" | "kind">;

/**
 * A UK number's TPS/CTPS reasons for a call at `atMs` (the rows above, alone): what a push's
 * screen asks of each +44 record as the data dir stands when it is sent.
 */
export function ukRegistryReasonsOf(input: UkRegistryInput, atMs: number): Reason[] {
  return (input.registries ?? [])
    .filter((finding) => isUkRegistry(finding.registry))
    .flatMap((finding) => ukRegistryReasons(input, finding, atMs));
}

const UK_CITATION =
  "Privacy and Electronic Communications (EC Directive) Regulations 2003 (SI 2003/2426), regs 21 and 21A (as amended; attempted calls count): no unsolicited live marketing call to a number registered with the TPS (individuals) or the CTPS (corporate subscribers) unless the subscriber has notified the caller that it does not object; reg 26(3): a registration binds 28 days after it is made";
const UK_SCREENING_DAYS = 28;

/**
 * A UK register's reasons: a copy older than 28 days may not be screened against (the ICO's
 * guidance: screen against the TPS at least every 28 days), and a number registered at least 28
 * days before the call, called for marketing (a declared sales call, or an undeclared kind) with
 * no consent recorded. A number registered fewer than 28 days before is not yet barred.
 */
function ukRegistryReasons(input: UkRegistryInput, finding: RegistryFinding, atMs: number): Reason[] {
  const reasons: Reason[] = [];
  const label =
    finding.registry === "tps" ? "the Telephone Preference Service (TPS)" : "the Corporate TPS (CTPS)";
  const ageDays = Math.floor((atMs - Date.parse(`${finding.asOf}T00:00:00Z`)) / DAY_MS);
  if (ageDays > UK_SCREENING_DAYS)
    reasons.push({
      code: "dnc_registry_stale",
      message: `the copy of ${label} is dated ${finding.asOf}, ${ageDays} days before this call; screen against a copy at most ${UK_SCREENING_DAYS} days old (import a fresh one)`,
      jurisdiction: "GB",
      zone: null,
      ruleId: `dnc-registry-${finding.registry}-age`,
      citation:
        "ICO guidance on PECR (telephone marketing): screen against the TPS and CTPS at least every 28 days",
      confidence: "secondary",
    });
  if (!finding.listed || finding.registeredAt === undefined || input.consent === true) return reasons;
  if (input.kind === "collections") return reasons;
  const binds = new Date(Date.parse(`${finding.registeredAt}T00:00:00Z`) + UK_REGISTRATION_DAYS * DAY_MS)
    .toISOString()
    .slice(0, 10);
  // Days of the called party's calendar (the UK's clock): from the 28th day after, it binds.
  if (localTimeOf("Europe/London", atMs).date < binds) return reasons;
  reasons.push({
    code: finding.registry === "tps" ? "tps_registered" : "ctps_registered",
    message: `${input.number.e164} was registered with ${label} on ${finding.registeredAt}, ${UK_REGISTRATION_DAYS} days or more before this call, and no consent is recorded`,
    jurisdiction: "GB",
    zone: null,
    ruleId: listingRuleId(finding),
    citation: UK_CITATION,
    confidence: "statute-seen",
  });
  return reasons;
}
