import type { Confidence } from "./rule-table.ts";

/**
 * Numbers that must not be called for reasons the number's own record does not carry,
 * each found in a store the tenant keeps:
 *
 * - `consent_revoked`: the consent ledger holds a revocation covering this campaign (said to an
 *   agent, by SMS, email, web or mail; `cxo consent …`, docs/consent.md);
 * - `cxone_dnc`: the number is in an active CXone DNC group that scrubs the campaign's skill
 *   (production platform; `cxo compliance dnc sync`, docs/compliance.md "CXone DNC groups");
 * - `rnd_reassigned` / `rnd_no_data`: the Reassigned Numbers Database reports the number
 *   permanently disconnected since its consent date, or (`compliance.rnd.noData: refuse`) has no
 *   data (`compliance.rnd`, docs/compliance.md "Reassigned numbers").
 *
 * The engine (engine.ts) stays pure: the I/O that finds these is the caller's (a DncList's
 * `suppressions`), and each one found becomes a permanent reason with its code.
 */
export type SuppressionCode = "consent_revoked" | "cxone_dnc" | "rnd_reassigned" | "rnd_no_data";

export interface Suppression {
  code: SuppressionCode;
  /** One sentence naming what was found (the revocation's date and channel, the group's name). */
  message: string;
  /** The rule-table row or group it comes from, e.g. `us-consent-revocation`, `cxone-dnc-group-12`. */
  ruleId: string;
  citation: string;
  confidence: Confidence | null;
}

/** What revoked consent answers to (47 CFR 64.1200(a)(10); CRTC's internal do-not-call list). */
export const REVOCATION_CITATION =
  "47 CFR 64.1200(a)(10): consent revoked by any reasonable means; 47 CFR 64.1200(d): company-specific do-not-call list";

/** A number in the tenant's own CXone DNC group is on the company's do-not-call list. */
export const CXONE_DNC_CITATION =
  "47 CFR 64.1200(d): company-specific do-not-call list (kept as CXone DNC groups that scrub the skill)";
